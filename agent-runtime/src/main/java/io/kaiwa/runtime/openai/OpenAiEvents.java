package io.kaiwa.runtime.openai;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;

import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.event.ToolCallPhase;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.persistence.EventRecord;
import io.kaiwa.runtime.persistence.ResponseRecord;

/**
 * Turns one response's core stream events into the OpenAI Responses API's events, numbered from 0, with the ids
 * the stored response will carry. Not thread-safe: one per streamed response.
 */
public final class OpenAiEvents {

    private final ResponseRecord response;
    private final boolean store;
    private final List<String> itemIds = new ArrayList<>();
    private final Map<Integer, StringBuilder> arguments = new HashMap<>();
    /** The summary parts begun so far, as output index and part. */
    private final Set<List<Integer>> summaryStarted = new HashSet<>();
    /** The message content parts announced so far, as output index and content index. */
    private final Set<List<Integer>> partsStarted = new HashSet<>();
    private int sequence;

    /** One event: its type and its JSON (with {@code type} and {@code sequence_number}). */
    public record Event(String type, int sequenceNumber, String json) {
        /** @return the event as SSE lines */
        public String sse() {
            return "event: " + type + "\ndata: " + json + "\n\n";
        }

        /**
         * @param responseId the response it belongs to
         * @return the event as stored, for streaming again later
         */
        public EventRecord stored(String responseId) {
            return new EventRecord(responseId, sequenceNumber, json);
        }
    }

    /**
     * @param response the response being streamed, as it stands (status {@code in_progress})
     * @param store whether it is stored
     */
    public OpenAiEvents(ResponseRecord response, boolean store) {
        this.response = response;
        this.store = store;
    }

    /** @param next the first sequence number to use (a resumed task continues its numbering) */
    public void startAt(int next) {
        sequence = next;
    }

    /** @return the next sequence number */
    public int nextSequence() {
        return sequence;
    }

    /** @return the ids given to output items so far, by output index */
    public List<String> itemIds() {
        return itemIds;
    }

    /**
     * @param type {@code response.created}, {@code response.queued} or {@code response.in_progress}
     * @return the event carrying the response as it stands
     */
    public Event lifecycle(String type) {
        return event(type, g -> {
            g.writeFieldName("response");
            ResponseJson.write(g, response, store);
        });
    }

    /**
     * @param finished the response with its final status, output and usage
     * @return {@code response.completed}, {@code response.incomplete}, {@code response.failed} or
     *         {@code response.cancelled}
     */
    public Event finished(ResponseRecord finished) {
        String type = switch (finished.status) {
            case COMPLETED -> "response.completed";
            case INCOMPLETE -> "response.incomplete";
            case CANCELLED -> "response.cancelled";
            case FAILED, QUEUED, IN_PROGRESS -> "response.failed";
        };
        return event(type, g -> {
            g.writeFieldName("response");
            ResponseJson.write(g, finished, store);
        });
    }

