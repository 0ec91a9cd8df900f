package io.kaiwa.runtime.openai;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;

/**
 * OpenAI's Chat Completions wire ({@code POST /v1/chat/completions}) on top of the Responses API Kaiwa serves: a
 * request becomes a create body (its messages the input items, in order), and a response, whole or as its events,
 * becomes a {@code chat.completion} or its {@code chat.completion.chunk}s. So a client that has not moved to the
 * Responses API gets the same providers, context policies, tools and store.
 */
public final class ChatCompletions {
    /** Chat Completions fields that are Responses API fields under another name. */
    private static final Map<String, String> RENAMED = Map.of("max_completion_tokens", "max_output_tokens",
            "max_tokens", "max_output_tokens");

    private ChatCompletions() {
    }

    /**
     * @param chat a Chat Completions request body
     * @return the Responses API create body that asks the same ({@code store} false unless asked, as Chat
     *         Completions has it); provider extras (DashScope's {@code enable_thinking}...) are kept as they are
     */
    public static ObjectNode toCreate(JsonNode chat) {
        if (!(chat instanceof ObjectNode body)) {
            throw Errors.badRequest(null, "The request body must be a JSON object.");
        }
        ObjectNode create = KaiwaJson.mapper().createObjectNode();
        create.put("store", false);
        var fields = body.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            switch (name) {
                case "messages" -> create.set("input", input(value));
                case "tools" -> create.set("tools", tools(value));
                case "tool_choice" -> create.set("tool_choice", toolChoice(value));
                case "response_format" -> create.putObject("text").set("format", format(value));
                case "reasoning_effort" -> create.putObject("reasoning").set("effort", value);
                case "logprobs" -> {
                    if (value.asBoolean(false)) {
                        create.putArray("include").add("message.output_text.logprobs");
                    }
                }
                case "stream", "stream_options", "n", "seed", "modalities", "audio", "prediction",
                        "web_search_options", "functions", "function_call", "logit_bias" -> {
                    // Read by the route (stream), refused below (n > 1), or not carried over.
                }
                // The same in both (model, temperature, top_p, store, metadata...), and provider extras.
                default -> create.set(RENAMED.getOrDefault(name, name), value);
            }
        }
        if (!body.has("messages")) {
            throw Errors.badRequest("messages", "messages is required: the conversation so far, oldest first.");
        }
        if (body.path("n").asInt(1) != 1) {
            throw Errors.badRequest("n", "Only one choice (n = 1) is generated.");
        }
        if (body.has("functions") || body.has("function_call")) {
            throw Errors.badRequest(body.has("functions") ? "functions" : "function_call",
                    "functions and function_call are replaced by tools and tool_choice.");
        }
        return create;
    }

    private static ArrayNode input(JsonNode messages) {
        if (!messages.isArray() || messages.isEmpty()) {
            throw Errors.badRequest("messages", "messages must be a non-empty array.");
        }
        ArrayNode items = KaiwaJson.mapper().createArrayNode();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String role = m.path("role").asText("");
            String path = "messages[" + i + "]";
            switch (role) {
                case "system", "developer", "user" -> items.addObject().put("type", "message").put("role", role)
                        .set("content", content(m.get("content"), "input", path));
                case "assistant" -> {
                    JsonNode content = m.get("content");
                    if (content != null && !content.isNull() && !(content.isTextual() && content.asText().isEmpty())) {
                        items.addObject().put("type", "message").put("role", "assistant")
                                .set("content", content(content, "output", path));
                    }
                    for (JsonNode call : m.path("tool_calls")) {
                        items.addObject().put("type", "function_call").put("call_id", call.path("id").asText())
                                .put("name", call.path("function").path("name").asText())
                                .put("arguments", call.path("function").path("arguments").asText("{}"));
                    }
                }
                case "tool" -> items.addObject().put("type", "function_call_output")
                        .put("call_id", m.path("tool_call_id").asText())
                        .put("output", text(m.get("content"), path + ".content"));
                default -> throw Errors.badRequest(path + ".role", "Unknown role '" + role + "': use system, "
                        + "developer, user, assistant or tool.");
            }
        }
        return items;
    }

    /** A message's content: a string as it is; parts renamed to the Responses API's. */
    private static JsonNode content(JsonNode content, String direction, String path) {
        if (content == null || content.isNull()) {
            return KaiwaJson.mapper().getNodeFactory().textNode("");
        }
        if (content.isTextual()) {
            return content;
        }
        if (!content.isArray()) {
            throw Errors.badRequest(path + ".content", "content must be a string or an array of parts.");
        }
        ArrayNode parts = KaiwaJson.mapper().createArrayNode();
        for (int i = 0; i < content.size(); i++) {
            JsonNode p = content.get(i);
            String where = path + ".content[" + i + "]";
            switch (p.path("type").asText("")) {
                case "text" -> parts.addObject().put("type", direction + "_text").put("text", p.path("text").asText());
                case "refusal" -> parts.addObject().put("type", "refusal").put("refusal", p.path("refusal").asText());
                case "image_url" -> {
                    JsonNode url = p.path("image_url");
                    ObjectNode image = parts.addObject().put("type", "input_image")
                            .put("image_url", url.isTextual() ? url.asText() : url.path("url").asText());
                    if (url.has("detail")) {
                        image.set("detail", url.get("detail"));
                    }
                }
                case "input_audio" -> parts.addObject().put("type", "input_audio").set("input_audio",
                        p.path("input_audio"));
                case "file" -> {
                    ObjectNode file = parts.addObject().put("type", "input_file");
                    p.path("file").fields().forEachRemaining(f -> file.set(f.getKey(), f.getValue()));
                }
                default -> throw Errors.badRequest(where + ".type", "Unknown content part type '"
                        + p.path("type").asText() + "': use text, image_url, input_audio, file or refusal.");
            }
        }
        return parts;
    }

    private static String text(JsonNode content, String path) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        var sb = new StringBuilder();
        for (JsonNode p : content) {
            if (!"text".equals(p.path("type").asText())) {
                throw Errors.badRequest(path, "A tool message's content is text.");
            }
            sb.append(p.path("text").asText());
        }
        return sb.toString();
    }

    /** Chat Completions nests a function under {@code function}; the Responses API has it flat. */
    private static ArrayNode tools(JsonNode tools) {
        ArrayNode out = KaiwaJson.mapper().createArrayNode();
        for (JsonNode t : tools) {
            if ("function".equals(t.path("type").asText()) && t.has("function")) {
                ObjectNode f = out.addObject().put("type", "function");
                t.get("function").fields().forEachRemaining(e -> f.set(e.getKey(), e.getValue()));
            } else {
                // A built-in tool in the Responses API's form ({"type":"web_search"}): Kaiwa runs it.
                out.add(t);
            }
        }
        return out;
    }

    private static JsonNode toolChoice(JsonNode choice) {
        if (choice.isObject() && "function".equals(choice.path("type").asText()) && choice.has("function")) {
            return KaiwaJson.mapper().createObjectNode().put("type", "function")
                    .put("name", choice.path("function").path("name").asText());
        }
        return choice;
    }

    private static JsonNode format(JsonNode format) {
        if ("json_schema".equals(format.path("type").asText()) && format.has("json_schema")) {
            ObjectNode flat = KaiwaJson.mapper().createObjectNode().put("type", "json_schema");
            format.get("json_schema").fields().forEachRemaining(e -> flat.set(e.getKey(), e.getValue()));
            return flat;
        }
        return format;
    }

    /**
     * @param r a finished response
     * @return its {@code chat.completion}
     */
    public static String completion(ResponseRecord r) {
        JsonNode output = KaiwaJson.parse(r.output);
        ObjectNode out = head(r, "chat.completion");
        ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
        ObjectNode message = choice.putObject("message").put("role", "assistant");
        var text = new StringBuilder();
        ArrayNode logprobs = null;
        var reasoning = new StringBuilder();
        String refusal = null;
        ArrayNode calls = KaiwaJson.mapper().createArrayNode();
        for (JsonNode item : output) {
            switch (item.path("type").asText()) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        if ("refusal".equals(part.path("type").asText())) {
                            refusal = part.path("refusal").asText();
                        } else {
                            text.append(part.path("text").asText());
                            if (part.path("logprobs").isArray()) {
                                logprobs = logprobs == null ? KaiwaJson.mapper().createArrayNode() : logprobs;
                                logprobs.addAll((ArrayNode) part.get("logprobs"));
                            }
                        }
                    }
                }
                case "reasoning" -> {
                    item.path("summary").forEach(p -> reasoning.append(p.path("text").asText()));
                    item.path("content").forEach(p -> reasoning.append(p.path("text").asText()));
                }
                case "function_call" -> calls.addObject().put("id", item.path("call_id").asText())
                        .put("type", "function").putObject("function").put("name", item.path("name").asText())
                        .put("arguments", item.path("arguments").asText());
                default -> {
                    // Built-in tool calls Kaiwa ran: their results are in the answer's text.
                }
            }
        }
        message.put("content", text.isEmpty() && !calls.isEmpty() ? null : text.toString());
        message.put("refusal", refusal);
        if (!reasoning.isEmpty()) {
            // DashScope's field for a thinking model's reasoning, which Qwen clients read.
            message.put("reasoning_content", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        if (logprobs == null) {
            choice.putNull("logprobs");
        } else {
            choice.putObject("logprobs").set("content", logprobs);
        }
        choice.put("finish_reason", finishReason(r, !calls.isEmpty()));
        out.set("usage", usage(r.usage));
        return out.toString();
    }

    private static ObjectNode head(ResponseRecord r, String object) {
        return KaiwaJson.mapper().createObjectNode().put("id", completionId(r.id)).put("object", object)
                .put("created", r.createdAt.getEpochSecond()).put("model", r.model);
    }

    /** A response's id as a completion's: the same 48 hex digits, so one can be found from the other. */
    static String completionId(String responseId) {
        return "chatcmpl-" + responseId.substring(responseId.indexOf('_') + 1);
    }

    private static String finishReason(ResponseRecord r, boolean calls) {
        if (r.status == ResponseStatus.INCOMPLETE) {
            return r.error != null && r.error.contains("content_filter") ? "content_filter" : "length";
        }
        return calls ? "tool_calls" : "stop";
    }

    /** Responses API usage as Chat Completions counts it. */
    static JsonNode usage(String usage) {
        if (usage == null) {
            return KaiwaJson.mapper().nullNode();
        }
        JsonNode u = KaiwaJson.parse(usage);
        ObjectNode out = KaiwaJson.mapper().createObjectNode().put("prompt_tokens", u.path("input_tokens").asLong())
                .put("completion_tokens", u.path("output_tokens").asLong())
                .put("total_tokens", u.path("total_tokens").asLong());
        out.putObject("prompt_tokens_details").put("cached_tokens",
                u.path("input_tokens_details").path("cached_tokens").asLong());
        out.putObject("completion_tokens_details").put("reasoning_tokens",
                u.path("output_tokens_details").path("reasoning_tokens").asLong());
        if (u.has("x_cost")) {
            out.set("x_cost", u.get("x_cost"));
        }
        return out;
    }

    /** Turns one response's events into chunks, in order; one per stream. */
    public static final class Chunks {
        private final boolean usage;
        private final List<String> callIds = new ArrayList<>();
        private String id;
        private String model;
        private long created;
        private boolean started;

        /** @param usage whether the client asked for the usage chunk ({@code stream_options.include_usage}) */
        public Chunks(boolean usage) {
            this.usage = usage;
        }

        /**
         * @param event one Responses API event
         * @return the SSE frames it makes, possibly none
         */
        public String frames(OpenAiEvents.Event event) {
            JsonNode e = KaiwaJson.parse(event.json());
            var out = new StringBuilder();
            switch (event.type()) {
                case "response.created" -> {
                    JsonNode r = e.path("response");
                    id = completionId(r.path("id").asText());
                    model = r.path("model").asText();
                    created = r.path("created_at").asLong();
                }
                case "response.output_text.delta" -> delta(out, KaiwaJson.mapper().createObjectNode()
                        .put("content", e.path("delta").asText()));
                case "response.refusal.delta" -> delta(out, KaiwaJson.mapper().createObjectNode()
                        .put("refusal", e.path("delta").asText()));
                case "response.reasoning_text.delta", "response.reasoning_summary_text.delta" ->
                    delta(out,
                            KaiwaJson.mapper().createObjectNode().put("reasoning_content", e.path("delta").asText()));
                case "response.output_item.added" -> {
                    JsonNode item = e.path("item");
                    if ("function_call".equals(item.path("type").asText())) {
                        callIds.add(item.path("id").asText());
                        ObjectNode d = KaiwaJson.mapper().createObjectNode();
                        ObjectNode call = d.putArray("tool_calls").addObject().put("index", callIds.size() - 1)
                                .put("id", item.path("call_id").asText()).put("type", "function");
                        call.putObject("function").put("name", item.path("name").asText()).put("arguments",
                                item.path("arguments").asText(""));
                        delta(out, d);
                    }
                }
                case "response.function_call_arguments.delta" -> {
                    int index = callIds.indexOf(e.path("item_id").asText());
                    if (index >= 0) {
                        ObjectNode d = KaiwaJson.mapper().createObjectNode();
                        d.putArray("tool_calls").addObject().put("index", index).putObject("function")
                                .put("arguments", e.path("delta").asText());
                        delta(out, d);
                    }
                }
                case "response.completed", "response.incomplete", "response.failed", "response.cancelled" ->
                    end(out, e.path("response"));
                default -> {
                }
            }
            return out.toString();
        }

        private void delta(StringBuilder out, ObjectNode delta) {
            if (!started) {
                started = true;
                // The first chunk carries the role, as Chat Completions streams begin.
                frame(out, chunk(KaiwaJson.mapper().createObjectNode().put("role", "assistant").put("content", ""),
                        null));
            }
            frame(out, chunk(delta, null));
        }

        private void end(StringBuilder out, JsonNode response) {
            if ("failed".equals(response.path("status").asText())) {
                ObjectNode error = KaiwaJson.mapper().createObjectNode();
                error.set("error", response.path("error"));
                frame(out, error);
                return;
            }
            if (!started) {
                delta(out, KaiwaJson.mapper().createObjectNode());
            }
            String reason = "incomplete".equals(response.path("status").asText())
                    ? "length"
                    : callIds.isEmpty() ? "stop" : "tool_calls";
            frame(out, chunk(KaiwaJson.mapper().createObjectNode(), reason));
            if (usage) {
                ObjectNode last = base();
                last.putArray("choices");
                last.set("usage", ChatCompletions.usage(response.path("usage").isMissingNode()
                        || response.path("usage").isNull() ? null : response.path("usage").toString()));
                frame(out, last);
            }
            out.append("data: [DONE]\n\n");
        }

        private ObjectNode base() {
            return KaiwaJson.mapper().createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                    .put("created", created).put("model", model);
        }

        private ObjectNode chunk(ObjectNode delta, String finish) {
            ObjectNode c = base();
            ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.put("finish_reason", finish);
            return c;
        }

        private static void frame(StringBuilder out, JsonNode json) {
            out.append("data: ").append(json.toString()).append("\n\n");
        }
    }
}
