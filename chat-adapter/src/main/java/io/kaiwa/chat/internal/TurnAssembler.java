package io.kaiwa.chat.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.event.ToolCallPhase;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.Role;

/**
 * Builds a turn from an assistant answer that arrives in pieces: reasoning text, answer text and tool-call
 * fragments, as Chat Completions and DashScope deltas carry them. The non-streaming paths feed a whole message
 * through the same assembler, so a streamed turn and a non-streamed turn of the same exchange are equal by
 * construction.
 *
 * <p>
 * Output order is reasoning, then the message, then function calls, each numbered by first appearance. Not
 * thread-safe: one assembler per turn, fed from one stream.
 */
public final class TurnAssembler {
    private final List<Item> input;
    private final Instant startedAt;
    private final Clock clock;
    private final List<StreamEvent> events = new ArrayList<>(4);

    private String turnId;
    private int nextIndex;
    private final Text reasoning = new Text();
    private int reasoningIndex = -1;
    private final Text content = new Text();
    private final Text refusal = new Text();
    /** The answer's log probabilities, when the provider gave them. */
    private ArrayNode logprobs;
    private int contentIndex = -1;
    private final List<ToolCall> toolCalls = new ArrayList<>(2);
    private String finishReason;
    private Usage usage;
    private boolean finished;
    private boolean endOfStream;

    /**
     * @param input the turn's new input items
     * @param startedAt when the request was sent
     * @param clock tells when the turn completed
     */
    public TurnAssembler(List<Item> input, Instant startedAt, Clock clock) {
        this.input = input;
        this.startedAt = startedAt;
        this.clock = clock;
    }

    /** @param id the provider's completion id; the first one seen is kept */
    public void id(String id) {
        if (turnId == null && id != null && !id.isEmpty()) {
            turnId = id;
        }
    }

    /** @param delta more reasoning text */
    public void reasoning(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        if (reasoning.isEmpty()) {
            reasoningIndex = nextIndex++;
            events.add(new StreamEvent.ItemAdded(reasoningIndex, new ReasoningItem(null, null, null, null,
                    "in_progress", null)));
        }
        reasoning.append(delta);
        events.add(new StreamEvent.ReasoningDelta(null, reasoningIndex, delta, false));
    }

    /**
     * @param tokens the answer's log probabilities ({@code choices[0].logprobs.content}), all or a chunk's; anything
     *        but an array (none were asked for) is ignored
     */
    public void logprobs(JsonNode tokens) {
        if (tokens == null || !tokens.isArray() || tokens.isEmpty()) {
            return;
        }
        if (logprobs == null) {
            logprobs = JsonNodeFactory.instance.arrayNode();
        }
        // Chat Completions and the Responses API give each token the same fields (token, logprob, bytes, top_logprobs).
        logprobs.addAll((ArrayNode) tokens);
    }

    /** @param delta more answer text */
    public void content(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        startMessage();
        content.append(delta);
        events.add(new StreamEvent.TextDelta(null, contentIndex, 0, delta));
    }

    /** @param delta more of the model's refusal ({@code refusal}), a part of its own after any text */
    public void refusal(String delta) {
        if (delta == null || delta.isEmpty()) {
            return;
        }
        startMessage();
        refusal.append(delta);
        events.add(new StreamEvent.RefusalDelta(null, contentIndex, content.isEmpty() ? 0 : 1, delta));
    }

    private void startMessage() {
        if (content.isEmpty() && refusal.isEmpty()) {
            contentIndex = nextIndex++;
            events.add(new StreamEvent.ItemAdded(contentIndex, new MessageItem(null, Role.ASSISTANT, List.of(),
                    "in_progress", null)));
        }
    }

    /**
     * @param position the call's {@code index} among the message's tool calls
     * @param id the call id, on the call's first fragment
     * @param name the function name, on the call's first fragment
     * @param argumentsDelta more argument text, possibly empty
     */
    public void toolCall(int position, String id, String name, String argumentsDelta) {
        ToolCall call = null;
        for (ToolCall c : toolCalls) {
            if (c.position == position) {
                call = c;
                break;
            }
        }
        if (call == null) {
            call = new ToolCall(position, nextIndex++);
            toolCalls.add(call);
        }
        if (call.id == null && id != null && !id.isEmpty()) {
            call.id = id;
        }
        if (call.name == null && name != null && !name.isEmpty()) {
            call.name = name;
        }
        if (!call.announced && call.id != null && call.name != null) {
            call.announced = true;
            events.add(new StreamEvent.ItemAdded(call.outputIndex, new FunctionCallItem(null, call.id, call.name, "",
                    "in_progress", null)));
            events.add(new StreamEvent.ToolCallProgress(call.id, call.outputIndex, "function",
                    ToolCallPhase.IN_PROGRESS, null));
            if (call.arguments.length() > 0) {
                events.add(new StreamEvent.ToolCallProgress(call.id, call.outputIndex, "function",
                        ToolCallPhase.ARGUMENTS_DELTA, call.arguments.toString()));
            }
        }
        if (argumentsDelta != null && !argumentsDelta.isEmpty()) {
            call.arguments.append(argumentsDelta);
            if (call.announced) {
                events.add(new StreamEvent.ToolCallProgress(call.id, call.outputIndex, "function",
                        ToolCallPhase.ARGUMENTS_DELTA, argumentsDelta));
            }
        }
    }

