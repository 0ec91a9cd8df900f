package io.kaiwa.responses.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.event.ToolCallPhase;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.ResponseNotFoundException;
import io.kaiwa.core.http.UpstreamClient;
import io.kaiwa.core.http.UpstreamErrors;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.json.JsonFields;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.sse.SseEvent;

/**
 * Maps one Responses API event stream to core stream events, for one turn. The finished turn is read from the
 * terminal event's response object with {@link ResponsesWire#read}, the same code the non-streaming call uses, so
 * both give equal turns.
 *
 * <p>
 * Survives what DashScope's streams do differently from OpenAI's ({@code id:} lines and {@code :HTTP_STATUS/200}
 * comments are the SSE decoder's business; deltas without {@code item_id}; {@code web_extractor_call} announced only
 * through {@code output_item} events; no {@code [DONE]}), ignores event types it does not know, and fails the stream
 * when {@code sequence_number} skips: a lost event would leave the streamed text wrong without anyone noticing. Not
 * thread-safe: the transport calls it in order.
 */
public final class ResponsesEvents implements UpstreamClient.EventHandler<StreamEvent> {
    private final Function<JsonNode, Turn> reader;
    private final TurnFactory failedTurn;
    private final boolean chained;
    private boolean emitted;
    private final TreeMap<Integer, Item> done = new TreeMap<>();
    private final Map<Integer, String> itemIds = new HashMap<>();
    private long lastSequence = -1;
    private int lastIndex;
    private String responseId;
    private boolean finished;

    /** Makes the turn of a stream that failed before a response object said how it ended. */
    public interface TurnFactory {
        /**
         * @param responseId the provider's id, or {@code null} when no {@code response.created} arrived
         * @param output the items completed before the failure
         * @param error what failed
         * @return the failed turn
         */
        Turn failed(String responseId, List<Item> output, TurnError error);
    }

    /**
     * @param reader reads a terminal event's response object into the turn
     * @param failedTurn makes the turn of an {@code error} event
     * @param chained whether the request chained from a stored response: then an {@code error} event refusing that
     *        id before anything was emitted fails the stream with {@link ResponseNotFoundException}, so the caller
     *        can send the history instead without anyone seeing the first attempt
     */
    public ResponsesEvents(Function<JsonNode, Turn> reader, TurnFactory failedTurn, boolean chained) {
        this.reader = reader;
        this.failedTurn = failedTurn;
        this.chained = chained;
    }

    @Override
    public void onEvent(SseEvent event, Consumer<StreamEvent> emit) {
        if (finished || event.isDone()) {
            return;
        }
        ObjectNode o = parse(event);
        String type = JsonFields.string(o, "type", "");
        if (type == null) {
            type = event.event() == null ? "" : event.event();
        }
        checkSequence(o, type);
        int index = outputIndex(o);
        switch (type) {
            case "response.created", "response.in_progress", "response.queued" -> {
                JsonNode response = o.get("response");
                if (response != null && response.hasNonNull("id")) {
                    responseId = response.get("id").asText();
                }
                return;
            }
            case "response.output_item.added" -> {
                Item item = KaiwaJson.readItem(o.get("item"), "item");
                remember(index, item);
                emit.accept(new StreamEvent.ItemAdded(index, item));
                if (item instanceof FunctionCallItem) {
                    emit.accept(new StreamEvent.ToolCallProgress(item.id(), index, "function",
                            ToolCallPhase.IN_PROGRESS, null));
                } else if (item instanceof WebExtractorCallItem) {
                    // DashScope reports this tool only through output_item events: announce it like the others.
                    emit.accept(new StreamEvent.ToolCallProgress(item.id(), index, "web_extractor",
                            ToolCallPhase.IN_PROGRESS, null));
                }
            }
            case "response.output_item.done" -> {
                Item item = KaiwaJson.readItem(o.get("item"), "item");
                remember(index, item);
                done.put(index, item);
                if (item instanceof WebExtractorCallItem) {
                    emit.accept(new StreamEvent.ToolCallProgress(item.id(), index, "web_extractor",
                            ToolCallPhase.COMPLETED, null));
                }
                emit.accept(new StreamEvent.ItemDone(index, item));
            }
            case "response.output_text.delta" -> emit.accept(new StreamEvent.TextDelta(itemId(o, index), index,
                    contentIndex(o), delta(o)));
            case "response.refusal.delta" -> emit.accept(new StreamEvent.RefusalDelta(itemId(o, index), index,
                    contentIndex(o), delta(o)));
            case "response.reasoning_summary_text.delta" -> emit.accept(new StreamEvent.ReasoningDelta(
                    itemId(o, index), index, o.path("summary_index").asInt(0), delta(o), true));
            case "response.reasoning_text.delta" -> emit.accept(new StreamEvent.ReasoningDelta(itemId(o, index),
                    index, o.path("content_index").asInt(0), delta(o), false));
            case "response.function_call_arguments.delta" -> emit.accept(new StreamEvent.ToolCallProgress(
                    itemId(o, index), index, "function", ToolCallPhase.ARGUMENTS_DELTA, delta(o)));
            case "response.function_call_arguments.done" -> emit.accept(new StreamEvent.ToolCallProgress(
                    itemId(o, index), index, "function", ToolCallPhase.COMPLETED, null));
            case "response.code_interpreter_call_code.delta" -> emit.accept(new StreamEvent.ToolCallProgress(
                    itemId(o, index), index, "code_interpreter", ToolCallPhase.CODE_DELTA, delta(o)));
            case "response.completed" -> finish(o, emit);
            case "response.failed", "response.incomplete", "response.cancelled" -> finish(o, emit);
            case "error" -> fail(o, emit);
            default -> toolPhase(o, type, index, emit);
        }
        // Past the lifecycle events, the caller may have seen something: no more silent fallback.
        emitted = true;
    }

