package io.kaiwa.core.context;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.internal.Copies;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.ReasoningItem;

/**
 * What one request will carry: the instructions, the earlier turns to replay, and the new input. A
 * {@link ContextPolicy} narrows the history; adapters turn the result into their wire format.
 *
 * @param instructions sent first, or {@code null}
 * @param history earlier turns to replay, oldest first; {@code null} means none
 * @param input the new items of this turn; {@code null} means none
 */
public record ContextWindow(String instructions, List<Turn> history, List<Item> input) {
    public ContextWindow {
        history = Copies.list(history, "history");
        input = Copies.list(input, "input");
    }

    /**
     * The window a conversation's policy leaves for a new input: the conversation's replayable turns (completed
     * or incomplete; failed and cancelled turns are not replayed) from its latest compaction on, narrowed by its
     * {@link ContextPolicy}. The turn that holds the latest {@link CompactionItem} stands for everything before it,
     * which is left out; the policy narrows only the turns after it, so the summary is never dropped.
     *
     * @param conversation the conversation so far; never {@code null}
     * @param input the new items; never {@code null}
     * @return the window to send
     */
    public static ContextWindow select(Conversation conversation, List<Item> input) {
        requireNonNull(conversation, "conversation");
        requireNonNull(input, "input");
        var replayable = new ArrayList<Turn>(conversation.turns().size());
        for (Turn t : conversation.turns()) {
            if (t.status().replayable()) {
                replayable.add(t);
            }
        }
        int compacted = -1;
        for (int i = replayable.size() - 1; i >= 0 && compacted < 0; i--) {
            if (holdsCompaction(replayable.get(i))) {
                compacted = i;
            }
        }
        if (compacted < 0) {
            var window = new ContextWindow(conversation.instructions(), replayable, input);
            return requireNonNull(conversation.contextPolicy().apply(window), "context policy returned null");
        }
        var after = new ContextWindow(conversation.instructions(), replayable.subList(compacted + 1,
                replayable.size()), input);
        ContextWindow narrowed = requireNonNull(conversation.contextPolicy().apply(after),
                "context policy returned null");
        var history = new ArrayList<Turn>(narrowed.history().size() + 1);
        history.add(replayable.get(compacted));
        history.addAll(narrowed.history());
        return narrowed.withHistory(history);
    }

    private static boolean holdsCompaction(Turn turn) {
        for (Item item : turn.input()) {
            if (item instanceof CompactionItem) {
                return true;
            }
        }
        for (Item item : turn.output()) {
            if (item instanceof CompactionItem) {
                return true;
            }
        }
        return false;
    }

    /**
     * The items to send, in order: each history turn's input then output, then the new input; from the latest
     * {@link CompactionItem} on, as it stands for everything before it.
     *
     * @param reasoning whether history reasoning items are included; the new input is always sent whole
     * @return the items; a new list
     */
    public List<Item> items(ReasoningReplay reasoning) {
        int size = input.size();
        for (Turn t : history) {
            size += t.input().size() + t.output().size();
        }
        var items = new ArrayList<Item>(size);
        for (Turn t : history) {
            addAll(items, t.input(), reasoning);
            addAll(items, t.output(), reasoning);
        }
        items.addAll(input);
        for (int i = items.size() - 1; i > 0; i--) {
            if (items.get(i) instanceof CompactionItem) {
                return new ArrayList<>(items.subList(i, items.size()));
            }
        }
        return items;
    }

    /**
     * @param history the history to keep instead
     * @return this window with another history
     */
    public ContextWindow withHistory(List<Turn> history) {
        return new ContextWindow(instructions, history, input);
    }

    private static void addAll(List<Item> to, List<Item> from, ReasoningReplay reasoning) {
        if (reasoning == ReasoningReplay.KEEP) {
            to.addAll(from);
            return;
        }
        for (Item item : from) {
            if (!(item instanceof ReasoningItem)) {
                to.add(item);
            }
        }
    }
}
