package io.kaiwa.core.content;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A content part this version does not model: kept verbatim and written back unchanged.
 *
 * @param type the wire {@code type}, or {@code null} when the part had none
 * @param raw the part's JSON as received; copied, never {@code null}
 */
public record UnknownContent(String type, ObjectNode raw) implements ContentPart {
    public UnknownContent {
        raw = requireNonNull(raw, "raw").deepCopy();
    }

    /** @return the JSON as received; a copy, so changing it changes nothing here */
    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }

    /** Everything is in {@link #raw()}. */
    @Override
    public Map<String, JsonNode> extra() {
        return Map.of();
    }
}
