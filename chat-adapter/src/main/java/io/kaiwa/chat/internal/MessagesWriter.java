package io.kaiwa.chat.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputAudio;
import io.kaiwa.core.content.InputFile;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.content.UnknownContent;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.item.UnknownItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.json.KaiwaJson;

/**
 * Writes a rebuilt history as a {@code messages} array, in Chat Completions' content shape or DashScope native's:
 * the one place that maps core items to chat messages.
 *
 * <p>
 * Instructions come first as a {@code system} message; {@code developer} messages become {@code system} (the
 * role DashScope and most compatible servers know). An assistant message, the reasoning before it and the
 * function calls after it become one assistant message with {@code tool_calls}; function outputs become
 * {@code tool} messages. Hosted-tool records ({@code web_search_call} and the like) and unknown items have no
 * chat form: the answer that used them is in the assistant message, so they are left out.
 */
public final class MessagesWriter {
    /** Which API's content shape to write. */
    public enum Style {
        /** OpenAI Chat Completions: {@code {"type":"text"}}, {@code {"type":"image_url"}}, ... */
        CHAT_COMPLETIONS,
        /** DashScope text generation: content is a string. */
        DASHSCOPE_TEXT,
        /** DashScope multimodal generation: content is an array of {@code {"text"}}, {@code {"image"}}, ... */
        DASHSCOPE_MULTIMODAL
    }

    private static final ObjectMapper TREES = KaiwaJson.mapper();
    private static final String CACHE_CONTROL = CacheMarkers.KEY;

    private MessagesWriter() {
    }

    /**
     * @param g where to write the array
     * @param instructions written first as a system message, or {@code null}
     * @param items the history and new input, reasoning already filtered as the model wants
     * @param style the content shape
     * @throws IOException when the generator fails
     */
    public static void write(JsonGenerator g, String instructions, List<Item> items, Style style) throws IOException {
        items = CacheMarkers.keepLast(items);
        // Vision and audio models take every message's content as parts once any message has media, as the
        // providers' own multimodal examples send it.
        boolean parts = style == Style.DASHSCOPE_MULTIMODAL
                || style == Style.CHAT_COMPLETIONS && needsMultimodal(items);
        write(g, instructions, items, style, parts);
    }

    private static void write(JsonGenerator g, String instructions, List<Item> items, Style style, boolean parts)
            throws IOException {
        g.writeStartArray();
        if (instructions != null && !instructions.isEmpty()) {
            g.writeStartObject();
            g.writeStringField("role", "system");
            writeText(g, instructions, style, parts);
            g.writeEndObject();
        }
        var assistant = new PendingAssistant();
        for (Item item : items) {
            if (item instanceof MessageItem m) {
                if (m.role() == Role.ASSISTANT) {
                    if (assistant.hasContentOrCalls()) {
                        assistant.flush(g, style, parts);
                    }
                    assistant.message = m;
                } else {
                    assistant.flush(g, style, parts);
                    message(g, m, style, parts);
                }
            } else if (item instanceof ReasoningItem r) {
                if (assistant.hasContentOrCalls()) {
                    assistant.flush(g, style, parts);
                }
                assistant.reasoning = assistant.reasoning == null ? r.text() : assistant.reasoning + r.text();
            } else if (item instanceof FunctionCallItem c) {
                assistant.calls.add(c);
            } else if (item instanceof FunctionCallOutputItem o) {
                assistant.flush(g, style, parts);
                g.writeStartObject();
                g.writeStringField("role", "tool");
                g.writeStringField("tool_call_id", o.callId());
                g.writeStringField("content", o.output());
                g.writeEndObject();
            } else if (item instanceof WebSearchCallItem || item instanceof WebExtractorCallItem
                    || item instanceof CodeInterpreterCallItem || item instanceof UnknownItem
                    || item instanceof CompactionItem) {
                // A compaction item is expanded before (ChatEngine); one known only in its opaque form is unreadable.
                continue;
            } else {
                throw new AssertionError(item);
            }
        }
        assistant.flush(g, style, parts);
        g.writeEndArray();
    }

