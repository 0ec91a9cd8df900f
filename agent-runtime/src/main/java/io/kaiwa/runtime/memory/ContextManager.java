package io.kaiwa.runtime.memory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.catalogue.Cost;
import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.context.ContextWindow;
import io.kaiwa.core.context.ModelSummarizer;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.context.Recall;
import io.kaiwa.core.context.RollingSummary;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.spi.TokenEstimator;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Models;
import io.kaiwa.runtime.provider.Provider;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Decides what context a request is sent, for every provider style: the history from its latest compaction on
 * (compaction items opened), at most its last N turns when asked, and, past the threshold, a new compaction: the
 * older turns folded into a summary by a separate model call, the recent ones kept word for word. The compaction is
 * returned sealed, to be stored with the response and shown as its first output item; later requests reuse it. When
 * the summary cannot be made, the request goes with the most recent turns that fit, and says so.
 */
@ApplicationScoped
public class ContextManager {
    private static final Logger LOG = Logger.getLogger(ContextManager.class);
    private static final TokenEstimator ESTIMATOR = TokenEstimator.defaultEstimator();
    /** A compaction asked for of a model whose window is not known keeps this threshold's share word for word. */
    private static final int DEFAULT_THRESHOLD = 8_000;

    @Inject
    CompactionSeal seal;

    @Inject
    Models models;

    @Inject
    KaiwaConfig config;

    @Inject
    TurnRecall turnRecall;

    /**
     * What a request is sent, and what its response keeps of it.
     *
     * @param conversation the history to send, from its latest compaction on (a new one appended when made)
     * @param input the request's input, its compaction items opened
     * @param compaction the compaction made for this request, sealed, for the response's output; or {@code null}
     * @param report what was done, for the response's {@code x_context}; or {@code null} when nothing was
     * @param usage what the summarising call used
     * @param cost what it cost, or {@code null} when not known
     */
    public record Managed(Conversation conversation, List<Item> input, CompactionItem compaction, ObjectNode report,
            Usage usage, Cost cost) {
        /**
         * @param conversation the history to send as it is
         * @param input the input, as it is
         * @return them, with nothing done
         */
        public static Managed asIs(Conversation conversation, List<Item> input) {
            return new Managed(conversation, input, null, null, Usage.ZERO, null);
        }
    }

    /**
     * @param tenant whose conversation it is
     * @param model the model asked
     * @param provider the provider that serves it
     * @param adapter the provider's adapter, for the summarising call
     * @param asked what the request asked ({@code context_management})
     * @param conversation the history as stored, oldest first
     * @param input the request's input
     * @return what to send; fails with a 400 naming {@code input[i].encrypted_content} for a compaction item that is
     *         not this tenant's or was changed
     */
    public Uni<Managed> manage(String tenant, String model, Provider provider, ModelAdapter adapter,
            ContextManagement asked, Conversation conversation, List<Item> input) {
        List<Turn> stored = conversation.turns();
        ContextManagement.Recall recall = asked.given() ? asked.recall() : defaultRecall();
        Uni<Managed> managed = compacted(tenant, model, provider, adapter, asked, conversation, input);
        if (recall == null || stored.isEmpty()) {
            return managed;
        }
        // A summary whose call was retried ends on another thread; recall reads the database from the request's.
        Context caller = Vertx.currentContext();
        return (caller == null ? managed : managed.emitOn(task -> caller.runOnContext(ignored -> task.run())))
                .chain(m -> recalled(tenant, recall, stored, provider.api() == KaiwaConfig.Api.RESPONSES, m));
    }

    private Uni<Managed> compacted(String tenant, String model, Provider provider, ModelAdapter adapter,
            ContextManagement asked, Conversation conversation, List<Item> input) {
        return Uni.createFrom().deferred(() -> {
            List<Item> opened = openInput(tenant, input);
            Conversation history = openHistory(tenant, conversation);
            ContextManagement.LastTurns last = asked.given() ? asked.lastTurns() : defaultLastTurns(model);
            if (last != null) {
                history = history.withContextPolicy(ContextPolicy.lastTurns(last.turns(), last.block()));
            }
            Integer threshold = asked.given()
                    ? asked.compactThreshold()
                    : config.context().compaction() ? models.compactThreshold(model) : null;
            if (threshold == null || history.turns().isEmpty()) {
                return Uni.createFrom().item(Managed.asIs(history, opened));
            }
            String summarizerModel = provider.summarizerModel() != null ? provider.summarizerModel() : model;
            var memory = new RollingSummary(summarizer(adapter, summarizerModel, threshold), ESTIMATOR, threshold);
            Conversation before = history;
            return memory.compact(ContextWindow.select(history, opened)).map(c -> {
                if (c == null) {
                    return Managed.asIs(before, opened);
                }
                var kept = new ArrayList<Item>(c.item().kept());
                kept.addAll(opened);
                CompactionItem sealed = sealed(tenant, c.item().summary(), kept);
                ObjectNode report = KaiwaJson.mapper().createObjectNode();
                report.putObject("compaction").put("summarized_turns", c.turnsSummarized())
                        .put("kept_turns", c.turnsKept()).put("tokens_before", c.tokensBefore())
                        .put("tokens_after", c.tokensAfter()).put("threshold", threshold)
                        .put("summarizer_model", summarizerModel);
                return new Managed(before.withTurn(RollingSummary.compactionTurn(c.item(), Usage.ZERO)), opened,
                        sealed, report, c.usage(), models.info(summarizerModel).cost(c.usage()));
            }).onFailure().recoverWithItem(failure -> {
                // The conversation is never lost to a summary that could not be made: the request goes with
                // the most recent turns that fit, and the response says so.
                LOG.warnf("could not compact a conversation for %s (%s): sending its recent turns", model,
                        failure.toString());
                ObjectNode report = KaiwaJson.mapper().createObjectNode();
                report.putObject("compaction").put("failed", Errors.message(failure))
                        .put("fallback", "recent_turns").put("threshold", threshold);
                Conversation recent = before.withContextPolicy(before.contextPolicy()
                        .andThen(ContextPolicy.tokenBudget(threshold)));
                return new Managed(recent, opened, null, report, Usage.ZERO, null);
            });
        });
    }

