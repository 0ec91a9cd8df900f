package io.kaiwa.core.context;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.kaiwa.core.Usage;
import io.kaiwa.core.item.Item;
import io.smallrye.mutiny.Uni;

/**
 * Folds the older part of a conversation into a summary: the separate model call of a {@link RollingSummary}.
 * {@link ModelSummarizer} asks a model through any adapter; implement this to summarise another way.
 */
@FunctionalInterface
public interface Summarizer {

    /**
     * @param previous the summary these items follow, or {@code null} for the conversation's first
     * @param items the items to fold into it, oldest first; never empty
     * @return the new summary, covering the previous one and the items; lazy, on any thread. A failure fails it
     *         (the caller decides what to send instead)
     */
    Uni<Summary> summarize(String previous, List<Item> items);

    /**
     * A summary, and what making it used.
     *
     * @param text the summary; never {@code null} or blank
     * @param usage the summarising call's usage, to count with the turn that needed it; never {@code null}
     */
    record Summary(String text, Usage usage) {
        public Summary {
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("a summary needs text");
            }
            requireNonNull(usage, "usage");
        }
    }
}
