package io.kaiwa.core.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/** Defensive copies for the model's records, so every value stays immutable whatever the caller passes. */
public final class Copies {
    private Copies() {
    }

    /**
     * Copies a record's unmodelled wire fields, keeping their order so written JSON reads like what was received.
     *
     * @param extra the fields, or {@code null} for none
     * @return an unmodifiable copy; empty for {@code null}
     */
    public static Map<String, JsonNode> extra(Map<String, JsonNode> extra) {
        if (extra == null || extra.isEmpty()) {
            return Map.of();
        }
        var copy = new LinkedHashMap<String, JsonNode>(extra.size() * 2);
        extra.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "extra key"), v == null ? null : v.deepCopy()));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * @param list a list, or {@code null} for none
     * @param what the field name for the error when an element is {@code null}
     * @return an unmodifiable copy; empty for {@code null}
     */
    public static <T> List<T> list(List<T> list, String what) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        for (T t : list) {
            Objects.requireNonNull(t, () -> what + " must not contain null");
        }
        return List.copyOf(list);
    }
}