    @Override
    public void onEnd(Consumer<StreamEvent> emit) {
        if (!finished) {
            throw new ConnectionException("the event stream ended before the response was complete", 0, null, null);
        }
    }

    private static ObjectNode parse(SseEvent event) {
        try {
            return JsonFields.object(KaiwaJson.parse(event.data()), "");
        } catch (InvalidPayloadException e) {
            throw new InvalidPayloadException("", "a streamed event is not a JSON object: " + e.getMessage(), e);
        }
    }

    private void checkSequence(ObjectNode o, String type) {
        JsonNode n = o.get("sequence_number");
        if (n == null || !n.canConvertToLong()) {
            return;
        }
        long sequence = n.asLong();
        if (lastSequence >= 0 && sequence != lastSequence + 1) {
            throw new InvalidPayloadException("sequence_number", "the event stream lost or repeated events: "
                    + type + " has sequence_number " + sequence + " after " + lastSequence, null);
        }
        lastSequence = sequence;
    }

    private int outputIndex(ObjectNode o) {
        JsonNode n = o.get("output_index");
        if (n != null && n.canConvertToInt()) {
            lastIndex = n.asInt();
        }
        // DashScope's deltas may omit it: they belong to the item announced last.
        return lastIndex;
    }

    private void remember(int index, Item item) {
        if (item.id() != null) {
            itemIds.put(index, item.id());
        }
    }

    private String itemId(ObjectNode o, int index) {
        JsonNode n = o.get("item_id");
        return n != null && n.isTextual() ? n.asText() : itemIds.get(index);
    }

    private static int contentIndex(ObjectNode o) {
        JsonNode n = o.get("content_index");
        return n != null && n.canConvertToInt() ? n.asInt() : 0;
    }

    private static String delta(ObjectNode o) {
        JsonNode n = o.get("delta");
        if (n == null || n.isNull()) {
            throw new InvalidPayloadException("delta", "missing in " + JsonFields.string(o, "type", ""), null);
        }
        return n.isTextual() ? n.asText() : n.toString();
    }

    private void toolPhase(ObjectNode o, String type, int index, Consumer<StreamEvent> emit) {
        // response.<tool>_call.<phase>, for the tools named in the API and any a provider adds.
        if (!type.startsWith("response.") || !type.contains("_call.")) {
            return;
        }
        int call = type.indexOf("_call.");
        String tool = type.substring("response.".length(), call);
        ToolCallPhase phase = switch (type.substring(call + "_call.".length())) {
            case "in_progress" -> ToolCallPhase.IN_PROGRESS;
            case "searching" -> ToolCallPhase.SEARCHING;
            case "interpreting" -> ToolCallPhase.INTERPRETING;
            case "completed" -> ToolCallPhase.COMPLETED;
            default -> null;
        };
        if (phase != null && !tool.isEmpty()) {
            emit.accept(new StreamEvent.ToolCallProgress(itemId(o, index), index, tool, phase, null));
        }
    }

    private void finish(ObjectNode o, Consumer<StreamEvent> emit) {
        JsonNode response = o.get("response");
        if (response == null || !response.isObject()) {
            throw new InvalidPayloadException("response", "missing in " + o.get("type").asText(), null);
        }
        Turn turn = reader.apply(response);
        if (turn.output().isEmpty() && !done.isEmpty()) {
            // Some servers end with a response object that omits the output they streamed.
            turn = turn.toBuilder().output(new ArrayList<>(done.values())).build();
        }
        finished = true;
        if (response.hasNonNull("usage")) {
            emit.accept(new StreamEvent.UsageReported(turn.usage()));
        }
        if (turn.status() == TurnStatus.COMPLETED) {
            emit.accept(new StreamEvent.Completed(turn));
        } else {
            emit.accept(new StreamEvent.Failed(turn, ResponsesWire.failure(turn)));
        }
    }

    private void fail(ObjectNode o, Consumer<StreamEvent> emit) {
        // OpenAI puts code and message on the event; some servers nest them in "error".
        JsonNode e = o.hasNonNull("error") && o.get("error").isObject() ? o.get("error") : o;
        String message = JsonFields.string(e, "message", "error");
        var body = new UpstreamErrors.ErrorBody(message == null ? "the provider reported an error" : message,
                e == o ? null : JsonFields.string(e, "type", "error"), JsonFields.string(e, "code", "error"),
                JsonFields.string(e, "param", "error"), null);
        KaiwaException error = UpstreamErrors.map(200, body);
        if (chained && !emitted && error instanceof ResponseNotFoundException) {
            throw error;
        }
        String code = body.code() != null ? body.code() : "upstream_error";
        finished = true;
        emit.accept(new StreamEvent.Failed(failedTurn.failed(responseId, new ArrayList<>(done.values()),
                new TurnError(code, body.message())), error));
    }
}
