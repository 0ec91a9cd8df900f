package io.kaiwa.core.context;

import static java.util.Objects.requireNonNull;

import io.kaiwa.core.internal.context.FunctionCallPairs;
import io.kaiwa.core.spi.TokenEstimator;

/**
 * Replays the most recent turns whose estimated tokens, with the instructions and the new input, fit a budget.
 * Stops at the first turn that does not fit rather than skipping it, so the replayed history has no gaps.
 *
 * <p>
 * Reasoning items count towards the budget even where an adapter omits them, so the estimate errs on the safe
 * side. A turn that the kept history or the new input needs for its function calls is kept even when it
 * overflows the budget: without it the provider rejects the request.
 *
 * @param maxTokens the budget for a request's input tokens; at least 1
 * @param estimator counts tokens; never {@code null}
 */
public record TokenBudgetPolicy(int maxTokens, TokenEstimator estimator) implements ContextPolicy {
    public TokenBudgetPolicy {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        requireNonNull(estimator, "estimator");
    }

    @Override
    public ContextWindow apply(ContextWindow window) {
        var history = window.history();
        long left = maxTokens - estimator.estimateText(window.instructions()) - estimator.estimate(window.input());
        int start = history.size();
        while (start > 0) {
            long cost = estimator.estimate(history.get(start - 1));
            if (cost > left) {
                break;
            }
            left -= cost;
            start--;
        }
        if (start == 0) {
            return window;
        }
        start = FunctionCallPairs.extendStart(history, window.input(), start);
        return window.withHistory(history.subList(start, history.size()));
    }
}