    /** @return whether any item carries content only the multimodal endpoint accepts */
    public static boolean needsMultimodal(List<Item> items) {
        for (Item item : items) {
            if (item instanceof MessageItem m) {
                for (ContentPart p : m.content()) {
                    if (p instanceof InputImage || p instanceof InputAudio || p instanceof UnknownContent) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void message(JsonGenerator g, MessageItem m, Style style, boolean parts) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role() == Role.DEVELOPER ? "system" : m.role().wire());
        writeContent(g, m.content(), style, parts);
        g.writeEndObject();
    }

    private static void writeText(JsonGenerator g, String text, Style style, boolean parts) throws IOException {
        if (parts) {
            g.writeArrayFieldStart("content");
            g.writeStartObject();
            if (style == Style.CHAT_COMPLETIONS) {
                g.writeStringField("type", "text");
            }
            g.writeStringField("text", text);
            g.writeEndObject();
            g.writeEndArray();
        } else {
            g.writeStringField("content", text);
        }
    }

    private static void writeContent(JsonGenerator g, List<ContentPart> parts, Style style, boolean asParts)
            throws IOException {
        boolean marked = cacheMarked(parts);
        if (!asParts && marked) {
            // A cache marker sits on a content part, so the providers take the content as parts when one is marked.
            asParts = true;
        }
        if (!asParts && parts.size() == 1 && allText(parts)) {
            g.writeStringField("content", text(parts.get(0)));
            return;
        }
        if (!asParts && allText(parts) && style == Style.DASHSCOPE_TEXT) {
            var sb = new StringBuilder();
            for (ContentPart p : parts) {
                sb.append(text(p));
            }
            g.writeStringField("content", sb.toString());
            return;
        }
        g.writeArrayFieldStart("content");
        for (ContentPart p : parts) {
            // DashScope's text models take a marked message's text in the OpenAI part shape, as its cache examples do.
            if (style == Style.CHAT_COMPLETIONS || style == Style.DASHSCOPE_TEXT && marked && allText(List.of(p))) {
                chatPart(g, p);
            } else {
                dashScopePart(g, p);
            }
        }
        g.writeEndArray();
    }

    private static boolean cacheMarked(List<ContentPart> parts) {
        for (ContentPart p : parts) {
            if (p.extra().containsKey(CACHE_CONTROL)) {
                return true;
            }
        }
        return false;
    }

    /** The part's {@code cache_control} marker, written last in the part as the providers' examples place it. */
    private static void cacheControl(JsonGenerator g, ContentPart p) throws IOException {
        JsonNode marker = p.extra().get(CACHE_CONTROL);
        if (marker != null) {
            g.writeFieldName(CACHE_CONTROL);
            TREES.writeTree(g, marker);
        }
    }

    private static boolean allText(List<ContentPart> parts) {
        for (ContentPart p : parts) {
            if (!(p instanceof InputText || p instanceof OutputText || p instanceof Refusal)) {
                return false;
            }
        }
        return true;
    }

    private static String text(ContentPart p) {
        if (p instanceof InputText t) {
            return t.text();
        }
        if (p instanceof OutputText t) {
            return t.text();
        }
        if (p instanceof Refusal r) {
            return r.refusal();
        }
        throw new AssertionError(p);
    }

    private static void chatPart(JsonGenerator g, ContentPart p) throws IOException {
        if (p instanceof UnknownContent u) {
            TREES.writeTree(g, u.raw());
            return;
        }
        g.writeStartObject();
        if (p instanceof InputText || p instanceof OutputText || p instanceof Refusal) {
            g.writeStringField("type", "text");
            g.writeStringField("text", text(p));
        } else if (p instanceof InputImage i) {
            g.writeStringField("type", "image_url");
            g.writeObjectFieldStart("image_url");
            g.writeStringField("url", i.imageUrl() != null ? i.imageUrl() : i.fileId());
            if (i.detail() != null) {
                g.writeStringField("detail", i.detail());
            }
            g.writeEndObject();
        } else if (p instanceof InputAudio a) {
            g.writeStringField("type", "input_audio");
            g.writeObjectFieldStart("input_audio");
            g.writeStringField("data", a.data());
            if (a.format() != null) {
                g.writeStringField("format", a.format());
            }
            g.writeEndObject();
        } else if (p instanceof InputFile f) {
            g.writeStringField("type", "file");
            g.writeObjectFieldStart("file");
            optional(g, "file_id", f.fileId());
            optional(g, "file_data", f.fileData());
            optional(g, "file_url", f.fileUrl());
            optional(g, "filename", f.filename());
            g.writeEndObject();
        } else {
            throw new AssertionError(p);
        }
        cacheControl(g, p);
        g.writeEndObject();
    }

    private static void dashScopePart(JsonGenerator g, ContentPart p) throws IOException {
        if (p instanceof UnknownContent u) {
            // DashScope's own part shapes ({"video": ...}) arrive as unknown parts: pass them as they are.
            TREES.writeTree(g, u.raw());
            return;
        }
        g.writeStartObject();
        if (p instanceof InputText || p instanceof OutputText || p instanceof Refusal) {
            g.writeStringField("text", text(p));
        } else if (p instanceof InputImage i) {
            g.writeStringField("image", i.imageUrl() != null ? i.imageUrl() : i.fileId());
        } else if (p instanceof InputAudio a) {
            g.writeStringField("audio", a.data());
        } else if (p instanceof InputFile f) {
            g.writeStringField("file", f.fileUrl() != null
                    ? f.fileUrl()
                    : f.fileData() != null
                            ? f.fileData()
                            : f.fileId());
        } else {
            throw new AssertionError(p);
        }
        cacheControl(g, p);
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }

    /** The assistant message being gathered: its reasoning, its text and the calls that follow it. */
    private static final class PendingAssistant {
        String reasoning;
        MessageItem message;
        final List<FunctionCallItem> calls = new ArrayList<>(2);

        boolean hasContentOrCalls() {
            return message != null || !calls.isEmpty();
        }

        void flush(JsonGenerator g, Style style, boolean parts) throws IOException {
            if (reasoning == null && message == null && calls.isEmpty()) {
                return;
            }
            g.writeStartObject();
            g.writeStringField("role", "assistant");
            if (message != null) {
                writeAssistantContent(g, style, parts);
            } else if (style == Style.CHAT_COMPLETIONS) {
                g.writeNullField("content");
            } else {
                g.writeStringField("content", "");
            }
            if (reasoning != null) {
                g.writeStringField("reasoning_content", reasoning);
            }
            if (!calls.isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (FunctionCallItem c : calls) {
                    g.writeStartObject();
                    g.writeStringField("id", c.callId());
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", c.name());
                    g.writeStringField("arguments", c.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            reasoning = null;
            message = null;
            calls.clear();
        }

        private void writeAssistantContent(JsonGenerator g, Style style, boolean asParts) throws IOException {
            List<ContentPart> parts = message.content();
            if (parts.size() == 1 && parts.get(0) instanceof OutputText only) {
                // The usual case, written without copying the text.
                writeText(g, only.text(), style, asParts);
                return;
            }
            String refusal = null;
            var text = new StringBuilder();
            boolean onlyText = true;
            for (ContentPart p : parts) {
                if (p instanceof OutputText t) {
                    text.append(t.text());
                } else if (p instanceof Refusal r) {
                    refusal = r.refusal();
                } else if (p instanceof InputText t) {
                    text.append(t.text());
                } else {
                    onlyText = false;
                }
            }
            if (!onlyText) {
                writeContent(g, parts, style, asParts);
                return;
            }
            writeText(g, text.toString(), style, asParts);
            if (refusal != null && style == Style.CHAT_COMPLETIONS) {
                g.writeStringField("refusal", refusal);
            }
        }
    }
}
