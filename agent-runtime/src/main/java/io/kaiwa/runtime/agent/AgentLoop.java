package io.kaiwa.runtime.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.ProviderResponse;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.catalogue.Cost;
import io.kaiwa.core.context.LastTurnsPolicy;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.event.ToolCallPhase;
import io.kaiwa.core.exception.ContextWindowExceededException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.tools.BuiltInTool;
import io.kaiwa.runtime.tools.ToolRun;
import io.kaiwa.runtime.tools.ToolRunner;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * One response's tool loop: calls the model, runs the built-in tools it called that Kaiwa runs itself, feeds their
 * results back, and calls it again until it answers, calls one of the client's own functions, or the budget is
 * spent. The response's output is what a provider hosting the tools would have answered: the tools' own items
 * ({@code web_search_call}, ...) where the model called their functions, then the answer. The model's view of the
 * loop (its function calls and their outputs) is kept as the response's transcript, so that a later response
 * continues from what the model actually saw.
 *
 * <p>
 * Without tools to run here the loop is a single model call, with nothing added. Once a tool has run, the
 * response is never lost to a later failure: a provider error ends it as a failed turn that keeps the tools' items.
 * Steps run one after another, each continuing on the Vert.x context the loop was subscribed on (a tool may finish
 * on a worker thread). Not thread-safe: one per response.
 */
public final class AgentLoop {
    private final ToolPlan plan;
    private final ModelAdapter adapter;
    private final ToolLimits limits;
    private final List<Item> input;
    private final boolean truncate;
    private final List<Item> output = new ArrayList<>();
    private final List<Item> transcript = new ArrayList<>();
    private final ToolBudget budget;
    private final Function<Usage, Cost> prices;
    private Usage usage = Usage.ZERO;
    private Cost cost;
    private int steps;
    private boolean ranTools;
    private Instant startedAt;
    private Executor back = Runnable::run;
    /** The oldest history turns left out after the provider found the context too long ({@code truncation}). */
    private int dropped;

    /**
     * @param plan the tools Kaiwa runs and the options of each model call
     * @param adapter the provider's adapter
     * @param tools the tools
     * @param limits the per-call timeout and per-response budget
     * @param input the response's input items
     * @param truncate {@code truncation: auto}: when the provider finds the context too long, leave out the oldest
     *        half of the history and try again, down to none
     * @param prices what one model call's usage costs; answers {@code null} when the model's prices are not known
     */
    public AgentLoop(ToolPlan plan, ModelAdapter adapter, ToolRunner tools, ToolLimits limits,
            List<Item> input, boolean truncate, Function<Usage, Cost> prices) {
        this.plan = plan;
        this.adapter = adapter;
        this.limits = limits;
        this.budget = new ToolBudget(plan, tools, limits);
        this.prices = prices;
        this.input = input;
        this.truncate = truncate;
    }

    /**
     * @param conversation the history the response continues
     * @return the response's turn: its input, the whole loop's output and usage, the last call's status and
     *         provider id; fails only when the first model call fails
     */
    public Uni<Turn> send(Conversation conversation) {
        if (!plan.loops()) {
            return call(plan.first(), conversation, input);
        }
        return Uni.createFrom().deferred(() -> {
            begin();
            return step(conversation, input);
        });
    }

    /**
     * @param conversation the history the response continues
     * @return the loop's events, numbered as the response's output: the tools' items in place of their function
     *         calls, and one {@code Completed} or {@code Failed} at the end for the whole response
     */
    public Multi<StreamEvent> stream(Conversation conversation) {
        if (!plan.loops()) {
            return callStreaming(plan.first(), conversation, input);
        }
        return Multi.createFrom().deferred(() -> {
            begin();
            return streamStep(conversation, input);
        });
    }

    /**
     * @param turn the response's turn, as {@link #send} or {@link #stream} ended it
     * @return what its model calls cost, each priced by its own input length (a price tier is per request), or
     *         {@code null} when the model's prices are not known
     */
    public Cost cost(Turn turn) {
        return ranTools ? cost : prices.apply(turn.usage());
    }