    private ContextManagement.Recall defaultRecall() {
        KaiwaConfig.Recall r = config.context().recall();
        return r.enabled() ? new ContextManagement.Recall(null, null) : null;
    }

    /**
     * Adds to the request the earlier turns most like its input among those it does not carry. A failure (the
     * embedding model cannot be asked) leaves the request as it was and says so.
     */
    private Uni<Managed> recalled(String tenant, ContextManagement.Recall asked, List<Turn> stored,
            boolean keepsChain, Managed m) {
        KaiwaConfig.Recall settings = config.context().recall();
        int topK = asked.topK() != null ? asked.topK() : settings.topK();
        double threshold = asked.threshold() != null ? asked.threshold() : settings.threshold();
        ContextWindow window = ContextWindow.select(m.conversation(), m.input());
        var sent = new HashSet<String>();
        window.history().forEach(t -> {
            if (t.id() != null) {
                sent.add(t.id());
            }
        });
        if (!before(stored) && sentAll(stored, sent)) {
            // The request carries the whole chain: nothing to recall, nothing to embed.
            return Uni.createFrom().item(m);
        }
        return Uni.createFrom().deferred(() -> turnRecall.find(tenant, stored, sent,
                sentText(window.items(ReasoningReplay.OMIT)), m.input(), topK, threshold)).map(found -> {
                    if (found == null) {
                        return m;
                    }
                    ObjectNode report = m.report() != null ? m.report() : KaiwaJson.mapper().createObjectNode();
                    report.set("recall", found.report());
                    if (found.turns().isEmpty()) {
                        return new Managed(m.conversation(), m.input(), m.compaction(), report, m.usage(), m.cost());
                    }
                    if (keepsChain) {
                        // A Responses provider keeps every input in its chain, but not the instructions: the recalled
                        // turns go with those, so they are not stored on its side turn after turn.
                        String block = Recall.block(found.turns(), settings.maxChars());
                        String instructions = m.conversation().instructions();
                        return new Managed(m.conversation().withInstructions(instructions == null
                                ? block
                                : instructions + "\n\n" + block), m.input(), m.compaction(), report, m.usage(),
                                m.cost());
                    }
                    return new Managed(m.conversation(),
                            Recall.withRecalled(m.input(), found.turns(), settings.maxChars()), m.compaction(),
                            report, m.usage(), m.cost());
                }).onFailure().recoverWithItem(failure -> {
                    // Recall only adds to a request: without it, the request goes as it would have.
                    LOG.warnf("could not recall earlier turns (%s): sending without them", failure.toString());
                    ObjectNode report = m.report() != null ? m.report() : KaiwaJson.mapper().createObjectNode();
                    report.putObject("recall").put("failed", Errors.message(failure)).put("fallback", "recent_turns");
                    return new Managed(m.conversation(), m.input(), m.compaction(), report, m.usage(), m.cost());
                });
    }

