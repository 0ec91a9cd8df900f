package io.kaiwa.runtime.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

import io.kaiwa.runtime.tools.ToolRun;
import io.kaiwa.runtime.tools.ToolRunner;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What one response may still spend on the tools Kaiwa runs (calls and time), and the calls it made, by tool. A call
 * over the budget is not run: the model reads why. Not thread-safe: one per response, used on its loop's context.
 */
final class ToolBudget {
    private final ToolPlan plan;
    private final ToolRunner tools;
    private final ToolLimits limits;
    private final Map<String, Long> counts = new TreeMap<>();
    private Duration toolTime = Duration.ZERO;
    private int calls;
    private boolean spent;

    ToolBudget(ToolPlan plan, ToolRunner tools, ToolLimits limits) {
        this.plan = plan;
        this.tools = tools;
        this.limits = limits;
    }

    /** @return whether the next model call must answer without tools */
    boolean spent() {
        return spent;
    }

    /** @param hosted calls of tools the provider ran itself, which count against the response's limit too */
    void countHosted(long hosted) {
        calls += (int) hosted;
    }

    /** @return the calls Kaiwa ran, by tool */
    Map<String, Long> counts() {
        return counts;
    }

    /**
     * Runs a model call's tool calls within the response's limits (a call over them answers why it did not run).
     *
     * @param local the calls, in the model's order
     * @param steps the model calls made so far
     * @param back where to continue once all have finished: the loop's context
     * @return each call's outcome, in order
     */
    Uni<List<ToolRun>> runAll(List<ToolCall> local, int steps, Executor back) {
        Instant began = Instant.now();
        List<Uni<ToolRun>> runs = new ArrayList<>(local.size());
        for (ToolCall call : local) {
            if (calls >= plan.maxCalls()) {
                runs.add(Uni.createFrom().item(ToolRun.refused(call.tool(), call.item(), "not run: this response "
                        + "already made its " + plan.maxCalls() + " tool calls. Answer with what you have.")));
                spent = true;
                continue;
            }
            calls++;
            counts.merge(call.tool().wire(), 1L, Long::sum);
            runs.add(Uni.createFrom().deferred(() -> {
                // Calls run one after another use up the budget in turn: each gets what is left when it starts.
                Duration left = limits.budget().minus(toolTime).minus(Duration.between(began, Instant.now()));
                if (left.isNegative() || left.isZero()) {
                    spent = true;
                    return Uni.createFrom().item(ToolRun.refused(call.tool(), call.item(), "not run: this "
                            + "response's time for tools (" + limits.budget().toSeconds() + " s) is spent. Answer "
                            + "with what you have."));
                }
                return tools.run(call.tool(), call.item(), left.compareTo(limits.timeout()) < 0
                        ? left
                        : limits.timeout());
            }));
        }
        Uni<List<ToolRun>> all;
        if (runs.size() == 1) {
            all = runs.get(0).map(List::of);
        } else if (plan.parallel()) {
            all = Uni.join().all(runs).andFailFast();
        } else {
            all = Multi.createFrom().iterable(runs).onItem().transformToUniAndConcatenate(u -> u).collect()
                    .asList();
        }
        return all.emitOn(back).invoke(done -> {
            toolTime = toolTime.plus(Duration.between(began, Instant.now()));
            if (calls >= plan.maxCalls() || !toolTime.minus(limits.budget()).isNegative()
                    || steps >= limits.maxSteps() - 1) {
                spent = true;
            }
        });
    }

}