    /**
     * @param e a core event (not {@code Completed} or {@code Failed}, which {@link #finished} answers)
     * @param out receives the OpenAI events it means, in order
     */
    public void on(StreamEvent e, List<Event> out) {
        if (e instanceof StreamEvent.ItemAdded a) {
            Item item = identify(a.outputIndex(), a.item());
            out.add(event("response.output_item.added", g -> {
                g.writeNumberField("output_index", a.outputIndex());
                g.writeFieldName("item");
                KaiwaJson.writeItem(g, item);
            }));
        } else if (e instanceof StreamEvent.TextDelta d) {
            partAdded(d.outputIndex(), d.contentIndex(), false, out);
            out.add(event("response.output_text.delta", g -> {
                itemFields(g, d.outputIndex());
                g.writeNumberField("content_index", d.contentIndex());
                g.writeStringField("delta", d.delta());
                g.writeArrayFieldStart("logprobs");
                g.writeEndArray();
            }));
        } else if (e instanceof StreamEvent.RefusalDelta d) {
            partAdded(d.outputIndex(), d.contentIndex(), true, out);
            out.add(event("response.refusal.delta", g -> {
                itemFields(g, d.outputIndex());
                g.writeNumberField("content_index", d.contentIndex());
                g.writeStringField("delta", d.delta());
            }));
        } else if (e instanceof StreamEvent.ReasoningDelta d) {
            if (d.summary() && summaryStarted.add(List.of(d.outputIndex(), d.part()))) {
                out.add(event("response.reasoning_summary_part.added", g -> {
                    itemFields(g, d.outputIndex());
                    g.writeNumberField("summary_index", d.part());
                    g.writeObjectFieldStart("part");
                    g.writeStringField("type", "summary_text");
                    g.writeStringField("text", "");
                    g.writeEndObject();
                }));
            }
            out.add(event(d.summary() ? "response.reasoning_summary_text.delta" : "response.reasoning_text.delta",
                    g -> {
                        itemFields(g, d.outputIndex());
                        g.writeNumberField(d.summary() ? "summary_index" : "content_index", d.part());
                        g.writeStringField("delta", d.delta());
                    }));
        } else if (e instanceof StreamEvent.ToolCallProgress p) {
            toolProgress(p, out);
        } else if (e instanceof StreamEvent.ItemDone d) {
            Item item = identify(d.outputIndex(), d.item());
            if (item instanceof MessageItem m) {
                for (int i = 0; i < m.content().size(); i++) {
                    ContentPart part = m.content().get(i);
                    int index = i;
                    partAdded(d.outputIndex(), index, part instanceof Refusal, out);
                    if (part instanceof OutputText t) {
                        annotations(d.outputIndex(), index, t, out);
                        out.add(event("response.output_text.done", g -> {
                            itemFields(g, d.outputIndex());
                            g.writeNumberField("content_index", index);
                            g.writeStringField("text", t.text());
                            g.writeArrayFieldStart("logprobs");
                            g.writeEndArray();
                        }));
                    }
                    if (part instanceof Refusal r) {
                        out.add(event("response.refusal.done", g -> {
                            itemFields(g, d.outputIndex());
                            g.writeNumberField("content_index", index);
                            g.writeStringField("refusal", r.refusal());
                        }));
                    }
                    out.add(event("response.content_part.done", g -> {
                        itemFields(g, d.outputIndex());
                        g.writeNumberField("content_index", index);
                        g.writeFieldName("part");
                        KaiwaJson.writeContent(g, part);
                    }));
                }
            }
            if (item instanceof ReasoningItem r) {
                reasoningDone(d.outputIndex(), r, out);
            }
            out.add(event("response.output_item.done", g -> {
                g.writeNumberField("output_index", d.outputIndex());
                g.writeFieldName("item");
                KaiwaJson.writeItem(g, item);
            }));
        }
        // UsageReported: the usage travels in the final response object.
    }

    /**
     * Announces a message's content part when its first text comes (or, for a part that had none, when the message
     * ends), as a text or a refusal part: which it is is known only then.
     */
    private void partAdded(int outputIndex, int contentIndex, boolean refusal, List<Event> out) {
        if (!partsStarted.add(List.of(outputIndex, contentIndex))) {
            return;
        }
        out.add(event("response.content_part.added", g -> {
            itemFields(g, outputIndex);
            g.writeNumberField("content_index", contentIndex);
            g.writeFieldName("part");
            if (refusal) {
                g.writeStartObject();
                g.writeStringField("type", "refusal");
                g.writeStringField("refusal", "");
                g.writeEndObject();
            } else {
                emptyText(g);
            }
        }));
    }