    private void price(Usage callUsage) {
        Cost c = prices.apply(callUsage);
        if (c != null) {
            cost = cost == null ? c : cost.plus(c);
        }
    }

    /** @return what the model saw, when tools ran here: its calls and their outputs; else {@code null} */
    public List<Item> transcript() {
        return ranTools ? transcript : null;
    }

    private void begin() {
        startedAt = Instant.now();
        Context context = Vertx.currentContext();
        if (context != null) {
            back = task -> context.runOnContext(ignored -> task.run());
        }
    }

    private RequestOptions nextOptions() {
        RequestOptions options = steps == 0 ? plan.first() : budget.spent() ? plan.last() : plan.later();
        steps++;
        return options;
    }

    private Uni<Turn> step(Conversation conversation, List<Item> stepInput) {
        return call(nextOptions(), conversation, stepInput).chain(turn -> {
            List<ToolCall> local = localCalls(turn);
            if (local.isEmpty() || turn.status() != TurnStatus.COMPLETED || steps >= limits.maxSteps()) {
                return Uni.createFrom().item(end(turn, false));
            }
            return budget.runAll(local, steps, back).chain(runs -> {
                List<Item> outputs = record(turn, local, runs);
                if (callsClient(turn, local)) {
                    return Uni.createFrom().item(end(turn, true));
                }
                return step(conversation.withTurn(turn), outputs);
            });
        }).onFailure(failure -> ranTools).recoverWithItem(this::failedAfterTools);
    }

    private Multi<StreamEvent> streamStep(Conversation conversation, List<Item> stepInput) {
        int base = output.size();
        Set<Integer> hidden = new HashSet<>();
        return callStreaming(nextOptions(), conversation, stepInput).onItem().transformToMultiAndConcatenate(e -> {
            if (e instanceof StreamEvent.Completed c) {
                Turn turn = c.turn();
                List<ToolCall> local = localCalls(turn);
                if (local.isEmpty() || turn.status() != TurnStatus.COMPLETED || steps >= limits.maxSteps()) {
                    Turn ended = end(turn, false);
                    return Multi.createFrom().iterable(closing(base, local, ended, new StreamEvent.Completed(ended)));
                }
                return toolEvents(base, turn, local, conversation);
            }
            if (e instanceof StreamEvent.Failed f) {
                List<ToolCall> local = localCalls(f.turn());
                Turn ended = end(f.turn(), false);
                return Multi.createFrom().iterable(closing(base, local, ended, new StreamEvent.Failed(ended,
                        f.error())));
            }
            if (e instanceof StreamEvent.UsageReported) {
                return Multi.createFrom().empty();
            }
            BuiltInTool tool = announced(e, hidden);
            if (tool != null) {
                int index = base + StepEvents.indexOf(e);
                hidden.add(StepEvents.indexOf(e));
                StreamEvent added = new StreamEvent.ItemAdded(index, tool.started());
                return tool.reportsProgress()
                        ? Multi.createFrom().items(added, new StreamEvent.ToolCallProgress(null, index, tool.wire(),
                                ToolCallPhase.IN_PROGRESS, null))
                        : Multi.createFrom().item(added);
            }
            // The model's side of a call Kaiwa runs (its arguments streaming in) stays out of the response.
            if (hidden.contains(StepEvents.indexOf(e))) {
                return Multi.createFrom().empty();
            }
            return Multi.createFrom().item(StepEvents.shift(e, base));
        }).onFailure(failure -> ranTools).recoverWithItem(failure -> new StreamEvent.Failed(failedAfterTools(failure),
                failure instanceof KaiwaException k ? k : new KaiwaException(failure.getMessage(), failure)));
    }

