package io.kaiwa.core.options;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.internal.Copies;

/**
 * The shape of the model's text answer ({@code text.format} on the Responses API, {@code response_format} on Chat
 * Completions).
 */
public sealed interface TextFormat permits TextFormat.Text, TextFormat.JsonObject, TextFormat.JsonSchema,
        TextFormat.Other {

    /** Plain text: the default. */
    TextFormat TEXT = new Text();
    /** Any JSON object. */
    TextFormat JSON_OBJECT = new JsonObject();

    /** @return the wire type */
    String type();

    /** Plain text. */
    record Text() implements TextFormat {
        @Override
        public String type() {
            return "text";
        }
    }

    /** Any JSON object. */
    record JsonObject() implements TextFormat {
        @Override
        public String type() {
            return "json_object";
        }
    }

    /**
     * JSON matching a schema.
     *
     * @param name the schema's name; never {@code null}
     * @param schema the JSON Schema; never {@code null}; copied
     * @param strict whether the provider must keep to it exactly, or {@code null} for its default
     * @param description what the answer is for, or {@code null}
     * @param extra unmodelled fields; {@code null} means none
     */
    record JsonSchema(String name, ObjectNode schema, Boolean strict, String description,
            Map<String, JsonNode> extra) implements TextFormat {
        public JsonSchema {
            requireNonNull(name, "name");
            schema = requireNonNull(schema, "schema").deepCopy();
            extra = Copies.extra(extra);
        }

        @Override
        public String type() {
            return "json_schema";
        }
    }

    /**
     * A format this version does not model, written as it is.
     *
     * @param type its type; never {@code null}
     * @param fields its other fields; {@code null} means none
     */
    record Other(String type, Map<String, JsonNode> fields) implements TextFormat {
        public Other {
            requireNonNull(type, "type");
            fields = Copies.extra(fields);
        }
    }
}
