package io.kaiwa.core.spi;

import java.util.List;

import io.kaiwa.core.Turn;
import io.kaiwa.core.internal.context.DefaultTokenEstimator;
import io.kaiwa.core.item.Item;

/**
 * Estimates how many tokens text and items cost, so context policies can fit a budget before the provider counts.
 *
 * <p>
 * Estimates need not be exact but should err high. Implementations must be thread-safe: one estimator is shared
 * by all turns of an adapter, and {@link #calibrate} may be called concurrently with estimates.
 */
public interface TokenEstimator {

    /**
     * @param text any text, or {@code null}
     * @return its estimated tokens; 0 for {@code null} or empty
     */
    long estimateText(String text);

    /**
     * @param item an item; never {@code null}
     * @return its estimated tokens, its framing included
     */
    long estimate(Item item);

    /**
     * @param items items; never {@code null}
     * @return the sum of their estimates
     */
    default long estimate(List<? extends Item> items) {
        long n = 0;
        for (Item item : items) {
            n += estimate(item);
        }
        return n;
    }

    /**
     * @param turn a turn; never {@code null}
     * @return the estimate of its input and output items
     */
    default long estimate(Turn turn) {
        return estimate(turn.input()) + estimate(turn.output());
    }

    /**
     * Tells the estimator what the provider actually counted for a request it estimated, so later estimates move
     * towards the provider's tokenizer. Adapters call this after every turn that reports {@code input_tokens}.
     *
     * @param estimatedTokens what this estimator said the request's input would cost
     * @param reportedInputTokens what the provider reported as {@code input_tokens}
     */
    default void calibrate(long estimatedTokens, long reportedInputTokens) {
    }

    /**
     * The default estimator: about one token per CJK character, one per four characters of Latin text, fixed costs
     * for images, audio and files, calibrated by {@link #calibrate}. Each call returns a new, independently
     * calibrated instance.
     *
     * @return a new default estimator
     */
    static TokenEstimator defaultEstimator() {
        return new DefaultTokenEstimator();
    }
}
