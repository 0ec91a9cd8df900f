package io.kaiwa.runtime.memory;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.common.Errors;

/**
 * What a request asks of the context it is sent ({@code context_management}): OpenAI's
 * {@code {"type":"compaction","compact_threshold":N}}, and Kaiwa's own
 * {@code {"type":"last_turns","turns":N,"block":B}}. Left out, the service's defaults apply; an empty list asks for
 * none.
 *
 * @param given whether the request said anything (else the defaults apply)
 * @param compactThreshold past how many input tokens the request is compacted, or {@code null} for never
 * @param lastTurns which of the most recent turns are sent, or {@code null} for no limit
 */
public record ContextManagement(boolean given, Integer compactThreshold, LastTurns lastTurns) {
    /** The smallest threshold: below it a summary would cost more than it saves. */
    public static final int MIN_THRESHOLD = 1_000;
    /** Nothing asked: the service's defaults. */
    public static final ContextManagement DEFAULTS = new ContextManagement(false, null, null);

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
                default -> throw Errors.badRequest(at + ".type", "Unknown context_management type '"
                        + entry.get("type").asText() + "'; known: compaction, last_turns.");
            }
        }
        return new ContextManagement(true, threshold, turns);
    }

    private static int whole(JsonNode entry, String field, String at, int min) {
        JsonNode n = entry.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < min) {
            throw Errors.badRequest(at + "." + field, field + " must be a whole number of at least " + min + ".");
        }
        return n.intValue();
    }
}
