package io.kaiwa.core.context;

import io.kaiwa.core.internal.context.FunctionCallPairs;

/**
 * Replays the last {@code turns} turns, plus the turn before them when the oldest kept turn answers its function
 * calls. With a {@code block} above one, older turns are left out {@code block} at a time: between {@code turns}
 * and {@code turns + block - 1} are replayed, and where the replay starts moves only every {@code block} turns, so
 * the prompt's beginning stays the same from turn to turn and the provider's prefix cache keeps serving it.
 *
 * @param turns how many recent turns to keep at least; at least 0
 * @param block how many turns are left out at once; at least 1 (1: exactly the last {@code turns})
 */
public record LastTurnsPolicy(int turns, int block) implements ContextPolicy {
    public LastTurnsPolicy {
        if (turns < 0) {
            throw new IllegalArgumentException("turns must be at least 0, was " + turns);
        }
        if (block < 1) {
            throw new IllegalArgumentException("block must be at least 1, was " + block);
        }
    }

    /** @param turns how many recent turns to keep exactly; at least 0 */
    public LastTurnsPolicy(int turns) {
        this(turns, 1);
    }

    @Override
    public ContextWindow apply(ContextWindow window) {
        var history = window.history();
        if (history.size() <= turns) {
            return window;
        }
        int drop = (history.size() - turns) / block * block;
        if (drop == 0) {
            return window;
        }
        int start = FunctionCallPairs.extendStart(history, window.input(), drop);
        return window.withHistory(history.subList(start, history.size()));
    }
}