    /** @param reason the provider's finish reason ({@code stop}, {@code length}, {@code tool_calls}, ...) */
    public void finish(String reason) {
        if (reason != null && !reason.isEmpty() && !"null".equals(reason)) {
            finishReason = reason;
        }
    }

    /** @param usage the usage reported so far; a later report replaces an earlier one */
    public void usage(Usage usage) {
        this.usage = usage;
    }

    /** Records the stream's explicit end marker ({@code data: [DONE]}). */
    public void endOfStream() {
        endOfStream = true;
    }

    /** @return whether the stream ended as it should: an end marker or a finish reason arrived */
    public boolean endedCleanly() {
        return endOfStream || finishReason != null;
    }

    /** @param out receives the events produced since the last call, in order */
    public void drainTo(List<StreamEvent> out) {
        if (!events.isEmpty()) {
            out.addAll(events);
            events.clear();
        }
    }

    /** @return the finished turn, and the closing events ({@code ItemDone}s, usage, {@code Completed}) drained */
    public Turn complete() {
        finished = true;
        List<Item> output = output();
        for (int i = 0; i < output.size(); i++) {
            Item item = output.get(i);
            if (i >= nextIndex) {
                // The empty answer output() adds was never announced while streaming.
                events.add(new StreamEvent.ItemAdded(i, item));
            }
            if (item instanceof FunctionCallItem c) {
                events.add(new StreamEvent.ToolCallProgress(c.callId(), i, "function", ToolCallPhase.COMPLETED,
                        null));
            }
            events.add(new StreamEvent.ItemDone(i, item));
        }
        if (usage != null) {
            events.add(new StreamEvent.UsageReported(usage));
        }
        TurnStatus status = "length".equals(finishReason) || "content_filter".equals(finishReason)
                ? TurnStatus.INCOMPLETE
                : TurnStatus.COMPLETED;
        Turn turn = new Turn(turnId, input, output, usage, null, status, null, startedAt, clock.instant(), null);
        events.add(new StreamEvent.Completed(turn));
        return turn;
    }

    /**
     * @param error what the provider reported
     * @return the failed turn with whatever output arrived, and a closing {@code Failed} event drained
     */
    public Turn fail(KaiwaException error) {
        finished = true;
        String code = error.code() != null ? error.code() : "upstream_error";
        Turn turn = new Turn(turnId, input, output(), usage, null, TurnStatus.FAILED,
                new TurnError(code, error.getMessage()), startedAt, clock.instant(), null);
        events.add(new StreamEvent.Failed(turn, error));
        return turn;
    }

    /** @return whether {@link #complete()} or {@link #fail} was called */
    public boolean isFinished() {
        return finished;
    }

    private List<Item> output() {
        int size = nextIndex;
        Item[] items = new Item[size];
        String status = "length".equals(finishReason) ? "incomplete" : "completed";
        if (!reasoning.isEmpty()) {
            items[reasoningIndex] = new ReasoningItem(null, null, List.of(reasoning.toString()), null, null, null);
        }
        if (!content.isEmpty() || !refusal.isEmpty()) {
            var parts = new ArrayList<ContentPart>(2);
            if (!content.isEmpty()) {
                parts.add(logprobs == null
                        ? new OutputText(content.toString())
                        : new OutputText(content.toString(), List.of(), Map.of("logprobs", logprobs)));
            }
            if (!refusal.isEmpty()) {
                parts.add(new Refusal(refusal.toString(), null));
            }
            items[contentIndex] = new MessageItem(null, Role.ASSISTANT, parts, status, null);
        }
        for (ToolCall c : toolCalls) {
            items[c.outputIndex] = new FunctionCallItem(null, c.id == null ? "call_" + c.position : c.id,
                    c.name == null ? "" : c.name, c.arguments.toString(), "completed", null);
        }
        var list = new ArrayList<Item>(size + 1);
        for (Item item : items) {
            list.add(item);
        }
        if (content.isEmpty() && refusal.isEmpty() && toolCalls.isEmpty()) {
            // An empty answer is still an answer: keep an assistant message so the history stays well-formed.
            list.add(new MessageItem(null, Role.ASSISTANT, List.of(new OutputText("")), status, null));
        }
        return list;
    }

    /** Text that arrives in pieces; a whole answer arrives as one piece and is kept without a copy. */
    private static final class Text {
        private String first;
        private StringBuilder more;

        boolean isEmpty() {
            return first == null;
        }

        void append(String piece) {
            if (first == null) {
                first = piece;
            } else {
                if (more == null) {
                    more = new StringBuilder(Math.max(256, first.length() * 4)).append(first);
                }
                more.append(piece);
            }
        }

        @Override
        public String toString() {
            return more != null ? more.toString() : first;
        }
    }

    private static final class ToolCall {
        final int position;
        final int outputIndex;
        String id;
        String name;
        boolean announced;
        final StringBuilder arguments = new StringBuilder();

        ToolCall(int position, int outputIndex) {
            this.position = position;
            this.outputIndex = outputIndex;
        }
    }
}
