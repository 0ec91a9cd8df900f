package io.kaiwa.runtime.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.context.Recall;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.spi.Embedder;
import io.kaiwa.embeddings.local.LocalEmbedder;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.persistence.MemoryStore;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.provider.Providers;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Finds the earlier turns of a chain most like a request's new input, among those the request does not carry. Each
 * turn's vector is made once, the first time the turn is a candidate, and kept in the database; the scoring is brute
 * force over the chain's vectors, which a conversation of thousands of turns does in a millisecond or two. Only ids
 * and vectors are read for scoring; the texts of the turns found are read afterwards.
 */
@Startup
@ApplicationScoped
public class TurnRecall {
    private static final Logger LOG = Logger.getLogger(TurnRecall.class);
    private static final String NO_LOCAL_MODEL = "The in-process embedding model (ONNX Runtime, a JNI library) "
            + "cannot run in a native executable: set kaiwa.context.recall.embedder to a provider's name.";

    @Inject
    ResponseStore store;

    @Inject
    MemoryStore memory;

    @Inject
    Providers providers;

    @Inject
    KaiwaConfig config;

    @Inject
    TurnVectors vectors;

    private volatile Embedder local;
    /** Chains' lines by tenant and last response; weighed by length, the entries shared between lines. */
    private final Cache<String, List<Entry>> lines = Caffeine.newBuilder().maximumWeight(2_000_000)
            .weigher((String key, List<Entry> line) -> line.size()).build();

    /** A mistyped setting stops the start, not the first request that recalls. */
    @PostConstruct
    void check() {
        KaiwaConfig.Recall r = settings();
        require(r.topK() >= 1 && r.topK() <= ContextManagement.MAX_RECALLED, "top-k", "from 1 to "
                + ContextManagement.MAX_RECALLED, r.topK());
        require(r.threshold() >= 0 && r.threshold() <= 1, "threshold", "from 0 to 1", r.threshold());
        require(r.maxChars() >= 1, "max-chars", "at least 1", r.maxChars());
        require(r.maxEmbeddedPerRequest() >= 0, "max-embedded-per-request", "at least 0",
                r.maxEmbeddedPerRequest());
        require(r.cacheTurns() >= 0, "cache-turns", "at least 0", r.cacheTurns());
        if (r.enabled() && !r.embedder().equals("local")) {
            providers.embedder(r.embedder());
        }
        if (r.enabled() && r.embedder().equals("local") && ImageMode.current() == ImageMode.NATIVE_RUN) {
            LOG.warn(NO_LOCAL_MODEL + " Requests go without recall, and x_context.recall.failed says so.");
        }
    }

    private static void require(boolean ok, String name, String range, Object value) {
        if (!ok) {
            throw new IllegalStateException("kaiwa.context.recall." + name + " must be " + range + ", not " + value);
        }
    }

    /**
     * What recall found.
     *
     * @param turns the turns, most alike first
     * @param report what to say of it in the response's {@code x_context.recall}
     */
    public record Found(List<Recall.Recalled> turns, ObjectNode report) {
    }

