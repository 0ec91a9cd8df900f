package io.kaiwa.core.context;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.spi.TokenEstimator;
import io.smallrye.mutiny.Uni;

/**
 * Keeps a long conversation inside the model's window: when what a request would send passes a threshold (70 % of
 * the window, say), the older turns are folded into a summary by a separate model call ({@link Summarizer}) and
 * replaced by a {@link CompactionItem}, which also keeps the most recent turns word for word. The compaction is part
 * of the conversation from then on, so it is made once and reused by every later turn until the threshold is passed
 * again; then the previous summary is folded into the next.
 *
 * <p>
 * A step before the request, not a {@link ContextPolicy}: policies stay synchronous and pure, and a summary needs
 * a model call. With the libraries:
 *
 * <pre>{@code
 * var memory = new RollingSummary(new ModelSummarizer(adapter, "qwen-flash", RequestOptions.none()),
 *         TokenEstimator.defaultEstimator(), 90_000);
 * conversation = memory.compact(conversation, input).await().indefinitely();
 * conversation = conversation.withTurn(adapter.send(conversation, input).await().indefinitely());
 * }</pre>
 *
 * Thread-safe.
 */
public final class RollingSummary {
    /** Of the threshold, what the turns kept word for word may fill. */
    public static final double KEPT_SHARE = 0.3;

    private final Summarizer summarizer;
    private final TokenEstimator estimator;
    private final int threshold;

    /**
     * @param summarizer makes the summaries
     * @param estimator counts the tokens a request would send
     * @param thresholdTokens past this many tokens (instructions, history and input), the request is compacted
     */
    public RollingSummary(Summarizer summarizer, TokenEstimator estimator, int thresholdTokens) {
        this.summarizer = requireNonNull(summarizer, "summarizer");
        this.estimator = requireNonNull(estimator, "estimator");
        if (thresholdTokens < 1) {
            throw new IllegalArgumentException("thresholdTokens must be positive: " + thresholdTokens);
        }
        this.threshold = thresholdTokens;
    }

    /** @return the threshold, in tokens */
    public int threshold() {
        return threshold;
    }

    /**
     * @param window what a request would send (its history from the latest compaction on)
     * @return the tokens it would send, as estimated
     */
    public long estimate(ContextWindow window) {
        return estimator.estimateText(window.instructions()) + estimator.estimate(window.items(ReasoningReplay.KEEP));
    }

    /**
     * A compaction: the item that stands for the history, and what it took.
     *
     * @param item the summary and the items kept word for word
     * @param turnsSummarized the turns folded into the summary (a previous compaction counts as one)
     * @param turnsKept the turns kept word for word
     * @param tokensBefore what the request would have sent
     * @param tokensAfter what it sends instead
     * @param usage what the summarising call used
     */
    public record Compaction(CompactionItem item, int turnsSummarized, int turnsKept, long tokensBefore,
            long tokensAfter, Usage usage) {
    }

    /**
     * @param window what a request would send
     * @return the compaction to send instead, or {@code null} when the window is within the threshold or has no
     *         older turn to fold (then it goes as it is); a failure of the summarizer fails it
     */
    public Uni<Compaction> compact(ContextWindow window) {
        return compact(window, false);
    }

    /**
     * @param window what a request would send
     * @param now whether to compact whatever the window's size (a compaction asked for), keeping the same share of
     *        the threshold word for word
     * @return the compaction, or {@code null} when there is no older turn to fold (or, unless {@code now}, the
     *         window is within the threshold)
     */
    public Uni<Compaction> compact(ContextWindow window, boolean now) {
        return Uni.createFrom().deferred(() -> {
            long before = estimate(window);
            if (before <= threshold && !now) {
                return Uni.createFrom().nullItem();
            }
            List<Turn> history = window.history();
            long budget = (long) (threshold * KEPT_SHARE);
            long kept = 0;
            int split = history.size();
            while (split > 0) {
                long turn = estimator.estimate(history.get(split - 1).input())
                        + estimator.estimate(history.get(split - 1).output());
                if (kept + turn > budget) {
                    break;
                }
                kept += turn;
                split--;
            }
            if (split == 0) {
                if (!now || history.isEmpty()) {
                    return Uni.createFrom().nullItem();
                }
                // Asked for a compaction of a conversation that would fit whole among the kept turns: fold it all.
                split = history.size();
            }
            var older = new ArrayList<Item>();
            for (Turn t : history.subList(0, split)) {
                older.addAll(t.input());
                older.addAll(t.output());
            }
            // From the latest compaction on: it stands for what came before it.
            String previous = null;
            for (int i = older.size() - 1; i >= 0; i--) {
                if (older.get(i) instanceof CompactionItem c && c.readable()) {
                    previous = c.summary();
                    var rest = new ArrayList<Item>(c.kept());
                    rest.addAll(older.subList(i + 1, older.size()));
                    older = rest;
                    break;
                }
            }
            var keptItems = new ArrayList<Item>();
            for (Turn t : history.subList(split, history.size())) {
                keptItems.addAll(t.input());
                keptItems.addAll(t.output());
            }
            int summarized = split;
            int keptTurns = history.size() - split;
            if (older.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            return summarizer.summarize(previous, older).map(summary -> {
                CompactionItem item = CompactionItem.of(summary.text(), keptItems);
                long after = estimate(new ContextWindow(window.instructions(), List.of(compactionTurn(item,
                        Usage.ZERO)), window.input()));
                return new Compaction(item, summarized, keptTurns, before, after, summary.usage());
            });
        });
    }

    /**
     * For library users: compacts a conversation ahead of a turn, when it needs it.
     *
     * @param conversation the conversation so far
     * @param input the next turn's input
     * @return the conversation with a turn that holds the compaction appended, or the conversation as it was
     */
    public Uni<Conversation> compact(Conversation conversation, List<Item> input) {
        return compact(ContextWindow.select(conversation, input)).map(c -> c == null
                ? conversation
                : conversation.withTurn(compactionTurn(c.item(), c.usage())));
    }

    /**
     * @param item a compaction
     * @param usage what making it used
     * @return a turn that holds it, for a conversation's history
     */
    public static Turn compactionTurn(CompactionItem item, Usage usage) {
        return new Turn(null, List.of(item), List.of(), usage, null, TurnStatus.COMPLETED, null, null, null, null);
    }
}