    /** One model call, shortened and sent again while the provider finds the context too long (when allowed). */
    private Uni<Turn> call(RequestOptions options, Conversation conversation, List<Item> in) {
        int total = conversation.turns().size();
        Uni<Turn> sent = adapter.send(shortened(conversation, total), in, options);
        if (!truncate || dropped >= total) {
            return sent;
        }
        return sent.onFailure(ContextWindowExceededException.class).recoverWithUni(tooLong -> {
            dropMore(total);
            return call(options, conversation, in);
        });
    }

    private Multi<StreamEvent> callStreaming(RequestOptions options, Conversation conversation, List<Item> in) {
        int total = conversation.turns().size();
        Multi<StreamEvent> sent = adapter.stream(shortened(conversation, total), in, options);
        if (!truncate || dropped >= total) {
            return sent;
        }
        boolean[] started = {false};
        // Only a refusal before the first event is sent again: events already passed on cannot be taken back.
        return sent.onItem().invoke(e -> started[0] = true).onFailure(failure -> !started[0]
                && failure instanceof ContextWindowExceededException).recoverWithMulti(tooLong -> {
                    dropMore(total);
                    return callStreaming(options, conversation, in);
                });
    }

    private Conversation shortened(Conversation conversation, int total) {
        return dropped == 0 ? conversation : conversation.withContextPolicy(new LastTurnsPolicy(total - dropped));
    }

    private void dropMore(int total) {
        dropped = Math.min(total, dropped + Math.max(1, (total - dropped + 1) / 2));
    }

    /**
     * @return the tool whose function call {@code e} announces, when Kaiwa runs it: its {@code ItemAdded}, or its
     *         {@code ItemDone} when the adapter never announced it
     */
    private BuiltInTool announced(StreamEvent e, Set<Integer> hidden) {
        Item item = e instanceof StreamEvent.ItemAdded a
                ? a.item()
                : e instanceof StreamEvent.ItemDone d && !hidden.contains(d.outputIndex()) ? d.item() : null;
        return item instanceof FunctionCallItem f ? local(f.name()) : null;
    }

    /** @return the last events of a step that ran no tools: its unrun calls closed, then {@code last} */
    private static List<StreamEvent> closing(int base, List<ToolCall> unrun, Turn ended, StreamEvent last) {
        List<StreamEvent> out = new ArrayList<>(unrun.size() + 1);
        for (ToolCall call : unrun) {
            int index = base + call.index();
            out.add(new StreamEvent.ItemDone(index, ended.output().get(index)));
        }
        out.add(last);
        return out;
    }

