package io.kaiwa.runtime.provider;

import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.runtime.api.ApiException;
import io.kaiwa.runtime.config.KaiwaConfig;

/**
 * Turns a Responses API request's options into the field names of the provider's API: passed through to a
 * Responses provider, translated for Chat Completions and DashScope native ({@code max_output_tokens} to
 * {@code max_tokens}, flat function tools to nested ones, {@code text.format} to {@code response_format}).
 */
public final class ProviderOptions {
    /** Options Kaiwa provides itself and never forwards. */
    private static final Set<String> KAIWA_ONLY = Set.of("metadata", "truncation", "max_tool_calls", "include", "user",
            "safety_identifier", "prompt_cache_key", "service_tier", "top_logprobs", "prompt");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ProviderOptions() {
    }

    /**
     * @param provider where the request goes
     * @param options the request's options as the client sent them
     * @return the fields to send
     */
    public static ObjectNode forProvider(Provider provider, ObjectNode options) {
        if (provider.api() == KaiwaConfig.Api.RESPONSES) {
            ObjectNode out = options.deepCopy();
            // Kaiwa keeps the metadata and answers the truncation itself; providers such as DashScope ignore them.
            out.remove("metadata");
            out.remove("truncation");
            return out;
        }
        ObjectNode out = JSON.objectNode();
        for (Map.Entry<String, JsonNode> e : options.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (KAIWA_ONLY.contains(name)) {
                continue;
            }
            switch (name) {
                case "max_output_tokens" -> out.set("max_tokens", value);
                case "tools" -> out.set("tools", chatTools(provider, (ArrayNode) value));
                case "tool_choice" -> out.set("tool_choice", chatToolChoice(value));
                case "text" -> {
                    JsonNode format = value.path("format");
                    if (format.isObject() && !"text".equals(format.path("type").asText())) {
                        out.set("response_format", responseFormat((ObjectNode) format));
                    }
                }
                case "reasoning" -> {
                    if (value.path("effort").isTextual()) {
                        out.set("reasoning_effort", value.get("effort"));
                    }
                }
                default -> out.set(name, value);
            }
        }
        return out;
    }

    private static ArrayNode chatTools(Provider provider, ArrayNode tools) {
        ArrayNode out = JSON.arrayNode();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String type = tool.path("type").asText();
            if (!"function".equals(type)) {
                throw ApiException.badRequest("tools[" + i + "].type", "The tool '" + type + "' is not available "
                        + "with the model's provider '" + provider.name() + "' (a Chat Completions API); use a "
                        + "provider that hosts it.");
            }
            ObjectNode function = JSON.objectNode();
            for (String field : new String[]{"name", "description", "parameters", "strict"}) {
                if (tool.hasNonNull(field)) {
                    function.set(field, tool.get(field));
                }
            }
            ObjectNode wrapped = JSON.objectNode().put("type", "function");
            wrapped.set("function", function);
            out.add(wrapped);
        }
        return out;
    }

    private static JsonNode chatToolChoice(JsonNode choice) {
        if (choice.isObject() && "function".equals(choice.path("type").asText()) && choice.has("name")) {
            ObjectNode out = JSON.objectNode().put("type", "function");
            out.putObject("function").set("name", choice.get("name"));
            return out;
        }
        return choice;
    }

    private static ObjectNode responseFormat(ObjectNode format) {
        String type = format.path("type").asText();
        if (!"json_schema".equals(type)) {
            return JSON.objectNode().put("type", type);
        }
        ObjectNode schema = format.deepCopy();
        schema.remove("type");
        ObjectNode out = JSON.objectNode().put("type", "json_schema");
        out.set("json_schema", schema);
        return out;
    }
}
