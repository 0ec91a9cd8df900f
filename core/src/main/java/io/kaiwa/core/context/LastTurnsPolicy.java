package io.kaiwa.core.context;

import io.kaiwa.core.internal.context.FunctionCallPairs;

/**
 * Replays the last {@code turns} turns, plus the turn before them when the oldest kept turn answers its function
 * calls.
 *
 * @param turns how many recent turns to keep; at least 0
 */
public record LastTurnsPolicy(int turns) implements ContextPolicy {
    public LastTurnsPolicy {
        if (turns < 0) {
            throw new IllegalArgumentException("turns must be at least 0, was " + turns);
        }
    }

    @Override
    public ContextWindow apply(ContextWindow window) {
        var history = window.history();
        if (history.size() <= turns) {
            return window;
        }
        int start = FunctionCallPairs.extendStart(history, window.input(), history.size() - turns);
        return window.withHistory(history.subList(start, history.size()));
    }
}
