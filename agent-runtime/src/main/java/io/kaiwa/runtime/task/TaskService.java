package io.kaiwa.runtime.task;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.openai.OpenAiEvents;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.service.CreateRequest;
import io.kaiwa.runtime.service.ResponseLifecycle;
import io.kaiwa.runtime.service.ResponseRun;
import io.smallrye.mutiny.Uni;

/**
 * Background responses as their clients see them: queued at once with their first events, run later by
 * {@link BackgroundTasks} on any instance, cancelled on request. Never blocks.
 */
@ApplicationScoped
public class TaskService {
    @Inject
    ResponseLifecycle lifecycle;

    @Inject
    ResponseStore store;

    @Inject
    BackgroundTasks tasks;

    /**
     * Stores a background response as {@code queued}, with its first events, after checking everything a worker
     * would otherwise only find out later (the fields, the provider's key, the previous response), and wakes this
     * instance's workers.
     *
     * @param tenant the caller's tenant
     * @param request the checked request
     * @return the queued response
     */
    public Uni<ResponseRecord> enqueue(String tenant, CreateRequest request) {
        return lifecycle.check(tenant, request).chain(run -> {
            ResponseRecord r = run.record();
            r.status = ResponseStatus.QUEUED;
            OpenAiEvents events = run.events();
            var first = List.of(events.lifecycle("response.created").stored(r.id),
                    events.lifecycle("response.queued").stored(r.id));
            r.nextSequence = events.nextSequence();
            return store.insert(r, first).replaceWith(r);
        }).invoke(tasks::wake);
    }

    /**
     * Cancels a background response: at once when it is still queued, else at its worker's next lease renewal
     * (immediately when the worker runs on this instance).
     *
     * @param r a response of the caller's tenant
     * @return when the cancel is recorded; fails with an {@link io.kaiwa.core.exception.InvalidRequestException}
     *         when the response was not a background one
     */
    public Uni<Void> cancel(ResponseRecord r) {
        if (!r.background) {
            return Uni.createFrom().failure(Errors.badRequest(null, "Only background responses can be cancelled."));
        }
        if (r.status == ResponseStatus.QUEUED) {
            ResponseRun.cancelled(r);
            var events = new OpenAiEvents(r, true);
            events.startAt(r.nextSequence);
            var last = events.finished(r).stored(r.id);
            r.nextSequence = events.nextSequence();
            return store.cancelQueued(r, List.of(last)).chain(cancelled -> cancelled
                    ? Uni.createFrom().voidItem()
                    : requestCancel(r));
        }
        if (r.status != ResponseStatus.IN_PROGRESS) {
            return Uni.createFrom().voidItem();
        }
        return requestCancel(r);
    }

    private Uni<Void> requestCancel(ResponseRecord r) {
        return store.requestCancel(r.tenant, r.id).invoke(ok -> tasks.cancelHere(r.id)).replaceWithVoid();
    }
}
