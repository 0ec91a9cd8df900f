package io.kaiwa.core.internal.json;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaiwa.core.Usage;
import io.kaiwa.core.content.Annotation;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputAudio;
import io.kaiwa.core.content.InputFile;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.content.UnknownAnnotation;
import io.kaiwa.core.content.UnknownContent;
import io.kaiwa.core.content.UrlCitation;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.UnknownItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.json.KaiwaJson;

/**
 * Writes items, content parts and usage as Responses API JSON straight to a generator (no intermediate tree): the
 * one place that knows their wire shapes on the way out. Fields required by OpenAI's schema are always written
 * ({@code annotations}, {@code summary}, the usage details) so official SDKs can read what Kaiwa writes.
 */
public final class ItemWriter {
    /** Only used to write {@link JsonNode} trees to generators that have no codec of their own. */
    private static final ObjectMapper TREES = KaiwaJson.mapper();

    private ItemWriter() {
    }

    /**
     * @param g where to write
     * @param item the item
     * @throws IOException when the generator fails
     */
    public static void item(JsonGenerator g, Item item) throws IOException {
        if (item instanceof MessageItem m) {
            g.writeStartObject();
            g.writeStringField("type", "message");
            optional(g, "id", m.id());
            g.writeStringField("role", m.role().wire());
            optional(g, "status", m.status());
            g.writeArrayFieldStart("content");
            for (ContentPart part : m.content()) {
                content(g, part);
            }
            g.writeEndArray();
            extra(g, m.extra());
            g.writeEndObject();
        } else if (item instanceof FunctionCallItem c) {
            g.writeStartObject();
            g.writeStringField("type", "function_call");
            optional(g, "id", c.id());
            g.writeStringField("call_id", c.callId());
            g.writeStringField("name", c.name());
            g.writeStringField("arguments", c.arguments());
            optional(g, "status", c.status());
            extra(g, c.extra());
            g.writeEndObject();
        } else if (item instanceof FunctionCallOutputItem o) {
            g.writeStartObject();
            g.writeStringField("type", "function_call_output");
            optional(g, "id", o.id());
            g.writeStringField("call_id", o.callId());
            g.writeStringField("output", o.output());
            optional(g, "status", o.status());
            extra(g, o.extra());
            g.writeEndObject();
        } else if (item instanceof CompactionItem c) {
            g.writeStartObject();
            g.writeStringField("type", "compaction");
            optional(g, "id", c.id());
            optional(g, "encrypted_content", c.encryptedContent());
            if (c.summary() != null) {
                // Kaiwa's own fields: a compaction held in the clear (a library user's) round-trips whole.
                g.writeStringField("x_summary", c.summary());
                g.writeArrayFieldStart("x_kept");
                for (Item kept : c.kept()) {
                    item(g, kept);
                }
                g.writeEndArray();
            }
            extra(g, c.extra());
            g.writeEndObject();
        } else if (item instanceof ReasoningItem r) {
            reasoning(g, r);
        } else if (item instanceof WebSearchCallItem w) {
            webSearch(g, w);
        } else if (item instanceof WebExtractorCallItem w) {
            g.writeStartObject();
            g.writeStringField("type", "web_extractor_call");
            optional(g, "id", w.id());
            optional(g, "status", w.status());
            optional(g, "goal", w.goal());
            g.writeArrayFieldStart("urls");
            for (String url : w.urls()) {
                g.writeString(url);
            }
            g.writeEndArray();
            optional(g, "output", w.output());
            extra(g, w.extra());
            g.writeEndObject();
        } else if (item instanceof CodeInterpreterCallItem c) {
            codeInterpreter(g, c);
        } else if (item instanceof UnknownItem u) {
            TREES.writeTree(g, u.raw());
        } else {
            throw new AssertionError(item);
        }
    }

    /**
     * @param g where to write
     * @param items the items, written as one JSON array
     * @throws IOException when the generator fails
     */
    public static void items(JsonGenerator g, List<? extends Item> items) throws IOException {
        g.writeStartArray();
        for (Item item : items) {
            item(g, item);
        }
        g.writeEndArray();
    }

