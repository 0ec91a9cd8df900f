package io.kaiwa.runtime.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Turn;
import io.kaiwa.core.context.Recall;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.spi.Embedder;
import io.kaiwa.embeddings.local.LocalEmbedder;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.provider.Providers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Finds the earlier turns of a chain most like a request's new input, among those the request does not carry. Each
 * turn's vector is made once, the first time the turn is a candidate, and kept in the database; the scoring is brute
 * force over the chain's vectors, which a conversation of thousands of turns does in a millisecond or two. Only ids
 * and vectors are read for scoring; the texts of the turns found are read afterwards.
 */
@ApplicationScoped
public class TurnRecall {
    @Inject
    ResponseStore store;

    @Inject
    Providers providers;

    @Inject
    KaiwaConfig config;

    private volatile Embedder local;

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
     * @param lastId the chain's last response
     * @param sent the responses whose turns the request already carries
     * @param sentText the text the request already carries, so that a turn kept word for word is not recalled again
     * @param input the request's new input
     * @param topK the most turns to find
     * @param threshold the least similarity
     * @return what was found; {@code null} when there was nothing to look through (no earlier turn left out, or no
     *         user text to look for), so that no embedding is asked for
     */
    public Uni<Found> find(String tenant, String lastId, Set<String> sent, String sentText, List<Item> input,
            int topK, double threshold) {
        String query = Recall.query(input);
        if (query == null) {
            return Uni.createFrom().nullItem();
        }
        Embedder embedder = embedder();
        KaiwaConfig.Recall settings = config.context().recall();
        // The in-process model answers on a worker thread; the database is reached from the request's context.
        Context caller = Vertx.currentContext();
        Executor back = caller == null ? Runnable::run : task -> caller.runOnContext(ignored -> task.run());
        return store.line(tenant, lastId, embedder.model()).chain(line -> {
            var candidates = new ArrayList<ResponseStore.LineTurn>();
            var missing = new ArrayList<String>();
            for (ResponseStore.LineTurn t : line) {
                if (!sent.contains(t.id())
                        && (t.status() == ResponseStatus.COMPLETED || t.status() == ResponseStatus.INCOMPLETE)) {
                    candidates.add(t);
                    if (t.vectors() == null && missing.size() < settings.maxEmbeddedPerRequest()) {
                        missing.add(t.id());
                    }
                }
            }
            if (candidates.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            return store.findAll(tenant, missing).chain(records -> {
                Map<String, Turn> turns = new HashMap<>();
                // The query first, then each turn's non-empty parts; an empty part gets an empty vector.
                var texts = new ArrayList<String>(records.size() * 2 + 1);
                var slots = new ArrayList<int[]>(records.size() * 2);
                var ids = new ArrayList<String>(records.size());
                texts.add(query);
                for (ResponseRecord r : records) {
                    Turn turn = r.turn();
                    turns.put(r.id, turn);
                    List<String> parts = Recall.parts(turn, settings.maxChars());
                    for (int p = 0; p < parts.size(); p++) {
                        if (!parts.get(p).isEmpty()) {
                            slots.add(new int[]{ids.size(), p, texts.size()});
                            texts.add(parts.get(p));
                        }
                    }
                    ids.add(r.id);
                }
                return embedder.embed(texts).emitOn(back).chain(vectors -> {
                    Map<String, float[][]> made = new LinkedHashMap<>();
                    for (String id : ids) {
                        made.put(id, new float[][]{new float[0], new float[0]});
                    }
                    for (int[] slot : slots) {
                        made.get(ids.get(slot[0]))[slot[1]] = vectors.get(slot[2]);
                    }
                    return store.saveVectors(embedder.model(), made)
                            .chain(() -> pick(tenant, line.size(), candidates, made, turns, vectors.get(0),
                                    sentText, topK, threshold, embedder.model(), made.size()));
                });
            });
        });
    }

    private Uni<Found> pick(String tenant, int total, List<ResponseStore.LineTurn> candidates,
            Map<String, float[][]> made, Map<String, Turn> turns, float[] query, String sentText, int topK,
            double threshold, String model, int embedded) {
        // A turn is as alike as the closer of its two parts.
        double[] scores = new double[candidates.size()];
        for (int i = 0; i < scores.length; i++) {
            ResponseStore.LineTurn t = candidates.get(i);
            float[][] v = t.vectors() != null ? t.vectors() : made.get(t.id());
            scores[i] = Double.NEGATIVE_INFINITY;
            if (v != null) {
                for (float[] part : v) {
                    if (part != null && part.length == query.length) {
                        scores[i] = Math.max(scores[i], Recall.similarity(query, part));
                    }
                }
            }
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
                ResponseStore.LineTurn t = candidates.get(s.index());
                Turn turn = turns.get(t.id());
                String asked = turn == null ? null : Recall.query(turn.input());
                if (turn == null || asked != null && sentText.contains(asked)) {
                    continue;
                }
                int number = total - t.depth();
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

    private Embedder embedder() {
        String name = config.context().recall().embedder();
        if (!name.equals("local")) {
            return providers.embedder(name);
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