    /**
     * @param tenant whose chain it is
     * @param loaded the chain's turns as loaded for the request (from its latest compaction), oldest first
     * @param sent the responses whose turns the request already carries
     * @param sentText the texts of the user's messages the request already carries, so that a turn kept word for word
     *        is not recalled again
     * @param input the request's new input
     * @param topK the most turns to find
     * @param threshold the least similarity
     * @return what was found; {@code null} when there was nothing to look for (no user text: nothing is embedded)
     *         or nothing to look through (no earlier turn left out; the query was embedded by then, while the chain
     *         was read)
     */
    public Uni<Found> find(String tenant, List<Turn> loaded, Set<String> sent, Set<String> sentText, List<Item> input,
            int topK, double threshold) {
        String query = Recall.query(input);
        if (query == null) {
            return Uni.createFrom().nullItem();
        }
        Embedder embedder = embedder();
        String model = embedder.model();
        // The in-process model answers on a worker thread; the database is reached from the request's context.
        Context caller = Vertx.currentContext();
        Executor back = caller == null ? Runnable::run : task -> caller.runOnContext(ignored -> task.run());
        // The query is embedded while the chain is read.
        Uni<float[]> queryVector = embedder.embed(List.of(query)).emitOn(back).map(v -> v.get(0));
        return Uni.combine().all().unis(line(tenant, loaded), queryVector).asTuple().chain(both -> {
            List<Entry> line = both.getItem1();
            var candidates = new ArrayList<Entry>();
            var packed = new HashMap<String, TurnVectors.Packed>();
            var uncached = new ArrayList<String>();
            for (Entry t : line) {
                if (!sent.contains(t.id()) && t.replayable()) {
                    candidates.add(t);
                    TurnVectors.Packed p = vectors.get(model, t.id());
                    if (p != null) {
                        packed.put(t.id(), p);
                    } else {
                        uncached.add(t.id());
                    }
                }
            }
            if (candidates.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            return memory.vectors(uncached, model).chain(stored -> {
                stored.forEach((id, v) -> packed.put(id, vectors.put(model, id, v)));
                var missing = new ArrayList<String>();
                for (String id : uncached) {
                    if (!packed.containsKey(id) && missing.size() < settings().maxEmbeddedPerRequest()) {
                        missing.add(id);
                    }
                }
                return embedMissing(tenant, embedder, missing, back).map(made -> {
                    made.vectors().forEach((id, v) -> packed.put(id, vectors.put(model, id, v)));
                    return made;
                });
            }).chain(made -> pick(tenant, candidates, packed, made.turns(), both.getItem2(), sentText, topK,
                    threshold, model, made.vectors().size()));
        });
    }

    /**
     * One turn of a chain, as recall looks through it.
     *
     * @param id the response
     * @param replayable whether it finished with an answer (completed or incomplete)
     * @param number its place in the chain, from 1
     */
    record Entry(String id, boolean replayable, int number) {
    }

    /**
     * The chain behind the last loaded turn, newest first. A chain only grows at its end, so the line of a turn is
     * its own entries before the line of an earlier turn: held lines are extended by the turns loaded since, and the
     * database is walked only for a chain this instance has not seen.
     */
    private Uni<List<Entry>> line(String tenant, List<Turn> loaded) {
        String lastId = loaded.get(loaded.size() - 1).id();
        for (int i = loaded.size() - 1; i >= 0; i--) {
            List<Entry> held = lines.getIfPresent(tenant + '\n' + loaded.get(i).id());
            if (held != null) {
                var line = new ArrayList<Entry>(held.size() + loaded.size() - 1 - i);
                int number = held.get(0).number() + loaded.size() - 1 - i;
                for (int j = loaded.size() - 1; j > i; j--) {
                    Turn t = loaded.get(j);
                    line.add(new Entry(t.id(), t.status() == TurnStatus.COMPLETED
                            || t.status() == TurnStatus.INCOMPLETE, number--));
                }
                line.addAll(held);
                List<Entry> kept = List.copyOf(line);
                if (i < loaded.size() - 1) {
                    // The shorter line is held again only if another branch continues it.
                    lines.invalidate(tenant + '\n' + loaded.get(i).id());
                }
                lines.put(tenant + '\n' + lastId, kept);
                return Uni.createFrom().item(kept);
            }
        }
        return memory.line(tenant, lastId).map(rows -> {
            var line = new ArrayList<Entry>(rows.size());
            for (MemoryStore.LineTurn t : rows) {
                line.add(new Entry(t.id(), t.status() == ResponseStatus.COMPLETED
                        || t.status() == ResponseStatus.INCOMPLETE, rows.size() - t.depth()));
            }
            List<Entry> kept = List.copyOf(line);
            if (!kept.isEmpty()) {
                lines.put(tenant + '\n' + lastId, kept);
            }
            return kept;
        });
    }

    /** Turns embedded for a request: their vectors by part, and the turns read to embed them. */
    private record Made(Map<String, float[][]> vectors, Map<String, Turn> turns) {
    }

    /** Embeds the turns that have no vectors yet: what the user said and what the assistant answered, apart. */
    private Uni<Made> embedMissing(String tenant, Embedder embedder, List<String> missing, Executor back) {
        if (missing.isEmpty()) {
            return Uni.createFrom().item(new Made(Map.of(), new HashMap<>()));
        }
        return store.findAll(tenant, missing).chain(records -> {
            Map<String, Turn> turns = new HashMap<>();
            var texts = new ArrayList<String>(records.size() * 2);
            var slots = new ArrayList<int[]>(records.size() * 2);
            var ids = new ArrayList<String>(records.size());
            for (ResponseRecord r : records) {
                Turn turn = r.turn();
                turns.put(r.id, turn);
                List<String> parts = Recall.parts(turn, settings().maxChars());
                for (int p = 0; p < parts.size(); p++) {
                    if (!parts.get(p).isEmpty()) {
                        slots.add(new int[]{ids.size(), p, texts.size()});
                        texts.add(parts.get(p));
                    }
                }
                ids.add(r.id);
            }
            Map<String, float[][]> made = new LinkedHashMap<>();
            for (String id : ids) {
                // A part the turn does not have is kept empty, so the turn counts as embedded.
                made.put(id, new float[][]{new float[0], new float[0]});
            }
            Uni<List<float[]>> embedded = texts.isEmpty()
                    ? Uni.createFrom().item(List.of())
                    : embedder.embed(texts).emitOn(back);
            return embedded.chain(v -> {
                for (int[] slot : slots) {
                    made.get(ids.get(slot[0]))[slot[1]] = v.get(slot[2]);
                }
                return memory.saveVectors(embedder.model(), made).replaceWith(new Made(made, turns));
            });
        });
    }

    private KaiwaConfig.Recall settings() {
        return config.context().recall();
    }

    private Uni<Found> pick(String tenant, List<Entry> candidates,
            Map<String, TurnVectors.Packed> packed, Map<String, Turn> turns, float[] query, Set<String> sentText,
            int topK, double threshold, String model, int embedded) {
        // A turn is as alike as the closer of its two parts.
        double[] scores = new double[candidates.size()];
        for (int i = 0; i < scores.length; i++) {
            TurnVectors.Packed p = packed.get(candidates.get(i).id());
            scores[i] = p == null ? Double.NEGATIVE_INFINITY : p.score(query);
        }
        // Twice as many as asked: some may turn out to be kept word for word already.
        List<Recall.Scored> best = Recall.top(scores, topK * 2, threshold);
        var unread = new ArrayList<String>();
        for (Recall.Scored s : best) {
            String id = candidates.get(s.index()).id();
            if (!turns.containsKey(id)) {
                unread.add(id);
            }
        }
        return store.findAll(tenant, unread).map(records -> {
            records.forEach(r -> turns.put(r.id, r.turn()));
            var found = new ArrayList<Recall.Recalled>(topK);
            ObjectNode report = KaiwaJson.mapper().createObjectNode();
            report.put("embedder", model).put("candidates", candidates.size()).put("embedded", embedded);
            ArrayNode listed = report.putArray("turns");
            for (Recall.Scored s : best) {
                Entry t = candidates.get(s.index());
                Turn turn = turns.get(t.id());
                if (turn == null || carried(turn, sentText)) {
                    continue;
                }
                int number = t.number();
                found.add(new Recall.Recalled(turn, number, s.score()));
                listed.addObject().put("turn", number).put("response_id", t.id())
                        .put("score", Math.round(s.score() * 1000) / 1000.0);
                if (found.size() == topK) {
                    break;
                }
            }
            return new Found(found, report);
        });
    }

    /** @return whether each thing the user said in the turn is in the request already */
    private static boolean carried(Turn turn, Set<String> sentText) {
        boolean said = false;
        for (Item item : turn.input()) {
            if (item instanceof MessageItem m && m.role() == Role.USER && !m.text().isBlank()) {
                if (!sentText.contains(m.text().strip())) {
                    return false;
                }
                said = true;
            }
        }
        return said;
    }

    private Embedder embedder() {
        String name = config.context().recall().embedder();
        if (!name.equals("local")) {
            return providers.embedder(name);
        }
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            throw new IllegalStateException(NO_LOCAL_MODEL);
        }
        Embedder e = local;
        if (e == null) {
            synchronized (this) {
                if (local == null) {
                    local = LocalEmbedder.create();
                }
                e = local;
            }
        }
        return e;
    }
}
