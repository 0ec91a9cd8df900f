package io.kaiwa.core.internal.json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.exception.InvalidPayloadException;

/**
 * Typed access to JSON fields that fails with an {@link InvalidPayloadException} naming the field's path. JSON
 * {@code null} and an absent field mean the same: both APIs send either for "not set".
 */
final class Fields {
    private Fields() {
    }

    static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    static ObjectNode object(JsonNode node, String path) {
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw wrongType(path, "an object", node);
    }

    static ArrayNode array(JsonNode node, String path) {
        if (node instanceof ArrayNode a) {
            return a;
        }
        throw wrongType(path, "an array", node);
    }

    static String string(ObjectNode o, String field, String path) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(child(path, field), "a string", n);
        }
        return n.textValue();
    }

    static String requiredString(ObjectNode o, String field, String path) {
        String s = string(o, field, path);
        if (s == null) {
            throw missing(child(path, field));
        }
        return s;
    }

    static ObjectNode optionalObject(ObjectNode o, String field, String path) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : object(n, child(path, field));
    }

    static ArrayNode optionalArray(ObjectNode o, String field, String path) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : array(n, child(path, field));
    }

    static Integer optionalInt(ObjectNode o, String field, String path) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw wrongType(child(path, field), "an integer", n);
        }
        return n.intValue();
    }

    static long count(ObjectNode o, String field, String path) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw wrongType(child(path, field), "a non-negative integer", n);
        }
        return n.longValue();
    }

    /** @return whether the object has exactly the given fields and no others */
    static boolean hasOnly(ObjectNode o, Set<String> fields) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!fields.contains(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** @return the fields of {@code o} not in {@code known}, in order; {@code null} when there are none */
    static Map<String, JsonNode> extra(ObjectNode o, Set<String> known) {
        Map<String, JsonNode> extra = null;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!known.contains(e.getKey())) {
                if (extra == null) {
                    extra = new LinkedHashMap<>();
                }
                extra.put(e.getKey(), e.getValue());
            }
        }
        return extra;
    }

    static InvalidPayloadException missing(String path) {
        return new InvalidPayloadException(path, "required field is missing", null);
    }

    static InvalidPayloadException wrongType(String path, String expected, JsonNode actual) {
        String got = actual == null ? "nothing" : actual.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return new InvalidPayloadException(path, "expected " + expected + ", got " + got, null);
    }
}
