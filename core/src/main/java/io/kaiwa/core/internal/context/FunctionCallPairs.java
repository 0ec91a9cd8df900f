package io.kaiwa.core.internal.context;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.kaiwa.core.Turn;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;

/** Keeps function calls and their outputs together when a policy cuts the history. */
public final class FunctionCallPairs {
    private FunctionCallPairs() {
    }

    /**
     * Moves a history cut earlier until no kept turn, and not the new input, answers a function call made before
     * the cut: providers reject a {@code function_call_output} (a {@code tool} message) whose call they have not
     * seen.
     *
     * @param history the full history, oldest first
     * @param input the new input
     * @param start the index of the first turn a policy wants to keep
     * @return the index of the first turn to keep, at most {@code start}
     */
    public static int extendStart(List<Turn> history, List<Item> input, int start) {
        Set<String> madeBeforeCut = new HashSet<>();
        for (int i = 0; i < start; i++) {
            addMade(madeBeforeCut, history.get(i).input());
            addMade(madeBeforeCut, history.get(i).output());
        }
        if (madeBeforeCut.isEmpty()) {
            return start;
        }
        Set<String> unanswered = new HashSet<>();
        addAnswered(unanswered, input);
        for (int i = history.size() - 1; i >= start; i--) {
            addAnswered(unanswered, history.get(i).input());
        }
        // An answer to a call that the history never made cannot be repaired by keeping more turns.
        unanswered.retainAll(madeBeforeCut);
        int first = start;
        for (int i = start - 1; i >= 0 && !unanswered.isEmpty(); i--) {
            Turn t = history.get(i);
            removeMade(unanswered, t.output());
            removeMade(unanswered, t.input());
            addAnswered(unanswered, t.input());
            unanswered.retainAll(madeBeforeCut);
            removeMade(unanswered, t.input());
            first = i;
        }
        return first;
    }

    private static void addAnswered(Set<String> ids, List<Item> items) {
        for (Item item : items) {
            if (item instanceof FunctionCallOutputItem o) {
                ids.add(o.callId());
            }
        }
    }

    private static void addMade(Set<String> ids, List<Item> items) {
        for (Item item : items) {
            if (item instanceof FunctionCallItem c) {
                ids.add(c.callId());
            }
        }
    }

    private static void removeMade(Set<String> ids, List<Item> items) {
        if (ids.isEmpty()) {
            return;
        }
        for (Item item : items) {
            if (item instanceof FunctionCallItem c) {
                ids.remove(c.callId());
            }
        }
    }
}
