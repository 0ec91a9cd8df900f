package io.kaiwa.runtime.memory;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.common.Errors;

/**
 * What a request asks of the context it is sent ({@code context_management}): OpenAI's
 * {@code {"type":"compaction","compact_threshold":N}}, and Kaiwa's own {@code {"type":"last_turns","turns":N}}. Left
 * out, the service's defaults apply; an empty list asks for none.
 *
 * @param given whether the request said anything (else the defaults apply)
 * @param compactThreshold past how many input tokens the request is compacted, or {@code null} for never
 * @param lastTurns how many of the most recent turns are sent at most, or {@code null} for no limit
 */
public record ContextManagement(boolean given, Integer compactThreshold, Integer lastTurns) {
    /** The smallest threshold: below it a summary would cost more than it saves. */
    public static final int MIN_THRESHOLD = 1_000;
    /** Nothing asked: the service's defaults. */
    public static final ContextManagement DEFAULTS = new ContextManagement(false, null, null);

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
        Integer turns = null;
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String at = "context_management[" + i + "]";
            if (!entry.isObject() || !entry.path("type").isTextual()) {
                throw Errors.badRequest(at + ".type", "Each context_management entry needs a string 'type'.");
            }
            switch (entry.get("type").asText()) {
                case "compaction" -> threshold = whole(entry, "compact_threshold", at, MIN_THRESHOLD);
                case "last_turns" -> turns = whole(entry, "turns", at, 1);
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
