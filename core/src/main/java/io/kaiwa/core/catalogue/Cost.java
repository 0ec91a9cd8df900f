package io.kaiwa.core.catalogue;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * What a turn cost in money, by what it paid for.
 *
 * @param currency an ISO 4217 code, e.g. {@code USD}; never {@code null}
 * @param input input tokens not read from the context cache
 * @param cachedInput input tokens read from the context cache
 * @param output output tokens, reasoning included
 * @param toolCalls the calls of built-in tools the provider ran and bills per call
 * @param total the sum
 */
public record Cost(String currency, BigDecimal input, BigDecimal cachedInput, BigDecimal output,
        BigDecimal toolCalls, BigDecimal total) {
    public Cost {
        requireNonNull(currency, "currency");
        requireNonNull(input, "input");
        requireNonNull(cachedInput, "cachedInput");
        requireNonNull(output, "output");
        requireNonNull(toolCalls, "toolCalls");
        requireNonNull(total, "total");
    }

    /**
     * @param currency the currency
     * @return nothing spent, in that currency
     */
    public static Cost zero(String currency) {
        return new Cost(currency, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO);
    }

    /**
     * @param input input tokens not read from the cache
     * @param cachedInput cached input tokens
     * @param output output tokens
     * @param toolCalls billed tool calls
     * @param currency the currency
     * @return the cost, with its total
     */
    public static Cost of(String currency, BigDecimal input, BigDecimal cachedInput, BigDecimal output,
            BigDecimal toolCalls) {
        return new Cost(currency, input, cachedInput, output, toolCalls,
                input.add(cachedInput).add(output).add(toolCalls));
    }

    /**
     * @param other another cost in the same currency
     * @return both together
     * @throws IllegalArgumentException when the currencies differ
     */
    public Cost plus(Cost other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
        }
        return of(currency, input.add(other.input), cachedInput.add(other.cachedInput), output.add(other.output),
                toolCalls.add(other.toolCalls));
    }
}
