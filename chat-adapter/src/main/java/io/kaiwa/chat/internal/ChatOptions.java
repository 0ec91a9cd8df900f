package io.kaiwa.chat.internal;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.http.AdapterSettings;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.FunctionTool;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.options.TextFormat;
import io.kaiwa.core.options.Tool;
import io.kaiwa.core.options.ToolChoice;

/**
 * A call's {@link RequestOptions} in Chat Completions' names, for both chat wires (DashScope native writes them
 * inside {@code parameters}): {@code max_output_tokens} is {@code max_tokens}, function tools are nested under
 * {@code function}, {@code text.format} is {@code response_format}, {@code reasoning.effort} is
 * {@code reasoning_effort}. Then the call's extras, then the adapter builder's parameters, each only where nothing
 * before wrote the same field.
 */
final class ChatOptions {
    /**
     * Responses API request fields that Chat Completions does not take in this form; left out when they come as
     * extras (a Responses request run against a chat provider brings them).
     */
    static final Set<String> RESPONSES_ONLY = Set.of("truncation", "max_tool_calls", "include", "user",
            "safety_identifier", "prompt_cache_key", "service_tier", "top_logprobs", "prompt", "metadata", "store",
            "background", "conversation", "previous_response_id");

    /** The {@code include} value asking for the answer's log probabilities. */
    static final String LOGPROBS = "message.output_text.logprobs";

    private ChatOptions() {
    }

    /**
     * Fails before anything is sent when the options ask for what a chat API cannot carry.
     *
     * @param o the call's options
     * @throws InvalidRequestException naming {@code tools[i].type} for a tool the provider would have to run
     */
    static void check(RequestOptions o) {
        List<Tool> tools = o.tools();
        for (int i = 0; i < tools.size(); i++) {
            if (tools.get(i) instanceof HostedTool h) {
                throw new InvalidRequestException("The tool '" + h.type() + "' is not available on a Chat "
                        + "Completions API, which takes only function tools; use a provider that hosts it.", 0,
                        "invalid_value", "tools[" + i + "].type", null);
            }
        }
    }

    /**
     * @param g where to write, inside the body (or {@code parameters}) object
     * @param o the call's options
     * @param settings the adapter's settings, with its builder's parameters
     * @param reserved fields the wire writes itself
     * @param promptCacheKey whether the wire takes {@code prompt_cache_key} (OpenAI's Chat Completions does;
     *        DashScope's native API has no such field)
     * @throws IOException when the generator fails
     */
    static void write(JsonGenerator g, RequestOptions o, AdapterSettings settings, Set<String> reserved,
            boolean promptCacheKey) throws IOException {
        var written = new HashSet<>(reserved);
        if (!o.tools().isEmpty() && written.add("tools")) {
            g.writeArrayFieldStart("tools");
            for (Tool t : o.tools()) {
                writeTool(g, (FunctionTool) t);
            }
            g.writeEndArray();
        }
        if (o.toolChoice() != null && written.add("tool_choice")) {
            g.writeFieldName("tool_choice");
            writeToolChoice(g, o.toolChoice());
        }
        if (o.parallelToolCalls() != null && written.add("parallel_tool_calls")) {
            g.writeBooleanField("parallel_tool_calls", o.parallelToolCalls());
        }
        if (o.maxOutputTokens() != null && written.add("max_tokens")) {
            g.writeNumberField("max_tokens", o.maxOutputTokens());
        }
        if (o.temperature() != null && written.add("temperature")) {
            g.writeNumberField("temperature", o.temperature());
        }
        if (o.topP() != null && written.add("top_p")) {
            g.writeNumberField("top_p", o.topP());
        }
        if (o.reasoning() != null && o.reasoning().effort() != null && written.add("reasoning_effort")) {
            g.writeStringField("reasoning_effort", o.reasoning().effort());
        }
        Boolean thinking = o.enableThinking() != null ? o.enableThinking() : settings.enableThinking();
        if (thinking != null && written.add("enable_thinking")) {
            g.writeBooleanField("enable_thinking", thinking);
        }
        if (o.textFormat() != null && !(o.textFormat() instanceof TextFormat.Text)
                && written.add("response_format")) {
            g.writeFieldName("response_format");
            writeResponseFormat(g, o.textFormat());
        }
        if (o.include().contains(LOGPROBS) && written.add("logprobs")) {
            // Asked for as the Responses API does (include), given as Chat Completions has it.
            g.writeBooleanField("logprobs", true);
            JsonNode top = o.extras().get("top_logprobs");
            if (top != null && top.canConvertToInt() && top.asInt() > 0 && written.add("top_logprobs")) {
                g.writeNumberField("top_logprobs", top.asInt());
            }
        }
        if (promptCacheKey && o.promptCacheKey() != null && written.add("prompt_cache_key")) {
            g.writeStringField("prompt_cache_key", o.promptCacheKey());
        }
        for (Map.Entry<String, JsonNode> e : o.extras().entrySet()) {
            if (!RESPONSES_ONLY.contains(e.getKey()) && written.add(e.getKey())) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> e : settings.parameters().properties()) {
            if (written.add(e.getKey())) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
        }
    }

    private static void writeTool(JsonGenerator g, FunctionTool f) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", f.name());
        if (f.description() != null) {
            g.writeStringField("description", f.description());
        }
        if (f.parameters() != null) {
            g.writeFieldName("parameters");
            g.writeTree(f.parameters());
        }
        if (f.strict() != null) {
            g.writeBooleanField("strict", f.strict());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeToolChoice(JsonGenerator g, ToolChoice c) throws IOException {
        if (c instanceof ToolChoice.Mode m) {
            g.writeString(m.value());
        } else if (c instanceof ToolChoice.Function f) {
            g.writeStartObject();
            g.writeStringField("type", "function");
            g.writeObjectFieldStart("function");
            g.writeStringField("name", f.name());
            g.writeEndObject();
            g.writeEndObject();
        } else if (c instanceof ToolChoice.Other o && o.type().equals("function")
                && o.fields().get("name") != null && o.fields().get("name").isTextual()) {
            // A function choice with fields of its own: Chat Completions takes only the name, nested.
            writeToolChoice(g, ToolChoice.function(o.fields().get("name").textValue()));
        } else if (c instanceof ToolChoice.Other o) {
            g.writeStartObject();
            g.writeStringField("type", o.type());
            KaiwaJson.writeFields(g, o.fields());
            g.writeEndObject();
        } else {
            throw new AssertionError(c);
        }
    }

    private static void writeResponseFormat(JsonGenerator g, TextFormat f) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", f.type());
        if (f instanceof TextFormat.JsonSchema s) {
            g.writeObjectFieldStart("json_schema");
            KaiwaJson.writeSchemaFields(g, s);
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
