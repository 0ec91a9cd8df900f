package io.kaiwa.runtime.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.catalogue.Cost;
import io.kaiwa.core.catalogue.ModelInfo;
import io.kaiwa.core.context.ContextWindow;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.spi.TokenEstimator;
import io.kaiwa.runtime.agent.AgentLoop;
import io.kaiwa.runtime.agent.StepEvents;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.memory.ContextManager;
import io.kaiwa.runtime.openai.OpenAiEvents;
import io.kaiwa.runtime.openai.OutputItems;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;
import io.kaiwa.runtime.provider.Provider;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * One response, from its prepared request to its end: the agent loop that answers it, the OpenAI events it streams,
 * and the one place where it ends (its record finished, the response counted in the metrics, its last event made).
 * Where the end goes is the caller's: a synchronous answer, an SSE stream or a background task's stored events are
 * three sinks of the same run. Not thread-safe: one per response, used on one context.
 */
public final class ResponseRun {
    /** How the client asked for the response; a tag of the metrics. */
    public enum Mode {
        /** Answered whole. */
        SYNC("sync"),
        /** Answered as an SSE stream. */
        STREAM("stream"),
        /** Run as a background task. */
        BACKGROUND("background");

        private final String tag;

        Mode(String tag) {
            this.tag = tag;
        }
    }

    private static final TokenEstimator ESTIMATOR = TokenEstimator.defaultEstimator();

    private final CreateRequest request;
    private final Provider provider;
    private final ModelInfo model;
    private final AgentLoop loop;
    private final Conversation conversation;
    private final ResponseRecord record;
    private final Mode mode;
    private final Metrics metrics;
    private final OpenAiEvents events;
    private final Records.ChainTotal chainCostBefore;
    private final ContextManager.Managed context;
    /** Where the model's output items begin in the response's: after the compaction item, when one was made. */
    private final int offset;
    private boolean ended;
    private boolean counted;
    private boolean charged;
    /** Output tokens streamed so far, estimated: what an abandoned response is charged for its output. */
    private long outputSeen;

    ResponseRun(CreateRequest request, Provider provider, ModelInfo model, AgentLoop loop, ResponseRecord record,
            Mode mode, Metrics metrics, Records.ChainTotal chainCostBefore, ContextManager.Managed context) {
        this.request = request;
        this.provider = provider;
        this.model = model;
        this.chainCostBefore = chainCostBefore;
        this.context = context;
        this.conversation = context.conversation();
        this.offset = context.compaction() == null ? 0 : 1;
        if (context.report() != null) {
            record.context = context.report().toString();
        }
        this.loop = loop;
        this.record = record;
        this.mode = mode;
        this.metrics = metrics;
        this.events = new OpenAiEvents(record, request.store());
        events.startAt(record.nextSequence);
    }

    /** @return the checked request */
    public CreateRequest request() {
        return request;
    }

    /** @return the response's record, finished once the run has ended */
    public ResponseRecord record() {
        return record;
    }

    /** @return the run's OpenAI events, numbered from the record's next sequence number */
    public OpenAiEvents events() {
        return events;
    }

    /** @return whether the run has ended */
    public boolean ended() {
        return ended;
    }

    /**
     * @return the events that open the response's output before the model's: the compaction item, when this
     *         request made one; else none
     */
    public List<OpenAiEvents.Event> opening() {
        if (context.compaction() == null) {
            return List.of();
        }
        var out = new ArrayList<OpenAiEvents.Event>(2);
        events.on(new StreamEvent.ItemAdded(0, context.compaction()), out);
        events.on(new StreamEvent.ItemDone(0, context.compaction()), out);
        return out;
    }

    /** @return the whole answer; lazy */
    public Uni<Turn> send() {
        return loop.send(conversation);
    }

    /** @return the answer's events; lazy */
    public Multi<StreamEvent> stream() {
        return loop.stream(conversation);
    }

    /**
     * Translates one event of {@link #stream()}. {@code Completed} and {@code Failed} end the run: the record is
     * finished, the response counted, and the last event ({@code response.completed}, ...) added.
     *
     * @param e the event
     * @param out receives the OpenAI events it means, in order
     * @return the finished record when {@code e} ended the run, else {@code null}
     */
    public ResponseRecord on(StreamEvent e, List<OpenAiEvents.Event> out) {
        if (ended) {
            return null;
        }
        if (e instanceof StreamEvent.Completed c) {
            out.add(events.finished(end(c.turn())));
            return record;
        }
        if (e instanceof StreamEvent.Failed f) {
            out.add(events.finished(end(f.turn())));
            return record;
        }
        if (e instanceof StreamEvent.TextDelta d) {
            outputSeen += ESTIMATOR.estimateText(d.delta());
        } else if (e instanceof StreamEvent.ReasoningDelta d) {
            outputSeen += ESTIMATOR.estimateText(d.delta());
        } else if (e instanceof StreamEvent.RefusalDelta d) {
            outputSeen += ESTIMATOR.estimateText(d.delta());
        }
        events.on(StepEvents.shift(e, offset), out);
        return null;
    }

