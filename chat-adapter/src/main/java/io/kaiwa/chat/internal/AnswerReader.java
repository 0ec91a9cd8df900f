package io.kaiwa.chat.internal;

import static io.kaiwa.core.json.JsonFields.array;
import static io.kaiwa.core.json.JsonFields.count;
import static io.kaiwa.core.json.JsonFields.object;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.Usage;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.JsonFields;

/**
 * Feeds Chat Completions and DashScope native answers, whole or streamed, into a {@link TurnAssembler}: the one
 * place that reads those wire shapes. Unknown fields are ignored; a field of the wrong type fails with an
 * {@link InvalidPayloadException} naming it.
 */
public final class AnswerReader {
    private AnswerReader() {
    }

    /**
     * Reads a Chat Completions answer or stream chunk: {@code choices[0].message} (whole) or
     * {@code choices[0].delta} (chunk), {@code finish_reason}, {@code usage} and {@code id}.
     *
     * @param root the JSON
     * @param into where the pieces go
     */
    public static void chat(JsonNode root, TurnAssembler into) {
        object(root, "");
        into.id(JsonFields.string(root, "id", ""));
        JsonNode choices = root.get("choices");
        if (choices != null && !choices.isNull()) {
            array(choices, "choices");
            for (int i = 0; i < choices.size(); i++) {
                JsonNode choice = object(choices.get(i), "choices[" + i + "]");
                // Kaiwa asks for one choice; a provider that sends more gets its first one used.
                if (choice.path("index").asInt(0) != 0) {
                    continue;
                }
                String path = "choices[" + i + "]";
                JsonNode message = choice.has("delta") ? choice.get("delta") : choice.get("message");
                if (message != null && !message.isNull()) {
                    message(message, path + (choice.has("delta") ? ".delta" : ".message"), into);
                }
                into.logprobs(choice.path("logprobs").path("content"));
                into.finish(JsonFields.string(choice, "finish_reason", path));
            }
        }
        JsonNode usage = root.get("usage");
        if (usage != null && !usage.isNull()) {
            into.usage(chatUsage(usage, "usage"));
        }
    }

    /**
     * Reads a DashScope native answer or stream event: {@code output.choices[0].message} (or the older
     * {@code output.text}), {@code finish_reason}, {@code usage} and {@code request_id}.
     *
     * @param root the JSON
     * @param into where the pieces go
     */
    public static void dashScope(JsonNode root, TurnAssembler into) {
        object(root, "");
        into.id(JsonFields.string(root, "request_id", ""));
        JsonNode output = root.get("output");
        if (output != null && !output.isNull()) {
            object(output, "output");
            JsonNode choices = output.get("choices");
            if (choices != null && !choices.isNull()) {
                array(choices, "output.choices");
                if (choices.size() > 0) {
                    JsonNode choice = object(choices.get(0), "output.choices[0]");
                    JsonNode message = choice.get("message");
                    if (message != null && !message.isNull()) {
                        message(message, "output.choices[0].message", into);
                    }
                    into.finish(JsonFields.string(choice, "finish_reason", "output.choices[0]"));
                }
            } else {
                into.content(JsonFields.string(output, "text", "output"));
                into.finish(JsonFields.string(output, "finish_reason", "output"));
            }
        }
        JsonNode usage = root.get("usage");
        if (usage != null && !usage.isNull()) {
            into.usage(dashScopeUsage(usage, "usage"));
        }
    }

    private static void message(JsonNode message, String path, TurnAssembler into) {
        object(message, path);
        into.reasoning(JsonFields.string(message, "reasoning_content", path));
        JsonNode content = message.get("content");
        if (content != null && !content.isNull()) {
            if (content.isTextual()) {
                into.content(content.textValue());
            } else if (content.isArray()) {
                // DashScope multimodal answers: [{"text": ...}]; some OpenAI-compatible servers: [{"type":"text"}].
                for (int i = 0; i < content.size(); i++) {
                    into.content(JsonFields.string(object(content.get(i), path + ".content[" + i + "]"), "text",
                            path + ".content[" + i + "]"));
                }
            } else {
                throw JsonFields.wrongType(path + ".content", "a string or an array", content);
            }
        }
        JsonNode refusal = message.get("refusal");
        if (refusal != null && refusal.isTextual()) {
            into.refusal(refusal.textValue());
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && !calls.isNull()) {
            array(calls, path + ".tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                String callPath = path + ".tool_calls[" + i + "]";
                JsonNode call = object(calls.get(i), callPath);
                JsonNode index = call.get("index");
                int position = index != null && index.canConvertToInt() ? index.intValue() : i;
                JsonNode function = call.get("function");
                String name = null;
                String arguments = null;
                if (function != null && !function.isNull()) {
                    object(function, callPath + ".function");
                    name = JsonFields.string(function, "name", callPath + ".function");
                    JsonNode args = function.get("arguments");
                    // Some servers send arguments as a JSON object rather than its text.
                    arguments = args == null || args.isNull()
                            ? null
                            : args.isTextual()
                                    ? args.textValue()
                                    : args.toString();
                }
                into.toolCall(position, JsonFields.string(call, "id", callPath), name, arguments);
            }
        }
    }

    /**
     * @param usage Chat Completions usage ({@code prompt_tokens}, {@code completion_tokens}, ...)
     * @param path its path
     * @return the usage
     */
    public static Usage chatUsage(JsonNode usage, String path) {
        object(usage, path);
        long in = count(usage, "prompt_tokens", path);
        long out = count(usage, "completion_tokens", path);
        long total = usage.hasNonNull("total_tokens") ? count(usage, "total_tokens", path) : in + out;
        long cached = count(usage.path("prompt_tokens_details"), "cached_tokens", path + ".prompt_tokens_details");
        long reasoning = count(usage.path("completion_tokens_details"), "reasoning_tokens",
                path + ".completion_tokens_details");
        return new Usage(in, out, total, cached, reasoning, null);
    }

    /**
     * @param usage DashScope native usage ({@code input_tokens}, {@code output_tokens}, ...)
     * @param path its path
     * @return the usage
     */
    public static Usage dashScopeUsage(JsonNode usage, String path) {
        object(usage, path);
        long in = count(usage, "input_tokens", path);
        long out = count(usage, "output_tokens", path);
        long total = usage.hasNonNull("total_tokens") ? count(usage, "total_tokens", path) : in + out;
        long cached = count(usage.path("prompt_tokens_details"), "cached_tokens", path + ".prompt_tokens_details");
        long reasoning = count(usage.path("output_tokens_details"), "reasoning_tokens",
                path + ".output_tokens_details");
        Map<String, Long> tools = null;
        JsonNode plugins = usage.get("plugins");
        if (plugins != null && plugins.isObject()) {
            tools = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : plugins.properties()) {
                tools.put(e.getKey(), count(e.getValue(), "count", path + ".plugins." + e.getKey()));
            }
        }
        return new Usage(in, out, total, cached, reasoning, tools);
    }
}
