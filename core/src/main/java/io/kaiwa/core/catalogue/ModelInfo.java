package io.kaiwa.core.catalogue;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import io.kaiwa.core.Usage;
import io.kaiwa.core.context.ReasoningReplay;

/**
 * What Kaiwa knows of a model: its limits, what it takes and gives, how it thinks and what of it is sent again,
 * whether it holds a conversation, its context cache, and its prices, with where and when the figures were read.
 * A field not known is {@code null} (or empty).
 *
 * @param name the model's name, as requests give it; never {@code null}
 * @param aliases other names of the same model (snapshots), matched exactly; never {@code null}
 * @param contextWindow input and output tokens together, or {@code null}
 * @param maxInputTokens the most input tokens a request may carry, or {@code null}
 * @param maxOutputTokens the most tokens an answer may have, or {@code null}
 * @param inputModalities what it takes; never {@code null}
 * @param outputModalities what it gives; never {@code null}
 * @param thinking whether it thinks; never {@code null}
 * @param reasoningReplay whether its reasoning is sent back with the history (DashScope asks not to); never
 *        {@code null}
 * @param multiTurn whether it holds a conversation; a single-turn model (Qwen-VL-OCR) is sent only the new input
 * @param contextCache whether the provider caches prompt prefixes for it (billed cheaper when read)
 * @param pricing what its calls cost, or {@code null} when not known
 * @param source where the figures come from (a URL, or {@code configuration}), or {@code null}
 * @param sourceDate when they were read, or {@code null}
 */
public record ModelInfo(String name, List<String> aliases, Integer contextWindow, Integer maxInputTokens,
        Integer maxOutputTokens, Set<Modality> inputModalities, Set<Modality> outputModalities, Thinking thinking,
        ReasoningReplay reasoningReplay, boolean multiTurn, boolean contextCache, Pricing pricing, String source,
        LocalDate sourceDate) {
    public ModelInfo {
        requireNonNull(name, "name");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        inputModalities = inputModalities == null ? Set.of() : Set.copyOf(inputModalities);
        outputModalities = outputModalities == null ? Set.of() : Set.copyOf(outputModalities);
        requireNonNull(thinking, "thinking");
        requireNonNull(reasoningReplay, "reasoningReplay");
        for (Integer limit : new Integer[]{contextWindow, maxInputTokens, maxOutputTokens}) {
            if (limit != null && limit < 1) {
                throw new IllegalArgumentException(name + ": token limits must be positive: " + limit);
            }
        }
    }

    /**
     * A model Kaiwa knows nothing about but its name: multi-turn, text in and out, no limits, no prices.
     *
     * @param name the model's name
     * @return what is assumed of it
     */
    public static ModelInfo unknown(String name) {
        return new ModelInfo(name, List.of(), null, null, null, Set.of(Modality.TEXT), Set.of(Modality.TEXT),
                Thinking.NONE, ReasoningReplay.OMIT, true, false, null, null, null);
    }

    /**
     * @param usage what one call to the model used
     * @return what it cost, or {@code null} when the model's prices are not known
     */
    public Cost cost(Usage usage) {
        return pricing == null ? null : pricing.cost(usage);
    }
}
