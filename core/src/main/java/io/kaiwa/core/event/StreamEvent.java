package io.kaiwa.core.event;

import static java.util.Objects.requireNonNull;

import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.item.Item;

/**
 * What a streamed turn reports as it happens. Every adapter produces the same family, so one consumer handles
 * Chat Completions, DashScope native and Responses streams alike.
 *
 * <p>
 * Indexes are positions in the turn's output ({@code outputIndex}) and in an item's content
 * ({@code contentIndex}), as the Responses API numbers them.
 */
public sealed interface StreamEvent {

    /**
     * A piece of answer text.
     *
     * @param itemId the message item's id, or {@code null} when the provider gives none
     * @param outputIndex the item's position in the output
     * @param contentIndex the content part's position in the item
     * @param delta the new text; never {@code null}
     */
    record TextDelta(String itemId, int outputIndex, int contentIndex, String delta) implements StreamEvent {
        public TextDelta {
            requireNonNull(delta, "delta");
        }
    }

    /**
     * A piece of the model's refusal to answer, a content part of its own in the message.
     *
     * @param itemId the message item's id, or {@code null} when the provider gives none
     * @param outputIndex the item's position in the output
     * @param contentIndex the refusal part's position in the item
     * @param delta the new text; never {@code null}
     */
    record RefusalDelta(String itemId, int outputIndex, int contentIndex, String delta) implements StreamEvent {
        public RefusalDelta {
            requireNonNull(delta, "delta");
        }
    }

    /**
     * A piece of the model's reasoning.
     *
     * @param itemId the reasoning item's id, or {@code null}
     * @param outputIndex the item's position in the output
     * @param part which summary part (or reasoning text) of the item the text belongs to, from 0
     * @param delta the new text; never {@code null}
     * @param summary whether this is summary text ({@code reasoning_summary_text}) rather than reasoning content
     */
    record ReasoningDelta(String itemId, int outputIndex, int part, String delta, boolean summary)
            implements
                StreamEvent {
        public ReasoningDelta {
            requireNonNull(delta, "delta");
        }

        /**
         * Text of an item's first (or only) summary part or reasoning text.
         *
         * @param itemId the reasoning item's id, or {@code null}
         * @param outputIndex the item's position in the output
         * @param delta the new text; never {@code null}
         * @param summary whether this is summary text rather than reasoning content
         */
        public ReasoningDelta(String itemId, int outputIndex, String delta, boolean summary) {
            this(itemId, outputIndex, 0, delta, summary);
        }
    }

    /**
     * An output item began (its content may still be empty).
     *
     * @param outputIndex its position in the output
     * @param item the item as far as it is known; never {@code null}
     */
    record ItemAdded(int outputIndex, Item item) implements StreamEvent {
        public ItemAdded {
            requireNonNull(item, "item");
        }
    }

    /**
     * An output item is complete.
     *
     * @param outputIndex its position in the output
     * @param item the whole item; never {@code null}
     */
    record ItemDone(int outputIndex, Item item) implements StreamEvent {
        public ItemDone {
            requireNonNull(item, "item");
        }
    }

    /**
     * A tool call moved on: a built-in tool changed phase, or a function call's arguments grew.
     *
     * @param itemId the call item's id, or {@code null}
     * @param outputIndex the item's position in the output
     * @param tool the tool, e.g. {@code web_search}, {@code code_interpreter} or {@code function}; never
     *        {@code null}
     * @param phase what happened; never {@code null}
     * @param delta the new argument text for {@link ToolCallPhase#ARGUMENTS_DELTA}, the code for
     *        {@link ToolCallPhase#CODE_DELTA}, else {@code null}
     */
    record ToolCallProgress(String itemId, int outputIndex, String tool, ToolCallPhase phase, String delta)
            implements
                StreamEvent {
        public ToolCallProgress {
            requireNonNull(tool, "tool");
            requireNonNull(phase, "phase");
        }
    }

    /**
     * The provider reported the turn's usage.
     *
     * @param usage the usage; never {@code null}
     */
    record UsageReported(Usage usage) implements StreamEvent {
        public UsageReported {
            requireNonNull(usage, "usage");
        }
    }

    /**
     * The turn finished; always the last event of a successful stream.
     *
     * @param turn the finished turn, equal to what the non-streaming call returns; never {@code null}
     */
    record Completed(Turn turn) implements StreamEvent {
        public Completed {
            requireNonNull(turn, "turn");
        }
    }

    /**
     * The provider ended the turn as failed or incomplete; always the last event of such a stream.
     *
     * @param turn the turn with status {@link TurnStatus#FAILED} or {@link TurnStatus#INCOMPLETE} and whatever
     *        output arrived; never {@code null}
     * @param error the typed error; never {@code null}
     */
    record Failed(Turn turn, KaiwaException error) implements StreamEvent {
        public Failed {
            requireNonNull(turn, "turn");
            requireNonNull(error, "error");
        }
    }
}
