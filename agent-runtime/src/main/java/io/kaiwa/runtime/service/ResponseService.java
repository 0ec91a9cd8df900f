package io.kaiwa.runtime.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.runtime.openai.OpenAiEvents;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.stream.Streams;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Answers {@code POST /v1/responses} while the client waits: whole, or as a stream of OpenAI events. Both are sinks
 * of one {@link ResponseRun}, and store its end (unless {@code store: false}) before the client gets it, so that the
 * response can be retrieved or continued at once, from any instance. Background responses are the task package's.
 * Never blocks.
 */
@ApplicationScoped
public class ResponseService {
    @Inject
    ResponseLifecycle lifecycle;

    @Inject
    ResponseStore store;

    @Inject
    Budgets budgets;

    @Inject
    Conversations conversations;

    @Inject
    RateLimits limits;

    /**
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the finished response; a provider's refusal fails it (and nothing is stored)
     */
    public Uni<ResponseRecord> create(String tenant, CreateRequest request) {
        return lifecycle.prepare(tenant, request, ResponseRun.Mode.SYNC).chain(run -> run.send()
                .onFailure().invoke(run::refused)
                .map(run::end)
                .chain(finished -> keep(run, finished)));
    }

    /**
     * Starts a streamed response. The returned {@code Uni} resolves once the provider has answered (so that a
     * provider's refusal is an HTTP error, not a stream), with the events to send.
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the SSE frames, from {@code response.created} to the final event
     */
    public Uni<Multi<String>> stream(String tenant, CreateRequest request) {
        return events(tenant, request).map(events -> events.map(ResponseService::sse));
    }

    /**
     * Starts a streamed response, as {@link #stream} does, for a transport that sends each event on its own (the
     * WebSocket mode).
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the events, in the groups one provider event gives, from {@code response.created} to the final event
     */
    public Uni<Multi<List<OpenAiEvents.Event>>> events(String tenant, CreateRequest request) {
        return lifecycle.prepare(tenant, request, ResponseRun.Mode.STREAM).chain(run -> Streams
                .firstThenRest(run.stream())
                .onFailure().invoke(run::refused)
                .map(events -> events(run, events)));
    }

    private Multi<List<OpenAiEvents.Event>> events(ResponseRun run, Multi<StreamEvent> events) {
        OpenAiEvents openAi = run.events();
        var head = new ArrayList<OpenAiEvents.Event>(4);
        head.add(openAi.lifecycle("response.created"));
        head.add(openAi.lifecycle("response.in_progress"));
        head.addAll(run.opening());
        Multi<List<OpenAiEvents.Event>> body = events.onCancellation().call(() -> abandoned(run)).onItem()
                .transformToUniAndConcatenate(e -> {
                    var out = new ArrayList<OpenAiEvents.Event>(3);
                    ResponseRecord ended = run.on(e, out);
                    // The last event goes out once the response is kept: a client may continue it as soon as it has it.
                    return ended == null
                            ? Uni.createFrom().item((List<OpenAiEvents.Event>) out)
                            : keep(run, ended).replaceWith((List<OpenAiEvents.Event>) out);
                }).onFailure().recoverWithMulti(failure -> {
                    ResponseRecord failed = run.fail(failure);
                    List<OpenAiEvents.Event> last = List.of(openAi.finished(failed));
                    return keep(run, failed).replaceWith(last).toMulti();
                });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(head), body);
    }

    private Uni<ResponseRecord> keep(ResponseRun run, ResponseRecord finished) {
        limits.used(finished.tenant, finished.usage);
        Uni<Void> charged = run.charge() ? budgets.charge(finished) : Uni.createFrom().voidItem();
        Uni<Void> appended = conversations.append(finished, run.request().conversation());
        if (!run.request().store()) {
            return Uni.combine().all().unis(charged, appended).discardItems().replaceWith(finished);
        }
        return Uni.combine().all().unis(charged, appended, store.insertSoon(finished)).discardItems()
                .replaceWith(finished);
    }

    /** A client that goes away mid-stream still pays for what the provider was sent and had streamed. */
    private Uni<Void> abandoned(ResponseRun run) {
        if (!run.charge()) {
            return Uni.createFrom().voidItem();
        }
        if (run.ended()) {
            return budgets.charge(run.record());
        }
        limits.used(run.record().tenant, run.unfinishedUsage());
        return budgets.charge(run.record().tenant, run.unfinishedCost());
    }

    private static String sse(List<OpenAiEvents.Event> events) {
        if (events.size() == 1) {
            return events.get(0).sse();
        }
        var sb = new StringBuilder();
        for (OpenAiEvents.Event e : events) {
            sb.append(e.sse());
        }
        return sb.toString();
    }
}