    /**
     * @return whether the run's cost is still to be charged to its tenant's budget; {@code true} once only, so that a
     *         run is charged once however it ends
     */
    public boolean charge() {
        if (charged) {
            return false;
        }
        charged = true;
        return true;
    }

    /**
     * What a run that did not finish cost, as far as can be told: its first request's input (estimated; the provider
     * bills it once it is sent), the output streamed so far, and the summary made for it.
     *
     * @return the estimate, or {@code null} when the model's prices are not known
     */
    public Cost unfinishedCost() {
        return add(model.cost(unfinishedUsage()), context.cost());
    }

    /** @return the tokens a run that did not finish used, as far as can be told: its input and the output so far */
    public Usage unfinishedUsage() {
        ContextWindow window = ContextWindow.select(conversation, context.input());
        long input = ESTIMATOR.estimateText(window.instructions())
                + ESTIMATOR.estimate(window.items(ReasoningReplay.KEEP));
        return Usage.of(input, outputSeen);
    }

    /**
     * Ends the run with its turn: output, transcript, usage, error and the provider's id recorded; counted.
     *
     * @param turn how the response's turn ended
     * @return the finished record
     */
    public ResponseRecord end(Turn turn) {
        if (ended) {
            return record;
        }
        ended = true;
        count(turn.status().wire(), turn.usage());
        record.status = ResponseStatus.of(turn.status());
        List<Item> output = turn.output();
        if (context.compaction() != null) {
            output = new ArrayList<>(turn.output().size() + 1);
            output.add(context.compaction());
            output.addAll(turn.output());
            record.compacted = true;
        }
        record.output = Records.json(OutputItems.withIds(output, events.itemIds()));
        List<Item> transcript = loop.transcript();
        record.transcript = transcript == null ? null : Records.json(transcript);
        Cost cost = add(loop.cost(turn), context.cost());
        record.usage = Records.json(turn.usage().plus(context.usage()), cost, chainCostBefore);
        if (cost != null) {
            metrics.cost(record.tenant, model.name(), cost);
        }
        record.error = turn.error() == null ? null : Records.json(turn.error());
        record.completedAt = Instant.now();
        if (turn.providerResponse() != null && turn.status() != TurnStatus.FAILED) {
            record.providerKey = turn.providerResponse().provider();
            record.providerResponseId = turn.providerResponse().responseId();
            record.providerExpiresAt = turn.providerResponse().expiresAt();
        }
        return record;
    }

    /**
     * Ends the run failed: also after it ended with its turn, when what failed was keeping that end. Counted once
     * however it ended; a failure of the service itself is logged here.
     *
     * @param failure what went wrong
     * @return the record, failed
     */
    public ResponseRecord fail(Throwable failure) {
        count(ResponseStatus.FAILED.wire(), Usage.ZERO);
        ended = true;
        return failed(record, failure);
    }

    /**
     * Counts the run as failed when its failure is passed on to the client as an HTTP error instead of a response
     * (the provider refused it before anything was sent): nothing is recorded, and the error mapper logs it.
     *
     * @param failure what went wrong
     */
    public void refused(Throwable failure) {
        count(ResponseStatus.FAILED.wire(), Usage.ZERO);
        ended = true;
    }

    /**
     * Ends the run cancelled by its client; not counted.
     *
     * @return the record
     */
    public ResponseRecord cancel() {
        if (!ended) {
            ended = true;
            cancelled(record);
        }
        return record;
    }

    /** @return both costs together; the one known when the other is not, or in another currency */
    private static Cost add(Cost call, Cost summary) {
        if (call == null) {
            return summary;
        }
        return summary == null || !summary.currency().equals(call.currency()) ? call : call.plus(summary);
    }

    private void count(String status, Usage usage) {
        if (!counted) {
            counted = true;
            metrics.finished(provider, mode.tag, status, usage);
        }
    }

    /**
     * @param record a response that could not run (or ran and failed)
     * @param failure why; logged when it is a failure of the service itself
     * @return the record, failed with the error the failure records
     */
    public static ResponseRecord failed(ResponseRecord record, Throwable failure) {
        Errors.logOwn(failure);
        TurnError error = Errors.recorded(failure);
        record.status = ResponseStatus.FAILED;
        record.error = Records.json(error);
        record.completedAt = Instant.now();
        return record;
    }

    /**
     * @param record a response its client cancelled
     * @return the record, cancelled
     */
    public static ResponseRecord cancelled(ResponseRecord record) {
        record.status = ResponseStatus.CANCELLED;
        record.error = null;
        record.completedAt = Instant.now();
        return record;
    }
}
