package io.kaiwa.runtime.memory;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.common.Errors;

/**
 * What a request asks of the context it is sent ({@code context_management}): OpenAI's
 * {@code {"type":"compaction","compact_threshold":N}}, and Kaiwa's own
 * {@code {"type":"last_turns","turns":N,"block":B}} and {@code {"type":"recall","top_k":K,"threshold":T}}. Left out,
 * the service's defaults apply; an empty list asks for none.
 *
 * @param given whether the request said anything (else the defaults apply)
 * @param compactThreshold past how many input tokens the request is compacted, or {@code null} for never
 * @param lastTurns which of the most recent turns are sent, or {@code null} for no limit
 * @param recall which earlier turns are recalled, or {@code null} for none
 */
public record ContextManagement(boolean given, Integer compactThreshold, LastTurns lastTurns, Recall recall) {
    /** The smallest threshold: below it a summary would cost more than it saves. */
    public static final int MIN_THRESHOLD = 1_000;
    /** Nothing asked: the service's defaults. */
    public static final ContextManagement DEFAULTS = new ContextManagement(false, null, null, null);
    /** The most turns one request may recall. */
    public static final int MAX_RECALLED = 20;

    /**
     * The most recent turns only, older ones left out a block at a time so that the start of the prompt, and the
     * provider's prefix cache, holds until the next block goes.
     *
     * @param turns how many turns are sent at least; at least 1
     * @param block how many older turns go at once; at least 1 (so {@code turns} to {@code turns + block - 1} are
     *        sent)
     */
    public record LastTurns(int turns, int block) {
        /**
         * @param turns how many turns are sent at least
         * @return the default block: half the turns, so the prompt's start changes once every {@code turns / 2}
         *         turns and no request carries more than half again the turns asked
         */
        public static LastTurns of(int turns) {
            return new LastTurns(turns, Math.max(1, turns / 2));
        }
    }

    /**
     * The earlier turns most like the new input, among those the request does not carry, added to it.
     *
     * @param topK the most turns recalled, 1 to {@link #MAX_RECALLED}; {@code null} for the service's default
     * @param threshold the least cosine similarity a turn needs, from 0 to 1; {@code null} for the service's default
     */
    public record Recall(Integer topK, Double threshold) {
    }

    /**
     * @param node {@code context_management} as sent, or {@code null}
     * @return what it asks
     * @throws io.kaiwa.core.exception.InvalidRequestException naming the entry or field at fault
     */
    public static ContextManagement parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return DEFAULTS;
        }
        if (!node.isArray()) {
            throw Errors.badRequest("context_management", "context_management must be an array of entries.");
        }
        Integer threshold = null;
        LastTurns turns = null;
        Recall recall = null;
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String at = "context_management[" + i + "]";
            if (!entry.isObject() || !entry.path("type").isTextual()) {
                throw Errors.badRequest(at + ".type", "Each context_management entry needs a string 'type'.");
            }
            switch (entry.get("type").asText()) {
                case "compaction" -> threshold = whole(entry, "compact_threshold", at, MIN_THRESHOLD);
                case "last_turns" -> {
                    int n = whole(entry, "turns", at, 1);
                    turns = entry.has("block") ? new LastTurns(n, whole(entry, "block", at, 1)) : LastTurns.of(n);
                }
                case "recall" -> recall = new Recall(
                        entry.has("top_k") ? whole(entry, "top_k", at, 1, MAX_RECALLED) : null,
                        entry.has("threshold") ? share(entry, "threshold", at) : null);
                default -> throw Errors.badRequest(at + ".type", "Unknown context_management type '"
                        + entry.get("type").asText() + "'; known: compaction, last_turns, recall.");
            }
        }
        return new ContextManagement(true, threshold, turns, recall);
    }

    private static int whole(JsonNode entry, String field, String at, int min) {
        return whole(entry, field, at, min, Integer.MAX_VALUE);
    }

    private static int whole(JsonNode entry, String field, String at, int min, int max) {
        JsonNode n = entry.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min || n.intValue() > max) {
            throw Errors.badRequest(at + "." + field, field + " must be a whole number of at least " + min
                    + (max == Integer.MAX_VALUE ? "" : " and at most " + max) + ".");
        }
        return n.intValue();
    }

    private static double share(JsonNode entry, String field, String at) {
        JsonNode n = entry.get(field);
        if (n == null || !n.isNumber() || n.doubleValue() < 0 || n.doubleValue() > 1) {
            throw Errors.badRequest(at + "." + field, field + " must be a number from 0 to 1.");
        }
        return n.doubleValue();
    }
}
