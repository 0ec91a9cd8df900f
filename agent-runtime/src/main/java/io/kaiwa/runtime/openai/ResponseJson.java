package io.kaiwa.runtime.openai;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;

/**
 * Writes the OpenAI response object ({@code "object": "response"}) field for field, echoing the request's options
 * with OpenAI's defaults where the client sent none, so official SDKs read it unchanged.
 */
public final class ResponseJson {
    private ResponseJson() {
    }

    /**
     * @param r the response
     * @param store whether it is stored
     * @return its JSON
     */
    public static String json(ResponseRecord r, boolean store) {
        var out = new StringWriter(1024);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            write(g, r, store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * @param g where to write
     * @param r the response
     * @param store whether it is stored
     * @throws IOException when the generator fails
     */
    public static void write(JsonGenerator g, ResponseRecord r, boolean store) throws IOException {
        JsonNode request = r.requestTree != null ? r.requestTree : KaiwaJson.parse(r.request);
        g.writeStartObject();
        g.writeStringField("id", r.id);
        g.writeStringField("object", "response");
        g.writeNumberField("created_at", r.createdAt.getEpochSecond());
        g.writeStringField("status", r.status.wire());
        g.writeBooleanField("background", r.background);
        if (r.completedAt != null) {
            g.writeNumberField("completed_at", r.completedAt.getEpochSecond());
        } else {
            g.writeNullField("completed_at");
        }
        JsonNode error = r.error == null ? null : KaiwaJson.parse(r.error);
        if (error != null && r.status != ResponseStatus.INCOMPLETE) {
            g.writeObjectFieldStart("error");
            g.writeStringField("code", error.path("code").asText());
            g.writeStringField("message", error.path("message").asText());
            g.writeEndObject();
        } else {
            g.writeNullField("error");
        }
        if (r.status == ResponseStatus.INCOMPLETE) {
            g.writeObjectFieldStart("incomplete_details");
            g.writeStringField("reason", error == null ? "max_output_tokens" : error.path("code").asText());
            g.writeEndObject();
        } else {
            g.writeNullField("incomplete_details");
        }
        echo(g, request, "instructions", null);
        echo(g, request, "max_output_tokens", null);
        echo(g, request, "max_tool_calls", null);
        g.writeStringField("model", r.model);
        g.writeFieldName("output");
        g.writeRawValue(r.output);
        echoBoolean(g, request, "parallel_tool_calls", true);
        g.writeStringField("previous_response_id", r.previousResponseId);
        if (request.has("reasoning")) {
            g.writeFieldName("reasoning");
            g.writeTree(request.get("reasoning"));
        } else {
            g.writeObjectFieldStart("reasoning");
            g.writeNullField("effort");
            g.writeNullField("summary");
            g.writeEndObject();
        }
        g.writeBooleanField("store", store);
        echoNumber(g, request, "temperature", 1.0);
        if (request.has("text")) {
            g.writeFieldName("text");
            g.writeTree(request.get("text"));
        } else {
            g.writeObjectFieldStart("text");
            g.writeObjectFieldStart("format");
            g.writeStringField("type", "text");
            g.writeEndObject();
            g.writeEndObject();
        }
        if (request.has("tool_choice")) {
            g.writeFieldName("tool_choice");
            g.writeTree(request.get("tool_choice"));
        } else {
            g.writeStringField("tool_choice", "auto");
        }
        tools(g, request.get("tools"));
        echoNumber(g, request, "top_p", 1.0);
        echoNumber(g, request, "presence_penalty", 0.0);
        echoNumber(g, request, "frequency_penalty", 0.0);
        g.writeNumberField("top_logprobs", request.path("top_logprobs").canConvertToInt()
                ? request.path("top_logprobs").asInt()
                : 0);
        // The tier the provider was asked for is not known to have been served; Kaiwa has one.
        g.writeStringField("service_tier", "default");
        echo(g, request, "safety_identifier", null);
        echo(g, request, "prompt_cache_key", null);
        g.writeStringField("truncation", request.path("truncation").asText("disabled"));
        if (r.usage != null) {
            g.writeFieldName("usage");
            g.writeRawValue(r.usage);
        } else {
            g.writeNullField("usage");
        }
        g.writeNullField("user");
        if (r.context != null) {
            // Kaiwa's own: what it did to the context this response was sent (a single-turn model's history).
            g.writeFieldName("x_context");
            g.writeRawValue(r.context);
        }
        String conversation = Ids.conversation(request.get("conversation"));
        if (conversation != null) {
            g.writeObjectFieldStart("conversation");
            g.writeStringField("id", conversation);
            g.writeEndObject();
        }
        g.writeFieldName("metadata");
        if (request.has("metadata")) {
            g.writeTree(request.get("metadata"));
        } else {
            g.writeStartObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * @param id the compaction response's id
     * @param model the model
     * @param createdAt when it was made
     * @param item the compaction item, or {@code null} when there was nothing to fold
     * @param usage its usage JSON
     * @return {@code POST /v1/responses/compact}'s answer: {@code {"object":"response.compaction","output":[...]}}
     */
    public static String compaction(String id, String model, java.time.Instant createdAt, Item item, String usage) {
        var out = new StringWriter(512);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "response.compaction");
            g.writeNumberField("created_at", createdAt.getEpochSecond());
            g.writeStringField("model", model);
            g.writeArrayFieldStart("output");
            if (item != null) {
                KaiwaJson.writeItem(g, item);
            }
            g.writeEndArray();
            g.writeFieldName("usage");
            g.writeRawValue(usage);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A function tool's fields in the response object, each written ({@code null} when not sent). */
    private static final List<String> FUNCTION_FIELDS = List.of("name", "description", "parameters", "strict");

    /**
     * The tools as sent, a function tool with every field the response object has for it ({@code description},
     * {@code parameters}, {@code strict}: {@code null} when not given).
     */
    private static void tools(JsonGenerator g, JsonNode tools) throws IOException {
        g.writeArrayFieldStart("tools");
        if (tools != null && tools.isArray()) {
            for (JsonNode tool : tools) {
                if (!"function".equals(tool.path("type").asText()) || !tool.isObject()) {
                    g.writeTree(tool);
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("type", "function");
                for (String field : FUNCTION_FIELDS) {
                    g.writeFieldName(field);
                    g.writeTree(tool.has(field) ? tool.get(field) : NullNode.getInstance());
                }
                for (Map.Entry<String, JsonNode> e : tool.properties()) {
                    if (!"type".equals(e.getKey()) && !FUNCTION_FIELDS.contains(e.getKey())) {
                        g.writeFieldName(e.getKey());
                        g.writeTree(e.getValue());
                    }
                }
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    private static void echo(JsonGenerator g, JsonNode request, String field, String fallback) throws IOException {
        JsonNode n = request.get(field);
        g.writeFieldName(field);
        if (n != null) {
            g.writeTree(n);
        } else if (fallback != null) {
            g.writeString(fallback);
        } else {
            g.writeNull();
        }
    }

    private static void echoBoolean(JsonGenerator g, JsonNode request, String field, boolean fallback)
            throws IOException {
        g.writeBooleanField(field, request.path(field).asBoolean(fallback));
    }

    private static void echoNumber(JsonGenerator g, JsonNode request, String field, double fallback)
            throws IOException {
        JsonNode n = request.get(field);
        if (n != null && n.isNumber()) {
            g.writeFieldName(field);
            g.writeTree(n);
        } else {
            g.writeNumberField(field, fallback);
        }
    }
}
