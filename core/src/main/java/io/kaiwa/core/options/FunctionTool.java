package io.kaiwa.core.options;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.internal.Copies;

/**
 * A function the model may call; the caller runs it and answers with a
 * {@link io.kaiwa.core.item.FunctionCallOutputItem}. Written flat on the Responses API
 * ({@code {"type":"function","name",...}}) and nested on Chat Completions ({@code {"type":"function","function":{...}}}).
 *
 * @param name the function's name; never {@code null}
 * @param description what it does, for the model, or {@code null}
 * @param parameters its arguments' JSON Schema, or {@code null}; copied
 * @param strict whether the provider must keep to the schema exactly, or {@code null} for its default
 * @param extra unmodelled wire fields, written back on the Responses API; {@code null} means none
 */
public record FunctionTool(String name, String description, ObjectNode parameters, Boolean strict,
        Map<String, JsonNode> extra) implements Tool {
    public FunctionTool {
        requireNonNull(name, "name");
        parameters = parameters == null ? null : parameters.deepCopy();
        extra = Copies.extra(extra);
    }

    /**
     * @param name the function's name
     * @param description what it does, or {@code null}
     * @param parameters its arguments' JSON Schema, or {@code null}
     */
    public FunctionTool(String name, String description, ObjectNode parameters) {
        this(name, description, parameters, null, null);
    }

    @Override
    public String type() {
        return "function";
    }
}
