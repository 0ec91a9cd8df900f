package io.kaiwa.runtime.stream;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.runtime.persistence.EventRecord;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Streams a background response from its stored events: those after a given sequence number, then the new ones as
 * the worker (on any instance) stores them, until the final event. A client that lost its stream resumes it here.
 */
@ApplicationScoped
public class StoredEvents {
    private static final Set<String> FINAL = Set.of("response.completed", "response.failed", "response.incomplete",
            "response.cancelled");
    private static final long POLL_MILLIS = 50;

    @Inject
    ResponseStore store;

    @Inject
    Vertx vertx;

    /**
     * @param tenant the caller's tenant
     * @param id a background response
     * @param after the last sequence number the client has, or -1 for all
     * @return SSE frames, ending after the final event
     */
    public Multi<String> follow(String tenant, String id, int after) {
        return Multi.createFrom().emitter(emitter -> new Follower(tenant, id, after, emitter, Vertx.currentContext())
                .next());
    }

    /** Must run on the request's context: the store needs it. */
    private final class Follower {
        private final String tenant;
        private final String id;
        private final MultiEmitter<? super String> emitter;
        private final Context context;
        private int last;

        Follower(String tenant, String id, int after, MultiEmitter<? super String> emitter, Context context) {
            this.tenant = tenant;
            this.id = id;
            this.last = after;
            this.emitter = emitter;
            this.context = context;
        }

        void next() {
            if (emitter.isCancelled()) {
                return;
            }
            store.events(id, last).subscribe().with(events -> {
                for (EventRecord e : events) {
                    String type = type(e.data);
                    emitter.emit("event: " + type + "\ndata: " + e.data + "\n\n");
                    last = e.sequenceNumber;
                    if (FINAL.contains(type)) {
                        emitter.complete();
                        return;
                    }
                }
                if (!events.isEmpty()) {
                    later();
                    return;
                }
                // Nothing new: a response that ended without a final event (deleted meanwhile) must not be waited on.
                store.find(tenant, id).subscribe().with(r -> {
                    if (r == null) {
                        emitter.complete();
                    } else {
                        later();
                    }
                }, emitter::fail);
            }, emitter::fail);
        }

        private void later() {
            vertx.setTimer(POLL_MILLIS, t -> context.runOnContext(ignored -> next()));
        }
    }

    /** Events are written with their type first: {@code {"type":"...",...}}. */
    static String type(String data) {
        int start = data.indexOf("\"type\":\"") + 8;
        return data.substring(start, data.indexOf('"', start));
    }
}