    private Multi<StreamEvent> toolEvents(int base, Turn turn, List<ToolCall> local, Conversation conversation) {
        List<StreamEvent> before = new ArrayList<>();
        for (ToolCall call : local) {
            if (call.tool().runningPhase() != null) {
                before.add(new StreamEvent.ToolCallProgress(null, base + call.index(), call.tool().wire(),
                        call.tool().runningPhase(), null));
            }
        }
        Multi<StreamEvent> done = budget.runAll(local, steps, back).onItem().transformToMulti(runs -> {
            List<Item> outputs = record(turn, local, runs);
            List<StreamEvent> after = new ArrayList<>();
            for (int i = 0; i < local.size(); i++) {
                int index = base + local.get(i).index();
                if (local.get(i).tool().reportsProgress()) {
                    after.add(new StreamEvent.ToolCallProgress(null, index, local.get(i).tool().wire(),
                            ToolCallPhase.COMPLETED, null));
                }
                after.add(new StreamEvent.ItemDone(index, runs.get(i).item()));
            }
            Multi<StreamEvent> next = callsClient(turn, local)
                    ? Multi.createFrom().item(new StreamEvent.Completed(end(turn, true)))
                    : Multi.createFrom().deferred(() -> streamStep(conversation.withTurn(turn), outputs));
            return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(after), next);
        });
        return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(before), done);
    }

    private BuiltInTool local(String name) {
        BuiltInTool tool = BuiltInTool.byName(name);
        return tool != null && plan.local().contains(tool) ? tool : null;
    }

    private List<ToolCall> localCalls(Turn turn) {
        List<ToolCall> out = new ArrayList<>(2);
        for (int i = 0; i < turn.output().size(); i++) {
            if (turn.output().get(i) instanceof FunctionCallItem f && local(f.name()) != null) {
                out.add(new ToolCall(i, local(f.name()), f));
            }
        }
        return out;
    }

    /**
     * Adds a model call that called tools to the response: its items with the tools' records in place of their
     * function calls, and to the transcript its items and the tools' outputs.
     *
     * @return the tools' outputs, the next model call's input
     */
    private List<Item> record(Turn turn, List<ToolCall> local, List<ToolRun> runs) {
        ranTools = true;
        usage = usage.plus(turn.usage());
        price(turn.usage());
        // A provider hosting some tools counts their calls; they count against the response's limit too.
        budget.countHosted(turn.usage().totalToolCalls());
        List<Item> shown = new ArrayList<>(turn.output());
        List<Item> outputs = new ArrayList<>(runs.size());
        for (int i = 0; i < local.size(); i++) {
            shown.set(local.get(i).index(), runs.get(i).item());
            outputs.add(runs.get(i).output());
        }
        output.addAll(shown);
        transcript.addAll(turn.output());
        transcript.addAll(outputs);
        return outputs;
    }

    /** @return whether the model also called the client's own functions, which return to the client */
    private static boolean callsClient(Turn turn, List<ToolCall> local) {
        return turn.output().stream().filter(i -> i instanceof FunctionCallItem).count() > local.size();
    }

    /** @return the response's turn when a model call failed after tools had run: failed, keeping their items */
    private Turn failedAfterTools(Throwable failure) {
        Errors.logOwn(failure);
        Turn failed = Turn.builder().status(TurnStatus.FAILED).error(Errors.recorded(failure)).build();
        return end(failed, false);
    }

    /**
     * @param last the loop's last model call
     * @param recorded whether {@link #record} has added it (it called the tools and the client's functions) or not
     *        (it answered, failed, or called tools it may no longer run)
     * @return the response's turn
     */
    private Turn end(Turn last, boolean recorded) {
        List<ToolCall> unrun = recorded ? List.of() : localCalls(last);
        if (!ranTools && unrun.isEmpty()) {
            return last;
        }
        TurnStatus status = last.status();
        TurnError error = last.error();
        ProviderResponse chainFrom = last.providerResponse();
        if (recorded || !unrun.isEmpty()) {
            // Tools' outputs come after the provider's last stored response, or the model's calls were never
            // answered: a later request chaining from that response would miss them, so it sends the rebuilt
            // history instead.
            chainFrom = null;
        }
        if (!recorded) {
            usage = usage.plus(last.usage());
            price(last.usage());
            List<Item> shown = new ArrayList<>(last.output());
            List<Item> seen = new ArrayList<>(last.output());
            for (int i = unrun.size() - 1; i >= 0; i--) {
                ToolCall call = unrun.get(i);
                shown.set(call.index(), ToolRun.refused(call.tool(), call.item(), "not run: the model's turn "
                        + "ended before the call could run.").item());
                seen.remove(call.index());
            }
            output.addAll(shown);
            transcript.addAll(seen);
            ranTools = true;
            if (!unrun.isEmpty() && status == TurnStatus.COMPLETED) {
                status = TurnStatus.INCOMPLETE;
                error = new TurnError("max_steps", "The model was still calling tools after " + steps
                        + " model calls (kaiwa.tools.max-steps).");
            }
        }
        Map<String, Long> counts = new TreeMap<>(usage.toolCalls());
        budget.counts().forEach((k, v) -> counts.merge(k, v, Long::sum));
        Usage total = new Usage(usage.inputTokens(), usage.outputTokens(), usage.totalTokens(), usage.cachedTokens(),
                usage.reasoningTokens(), counts);
        return new Turn(last.id(), input, List.copyOf(output), total, chainFrom, status, error, startedAt,
                last.completedAt(), last.chaining());
    }
}
