package io.kaiwa.core.context;

import java.util.List;

import io.kaiwa.core.spi.TokenEstimator;

/**
 * Decides which earlier turns a request replays. Policies compose with {@link #andThen(ContextPolicy)}: each
 * narrows what the previous one left.
 *
 * <p>
 * Contract: a policy returns the same instructions and input and a history taken from the one it was given, in
 * order, whole turns only, so a turn's function calls stay with their outputs. A turn whose input answers function
 * calls of the turn before it is kept together with that turn, even past a limit, because providers reject an
 * answer to a call they have not seen.
 *
 * <p>
 * Policies stay synchronous and pure: a rolling summary, which needs a model call, is made before the request by
 * {@link RollingSummary} and lives in the conversation as a compaction; a policy narrows only the turns after the
 * latest compaction. Implementations must be thread-safe and should be records or otherwise value-comparable.
 */
@FunctionalInterface
public interface ContextPolicy {

    /**
     * @param window what the conversation would send; never {@code null}
     * @return what to send instead; never {@code null}
     */
    ContextWindow apply(ContextWindow window);

    /**
     * @param next the policy applied to what this one leaves; never {@code null}
     * @return both policies in sequence
     */
    default ContextPolicy andThen(ContextPolicy next) {
        return new ChainedPolicy(List.of(this, next));
    }

    /** @return the policy that replays every turn */
    static ContextPolicy keepAll() {
        return KeepAllPolicy.INSTANCE;
    }

    /**
     * @param turns how many of the most recent turns to replay; at least 0
     * @return the policy that replays only the last {@code turns} turns
     */
    static ContextPolicy lastTurns(int turns) {
        return new LastTurnsPolicy(turns);
    }

    /**
     * @param turns how many of the most recent turns to replay at least; at least 0
     * @param block how many older turns are left out at once; at least 1
     * @return the policy that replays the last {@code turns} to {@code turns + block - 1} turns, leaving older ones
     *         out a block at a time so that the prompt's beginning (and the provider's prefix cache) holds between
     *         drops
     */
    static ContextPolicy lastTurns(int turns, int block) {
        return new LastTurnsPolicy(turns, block);
    }

    /**
     * @param maxTokens the most input tokens a request should carry, instructions and new input included
     * @return the policy that replays the most recent turns that fit, estimated by the default estimator
     */
    static ContextPolicy tokenBudget(int maxTokens) {
        return new TokenBudgetPolicy(maxTokens, TokenEstimator.defaultEstimator());
    }

    /**
     * @param maxTokens the most input tokens a request should carry, instructions and new input included
     * @param estimator counts tokens; share the adapter's so it stays calibrated
     * @return the policy that replays the most recent turns that fit
     */
    static ContextPolicy tokenBudget(int maxTokens, TokenEstimator estimator) {
        return new TokenBudgetPolicy(maxTokens, estimator);
    }
}