    /** @return whether the chain goes back before these turns: they start at a compaction, which stands for more */
    private static boolean before(List<Turn> stored) {
        if (stored.isEmpty()) {
            return false;
        }
        Turn first = stored.get(0);
        for (List<Item> items : List.of(first.input(), first.output())) {
            for (Item item : items) {
                if (item instanceof CompactionItem) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean sentAll(List<Turn> stored, Set<String> sent) {
        for (Turn t : stored) {
            if ((t.status() == TurnStatus.COMPLETED || t.status() == TurnStatus.INCOMPLETE) && !sent.contains(t.id())) {
                return false;
            }
        }
        return true;
    }

    /** The texts of the user's messages a request carries, those a compaction keeps word for word included. */
    private static Set<String> sentText(List<Item> items) {
        var texts = new HashSet<String>();
        addUserTexts(items, texts);
        return texts;
    }

    private static void addUserTexts(List<Item> items, Set<String> texts) {
        for (Item item : items) {
            if (item instanceof MessageItem msg && msg.role() == Role.USER) {
                texts.add(msg.text().strip());
            } else if (item instanceof CompactionItem c) {
                addUserTexts(c.kept(), texts);
            }
        }
    }

    private ContextManagement.LastTurns defaultLastTurns(String model) {
        KaiwaConfig.Model own = config.models().get(model);
        if (own == null || own.lastTurns().isEmpty()) {
            return null;
        }
        int turns = own.lastTurns().get();
        return own.lastTurnsBlock().map(b -> new ContextManagement.LastTurns(turns, b))
                .orElseGet(() -> ContextManagement.LastTurns.of(turns));
    }

    /**
     * Compacts a conversation now, whatever its size ({@code POST /v1/responses/compact}): the history and the input
     * folded into a summary but for the most recent turns, kept word for word.
     *
     * @param tenant whose conversation it is
     * @param model the model the conversation is for
     * @param provider the provider that serves it
     * @param adapter the provider's adapter, for the summarising call
     * @param conversation the history as stored
     * @param input items to compact after the history (a stateless client's whole conversation, say)
     * @return the compaction, sealed, with what it used; {@code null} when there is nothing to compact
     */
    public Uni<Managed> compactNow(String tenant, String model, Provider provider, ModelAdapter adapter,
            Conversation conversation, List<Item> input) {
        return Uni.createFrom().deferred(() -> {
            List<Item> opened = openInput(tenant, input);
            Conversation history = opened.isEmpty()
                    ? openHistory(tenant, conversation)
                    : openHistory(tenant, conversation).withTurn(Turn.completed(opened, List.of()));
            Integer threshold = models.compactThreshold(model);
            String summarizerModel = provider.summarizerModel() != null ? provider.summarizerModel() : model;
            var memory = new RollingSummary(
                    summarizer(adapter, summarizerModel, threshold == null ? DEFAULT_THRESHOLD : threshold),
                    ESTIMATOR, threshold == null ? DEFAULT_THRESHOLD : threshold);
            return memory.compact(ContextWindow.select(history, List.of()), true).map(c -> c == null
                    ? null
                    : new Managed(history, List.of(), sealed(tenant, c.item().summary(), c.item().kept()), null,
                            c.usage(), models.info(summarizerModel).cost(c.usage())));
        });
    }

    private CompactionItem sealed(String tenant, String summary, List<Item> kept) {
        var whole = new CompactionItem(Ids.next("cmp"), summary, kept, null, null);
        return new CompactionItem(whole.id(), null, List.of(), seal.seal(tenant, whole), null);
    }

    private static ModelSummarizer summarizer(ModelAdapter adapter, String model, int threshold) {
        return new ModelSummarizer(adapter, model, RequestOptions.builder().store(false)
                .maxOutputTokens(Math.max(256, Math.min(4_096, threshold / 4))).build());
    }

    /**
     * @param tenant whose request it is
     * @param input a request's input
     * @return the input with its compaction items opened
     * @throws InvalidRequestException naming {@code input[i].encrypted_content} for one that is not this tenant's or
     *         was changed
     */
    public List<Item> openInput(String tenant, List<Item> input) {
        List<Item> out = null;
        for (int i = 0; i < input.size(); i++) {
            if (input.get(i) instanceof CompactionItem c && !c.readable()) {
                try {
                    if (out == null) {
                        out = new ArrayList<>(input);
                    }
                    out.set(i, seal.open(tenant, c, "input[" + i + "]"));
                } catch (InvalidPayloadException e) {
                    throw Errors.badRequest(e.path(), "Invalid compaction item: " + e.getMessage());
                }
            }
        }
        return out == null ? input : out;
    }

    private Conversation openHistory(String tenant, Conversation conversation) {
        List<Turn> turns = conversation.turns();
        var opened = new ArrayList<Turn>(turns.size());
        boolean changed = false;
        for (Turn t : turns) {
            List<Item> output = t.output();
            List<Item> replaced = null;
            for (int i = 0; i < output.size(); i++) {
                if (output.get(i) instanceof CompactionItem c && !c.readable()) {
                    try {
                        if (replaced == null) {
                            replaced = new ArrayList<>(output);
                        }
                        replaced.set(i, seal.open(tenant, c, ""));
                    } catch (InvalidPayloadException e) {
                        // Sealed with another key (kaiwa.context.key changed): the summary is lost, not the turns
                        // after it.
                        LOG.warnf("a stored compaction cannot be opened (%s); it is left out", e.getMessage());
                    }
                }
            }
            if (replaced != null) {
                changed = true;
                opened.add(new Turn(t.id(), t.input(), replaced, t.usage(), t.providerResponse(), t.status(), t.error(),
                        t.startedAt(), t.completedAt(), t.chaining()));
            } else {
                opened.add(t);
            }
        }
        if (!changed) {
            return conversation;
        }
        var rebuilt = Conversation.builder().id(conversation.id()).instructions(conversation.instructions())
                .model(conversation.model()).metadata(conversation.metadata())
                .contextPolicy(conversation.contextPolicy());
        opened.forEach(rebuilt::addTurn);
        return rebuilt.build();
    }
}
