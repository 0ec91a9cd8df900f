package io.kaiwa.core.item;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An item this version does not model (or cannot model faithfully): kept verbatim and written back unchanged.
 *
 * @param type the wire {@code type}, or {@code null} when the item had none
 * @param raw the item's JSON as received; copied, never {@code null}
 */
public record UnknownItem(String type, ObjectNode raw) implements Item {
    public UnknownItem {
        raw = requireNonNull(raw, "raw").deepCopy();
    }

    /** @return the JSON as received; a copy, so changing it changes nothing here */
    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }

    @Override
    public String id() {
        JsonNode id = raw.get("id");
        return id != null && id.isTextual() ? id.asText() : null;
    }

    /** Everything is in {@link #raw()}. */
    @Override
    public Map<String, JsonNode> extra() {
        return Map.of();
    }
}
