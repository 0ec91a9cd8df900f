package io.kaiwa.runtime.memory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.kaiwa.runtime.config.KaiwaConfig;

/**
 * Turn vectors held in memory for recall, so that a long conversation's are read from the database once, not on every
 * request. Each is kept as signed bytes with a scale (a quarter of the memory of floats; cosine rankings do not
 * change at that precision), at most {@code kaiwa.context.recall.cache-turns} turns, least recently used first out. A
 * vector never changes for its model, so instances need not agree on what they hold.
 */
@ApplicationScoped
public class TurnVectors {
    private final Cache<String, Packed> cache;

    /** @param config the service's settings */
    @Inject
    public TurnVectors(KaiwaConfig config) {
        this.cache = Caffeine.newBuilder().maximumSize(config.context().recall().cacheTurns()).build();
    }

    /**
     * A turn's vectors, packed.
     *
     * @param parts each part's values as signed bytes; empty for a part the turn does not have
     * @param scales what a byte of each part is worth
     */
    public record Packed(byte[][] parts, float[] scales) {
        /**
         * @param vectors a turn's unit vectors, by part; a {@code null} or empty part stays empty
         * @return them packed
         */
        public static Packed of(float[][] vectors) {
            var parts = new byte[vectors.length][];
            var scales = new float[vectors.length];
            for (int p = 0; p < vectors.length; p++) {
                float[] v = vectors[p] == null ? new float[0] : vectors[p];
                float max = 0;
                for (float x : v) {
                    max = Math.max(max, Math.abs(x));
                }
                scales[p] = max == 0 ? 0 : max / 127f;
                parts[p] = new byte[v.length];
                for (int i = 0; i < v.length; i++) {
                    parts[p][i] = scales[p] == 0 ? 0 : (byte) Math.round(v[i] / scales[p]);
                }
            }
            return new Packed(parts, scales);
        }

        /**
         * @param query a unit vector
         * @return the cosine similarity of the closer part to it; minus infinity when no part has its dimensions
         */
        public double score(float[] query) {
            double best = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < parts.length; p++) {
                byte[] b = parts[p];
                if (b.length != query.length) {
                    continue;
                }
                double dot = 0;
                for (int i = 0; i < b.length; i++) {
                    dot += query[i] * b[i];
                }
                best = Math.max(best, dot * scales[p]);
            }
            return best;
        }
    }

    /**
     * @param model the embedding model
     * @param id a response
     * @return its vectors, or {@code null} when not held
     */
    public Packed get(String model, String id) {
        return cache.getIfPresent(key(model, id));
    }

    /**
     * @param model the embedding model that made them
     * @param id a response
     * @param vectors its vectors, by part
     * @return them packed, now held
     */
    public Packed put(String model, String id, float[][] vectors) {
        Packed packed = Packed.of(vectors);
        cache.put(key(model, id), packed);
        return packed;
    }

    private static String key(String model, String id) {
        return model + '\n' + id;
    }
}
