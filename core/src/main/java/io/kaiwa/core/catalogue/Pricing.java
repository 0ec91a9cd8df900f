package io.kaiwa.core.catalogue;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kaiwa.core.Usage;

/**
 * What a model's calls cost: prices per million tokens, in tiers by the request's input length, and per call of the
 * built-in tools the provider runs and bills.
 *
 * @param currency an ISO 4217 code, e.g. {@code USD}; never {@code null}
 * @param tiers by rising {@link PriceTier#maxInputTokens()}, the last without a limit; never empty
 * @param toolCalls price per call by tool, e.g. {@code web_search}; {@code null} means none
 */
public record Pricing(String currency, List<PriceTier> tiers, Map<String, BigDecimal> toolCalls) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public Pricing {
        requireNonNull(currency, "currency");
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("a price needs at least one tier");
        }
        for (int i = 0; i < tiers.size() - 1; i++) {
            Long limit = tiers.get(i).maxInputTokens();
            Long next = tiers.get(i + 1).maxInputTokens();
            if (limit == null || next != null && next <= limit) {
                throw new IllegalArgumentException("price tiers must rise by maxInputTokens, the last without one");
            }
        }
        toolCalls = toolCalls == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(toolCalls));
    }

    /**
     * @param inputTokens a request's input tokens
     * @return the tier that prices it: the first whose limit it does not pass, else the last
     */
    public PriceTier tierFor(long inputTokens) {
        for (PriceTier t : tiers) {
            if (t.maxInputTokens() == null || inputTokens <= t.maxInputTokens()) {
                return t;
            }
        }
        return tiers.get(tiers.size() - 1);
    }

    /**
     * Prices one model call. The tier is the one of the call's own input length; a response that made several calls
     * (a tool loop) is the sum of their costs.
     *
     * @param usage what the call used
     * @return what it cost
     */
    public Cost cost(Usage usage) {
        PriceTier tier = tierFor(usage.inputTokens());
        long cached = Math.min(usage.cachedTokens(), usage.inputTokens());
        BigDecimal input = perMillion(usage.inputTokens() - cached, tier.input());
        BigDecimal cachedInput = perMillion(cached, tier.cachedInputOrInput());
        BigDecimal output = perMillion(usage.outputTokens(),
                usage.reasoningTokens() > 0 ? tier.thinkingOutputOrOutput() : tier.output());
        BigDecimal tools = BigDecimal.ZERO;
        for (Map.Entry<String, Long> e : usage.toolCalls().entrySet()) {
            BigDecimal price = toolCalls.get(e.getKey());
            if (price != null) {
                tools = tools.add(price.multiply(BigDecimal.valueOf(e.getValue())));
            }
        }
        return Cost.of(currency, input, cachedInput, output, tools);
    }

    private static BigDecimal perMillion(long tokens, BigDecimal price) {
        return tokens == 0
                ? BigDecimal.ZERO
                : price.multiply(BigDecimal.valueOf(tokens)).divide(MILLION, MathContext.DECIMAL64);
    }
}