    private static void reasoning(JsonGenerator g, ReasoningItem r) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "reasoning");
        optional(g, "id", r.id());
        g.writeArrayFieldStart("summary");
        for (String s : r.summary()) {
            textPart(g, "summary_text", s);
        }
        g.writeEndArray();
        if (!r.content().isEmpty()) {
            g.writeArrayFieldStart("content");
            for (String s : r.content()) {
                textPart(g, "reasoning_text", s);
            }
            g.writeEndArray();
        }
        optional(g, "encrypted_content", r.encryptedContent());
        optional(g, "status", r.status());
        extra(g, r.extra());
        g.writeEndObject();
    }

    private static void textPart(JsonGenerator g, String type, String text) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type);
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    private static void webSearch(JsonGenerator g, WebSearchCallItem w) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "web_search_call");
        optional(g, "id", w.id());
        optional(g, "status", w.status());
        WebSearchCallItem.Action a = w.action();
        if (a != null) {
            g.writeObjectFieldStart("action");
            g.writeStringField("type", a.type());
            optional(g, "query", a.query());
            g.writeArrayFieldStart("sources");
            for (WebSearchCallItem.Source s : a.sources()) {
                g.writeStartObject();
                g.writeStringField("type", s.type());
                optional(g, "url", s.url());
                extra(g, s.extra());
                g.writeEndObject();
            }
            g.writeEndArray();
            extra(g, a.extra());
            g.writeEndObject();
        }
        extra(g, w.extra());
        g.writeEndObject();
    }

    private static void codeInterpreter(JsonGenerator g, CodeInterpreterCallItem c) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "code_interpreter_call");
        optional(g, "id", c.id());
        optional(g, "status", c.status());
        optional(g, "code", c.code());
        optional(g, "container_id", c.containerId());
        g.writeArrayFieldStart("outputs");
        for (CodeInterpreterCallItem.Output o : c.outputs()) {
            if (o instanceof CodeInterpreterCallItem.Logs l) {
                g.writeStartObject();
                g.writeStringField("type", "logs");
                g.writeStringField("logs", l.logs());
                g.writeEndObject();
            } else if (o instanceof CodeInterpreterCallItem.Image i) {
                g.writeStartObject();
                g.writeStringField("type", "image");
                g.writeStringField("url", i.url());
                g.writeEndObject();
            } else if (o instanceof CodeInterpreterCallItem.UnknownOutput u) {
                TREES.writeTree(g, u.raw());
            } else {
                throw new AssertionError(o);
            }
        }
        g.writeEndArray();
        extra(g, c.extra());
        g.writeEndObject();
    }

    /**
     * @param g where to write
     * @param part the content part
     * @throws IOException when the generator fails
     */
    public static void content(JsonGenerator g, ContentPart part) throws IOException {
        if (part instanceof UnknownContent u) {
            TREES.writeTree(g, u.raw());
            return;
        }
        g.writeStartObject();
        g.writeStringField("type", part.type());
        if (part instanceof InputText t) {
            g.writeStringField("text", t.text());
        } else if (part instanceof OutputText t) {
            g.writeStringField("text", t.text());
            g.writeArrayFieldStart("annotations");
            for (Annotation a : t.annotations()) {
                annotation(g, a);
            }
            g.writeEndArray();
        } else if (part instanceof InputImage i) {
            optional(g, "image_url", i.imageUrl());
            optional(g, "file_id", i.fileId());
            optional(g, "detail", i.detail());
        } else if (part instanceof InputAudio a) {
            g.writeObjectFieldStart("input_audio");
            g.writeStringField("data", a.data());
            optional(g, "format", a.format());
            g.writeEndObject();
        } else if (part instanceof InputFile f) {
            optional(g, "file_id", f.fileId());
            optional(g, "file_url", f.fileUrl());
            optional(g, "file_data", f.fileData());
            optional(g, "filename", f.filename());
        } else if (part instanceof Refusal r) {
            g.writeStringField("refusal", r.refusal());
        } else {
            throw new AssertionError(part);
        }
        extra(g, part.extra());
        g.writeEndObject();
    }

    private static void annotation(JsonGenerator g, Annotation a) throws IOException {
        if (a instanceof UrlCitation c) {
            g.writeStartObject();
            g.writeStringField("type", "url_citation");
            g.writeStringField("url", c.url());
            optional(g, "title", c.title());
            if (c.startIndex() != null) {
                g.writeNumberField("start_index", c.startIndex());
            }
            if (c.endIndex() != null) {
                g.writeNumberField("end_index", c.endIndex());
            }
            extra(g, c.extra());
            g.writeEndObject();
        } else if (a instanceof UnknownAnnotation u) {
            TREES.writeTree(g, u.raw());
        } else {
            throw new AssertionError(a);
        }
    }

    /**
     * Writes usage in the Responses API's shape, details always present and {@code x_tools} when tools ran.
     *
     * @param g where to write
     * @param u the usage
     * @throws IOException when the generator fails
     */
    public static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        g.writeNumberField("input_tokens", u.inputTokens());
        g.writeObjectFieldStart("input_tokens_details");
        g.writeNumberField("cached_tokens", u.cachedTokens());
        g.writeEndObject();
        g.writeNumberField("output_tokens", u.outputTokens());
        g.writeObjectFieldStart("output_tokens_details");
        g.writeNumberField("reasoning_tokens", u.reasoningTokens());
        g.writeEndObject();
        g.writeNumberField("total_tokens", u.totalTokens());
        if (!u.toolCalls().isEmpty()) {
            g.writeObjectFieldStart("x_tools");
            for (Map.Entry<String, Long> e : u.toolCalls().entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("count", e.getValue());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    private static void extra(JsonGenerator g, Map<String, JsonNode> extra) throws IOException {
        if (extra.isEmpty()) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
            g.writeFieldName(e.getKey());
            if (e.getValue() == null) {
                g.writeNull();
            } else {
                TREES.writeTree(g, e.getValue());
            }
        }
    }
}
