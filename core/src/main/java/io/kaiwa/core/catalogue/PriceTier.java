package io.kaiwa.core.catalogue;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * Prices per million tokens for requests up to a number of input tokens (Model Studio prices some models by the
 * request's input length).
 *
 * @param maxInputTokens the largest request input this tier prices, or {@code null} for no limit
 * @param input per million input tokens not read from the context cache; never {@code null}
 * @param cachedInput per million input tokens read from the context cache, or {@code null} when cached tokens
 *        cost the same as others
 * @param output per million output tokens; never {@code null}
 * @param thinkingOutput per million output tokens of an answer that thought (reasoning tokens reported), or
 *        {@code null} when thinking costs the same
 */
public record PriceTier(Long maxInputTokens, BigDecimal input, BigDecimal cachedInput, BigDecimal output,
        BigDecimal thinkingOutput) {
    public PriceTier {
        requireNonNull(input, "input");
        requireNonNull(output, "output");
        if (maxInputTokens != null && maxInputTokens < 1) {
            throw new IllegalArgumentException("maxInputTokens must be positive: " + maxInputTokens);
        }
        for (BigDecimal price : new BigDecimal[]{input, cachedInput, output, thinkingOutput}) {
            if (price != null && price.signum() < 0) {
                throw new IllegalArgumentException("a price cannot be negative: " + price);
            }
        }
    }

    /** @return what a cached input token costs per million */
    public BigDecimal cachedInputOrInput() {
        return cachedInput != null ? cachedInput : input;
    }

    /** @return what an output token of an answer that thought costs per million */
    public BigDecimal thinkingOutputOrOutput() {
        return thinkingOutput != null ? thinkingOutput : output;
    }
}
