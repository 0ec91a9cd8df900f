package io.kaiwa.core.json;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.exception.InvalidPayloadException;

/**
 * Typed access to JSON fields that fails with an {@link InvalidPayloadException} naming the field's path, for
 * every reader of provider JSON (core's item codec and the adapters' answer readers). JSON {@code null} and an
 * absent field mean the same: providers send either for "not set". Paths read like {@code output[2].content}.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** @return the path of a field of the object at {@code path} */
    public static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    /** @return the path of an element of the array at {@code path} */
    public static String index(String path, int i) {
        return path + "[" + i + "]";
    }

    /** @return the node as an object; fails naming {@code path} when it is anything else */
    public static ObjectNode object(JsonNode node, String path) {
        if (node instanceof ObjectNode o) {
            return o;
        }
        throw wrongType(path, "an object", node);
    }

    /** @return the node as an array; fails naming {@code path} when it is anything else */
    public static ArrayNode array(JsonNode node, String path) {
        if (node instanceof ArrayNode a) {
            return a;
        }
        throw wrongType(path, "an array", node);
    }

    /** @return the field's text, or {@code null} when absent or null; fails when it is not a string */
    public static String string(JsonNode o, String field, String path) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw wrongType(child(path, field), "a string", n);
        }
        return n.textValue();
    }

    /** @return the field's text; fails when it is absent, null or not a string */
    public static String requiredString(JsonNode o, String field, String path) {
        String s = string(o, field, path);
        if (s == null) {
            throw missing(child(path, field));
        }
        return s;
    }

    /** @return the field as an object, or {@code null} when absent or null */
    public static ObjectNode optionalObject(JsonNode o, String field, String path) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : object(n, child(path, field));
    }

    /** @return the field as an array, or {@code null} when absent or null */
    public static ArrayNode optionalArray(JsonNode o, String field, String path) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : array(n, child(path, field));
    }

    /** @return the field as an int, or {@code null} when absent or null; fails when not an integer */
    public static Integer optionalInt(JsonNode o, String field, String path) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw wrongType(child(path, field), "an integer", n);
        }
        return n.intValue();
    }

    /** @return the field as a non-negative count, 0 when absent or null; fails otherwise */
    public static long count(JsonNode o, String field, String path) {
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
    public static boolean hasOnly(ObjectNode o, Set<String> fields) {
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!fields.contains(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    /** @return the fields of {@code o} not in {@code known}, in order; {@code null} when there are none */
    public static Map<String, JsonNode> extra(ObjectNode o, Set<String> known) {
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

    /** @return the error for a required field that is absent */
    public static InvalidPayloadException missing(String path) {
        return new InvalidPayloadException(path, "required field is missing", null);
    }

    /** @return the error for a field of the wrong JSON type */
    public static InvalidPayloadException wrongType(String path, String expected, JsonNode actual) {
        String got = actual == null ? "nothing" : actual.getNodeType().name().toLowerCase(Locale.ROOT);
        return new InvalidPayloadException(path, "expected " + expected + ", got " + got, null);
    }
}