    /** One event per annotation of a finished text part (web search citations), before its {@code .done}. */
    private void annotations(int outputIndex, int contentIndex, OutputText text, List<Event> out) {
        if (text.annotations().isEmpty()) {
            return;
        }
        var written = new StringWriter();
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(written)) {
            KaiwaJson.writeContent(g, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var annotations = KaiwaJson.parse(written.toString()).path("annotations");
        for (int i = 0; i < annotations.size(); i++) {
            int index = i;
            out.add(event("response.output_text.annotation.added", g -> {
                itemFields(g, outputIndex);
                g.writeNumberField("content_index", contentIndex);
                g.writeNumberField("annotation_index", index);
                g.writeFieldName("annotation");
                g.writeTree(annotations.get(index));
            }));
        }
    }

    /** The {@code .done} events of a finished reasoning item: each summary part's text and part, each text's. */
    private void reasoningDone(int outputIndex, ReasoningItem r, List<Event> out) {
        for (int i = 0; i < r.summary().size(); i++) {
            int index = i;
            String text = r.summary().get(i);
            out.add(event("response.reasoning_summary_text.done", g -> {
                itemFields(g, outputIndex);
                g.writeNumberField("summary_index", index);
                g.writeStringField("text", text);
            }));
            out.add(event("response.reasoning_summary_part.done", g -> {
                itemFields(g, outputIndex);
                g.writeNumberField("summary_index", index);
                g.writeObjectFieldStart("part");
                g.writeStringField("type", "summary_text");
                g.writeStringField("text", text);
                g.writeEndObject();
            }));
        }
        for (int i = 0; i < r.content().size(); i++) {
            int index = i;
            String text = r.content().get(i);
            out.add(event("response.reasoning_text.done", g -> {
                itemFields(g, outputIndex);
                g.writeNumberField("content_index", index);
                g.writeStringField("text", text);
            }));
        }
    }

    private void toolProgress(StreamEvent.ToolCallProgress p, List<Event> out) {
        int index = p.outputIndex();
        if ("function".equals(p.tool())) {
            if (p.phase() == ToolCallPhase.ARGUMENTS_DELTA) {
                arguments.computeIfAbsent(index, i -> new StringBuilder()).append(p.delta());
                out.add(event("response.function_call_arguments.delta", g -> {
                    itemFields(g, index);
                    g.writeStringField("delta", p.delta());
                }));
            } else if (p.phase() == ToolCallPhase.COMPLETED) {
                StringBuilder args = arguments.get(index);
                out.add(event("response.function_call_arguments.done", g -> {
                    itemFields(g, index);
                    g.writeStringField("arguments", args == null ? "" : args.toString());
                }));
            }
            return;
        }
        if (p.phase() == ToolCallPhase.CODE_DELTA) {
            out.add(event("response." + p.tool() + "_call_code.delta", g -> {
                itemFields(g, index);
                g.writeStringField("delta", p.delta());
            }));
            return;
        }
        String phase = switch (p.phase()) {
            case IN_PROGRESS -> "in_progress";
            case SEARCHING -> "searching";
            case INTERPRETING -> "interpreting";
            case COMPLETED -> "completed";
            default -> null;
        };
        if (phase != null) {
            out.add(event("response." + p.tool() + "_call." + phase, g -> itemFields(g, index)));
        }
    }

    private Item identify(int outputIndex, Item item) {
        while (itemIds.size() <= outputIndex) {
            itemIds.add(null);
        }
        if (itemIds.get(outputIndex) == null) {
            itemIds.set(outputIndex, item.id());
        }
        Item withId = OutputItems.withIds(List.of(item), itemIds.subList(outputIndex, outputIndex + 1)).get(0);
        itemIds.set(outputIndex, withId.id());
        return withId;
    }

    private void itemFields(JsonGenerator g, int outputIndex) throws IOException {
        g.writeStringField("item_id", outputIndex < itemIds.size() ? itemIds.get(outputIndex) : null);
        g.writeNumberField("output_index", outputIndex);
    }

    private static void emptyText(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "output_text");
        g.writeStringField("text", "");
        g.writeArrayFieldStart("annotations");
        g.writeEndArray();
        g.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private Event event(String type, Body body) {
        int number = sequence++;
        var out = new StringWriter(256);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeNumberField("sequence_number", number);
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Event(type, number, out.toString());
    }
}
