package io.kaiwa.core.options;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * A tool the provider runs itself, given by its type and settings ({@code {"type":"web_search"}},
 * {@code {"type":"mcp","server_url":...}}, ...) and written as it is. Only the Responses API takes such tools; the
 * chat adapters refuse them.
 *
 * @param type the wire type; never {@code null}, never {@code function}
 * @param fields its other fields, in order; {@code null} means none
 */
public record HostedTool(String type, Map<String, JsonNode> fields) implements Tool {
    public HostedTool {
        requireNonNull(type, "type");
        if (type.equals("function")) {
            throw new IllegalArgumentException("a function is a FunctionTool");
        }
        fields = Copies.extra(fields);
    }

    /** @param type the wire type, e.g. {@code web_search} */
    public HostedTool(String type) {
        this(type, null);
    }
}
