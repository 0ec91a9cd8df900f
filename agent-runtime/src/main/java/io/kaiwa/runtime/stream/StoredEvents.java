package io.kaiwa.runtime.stream;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.persistence.EventRecord;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Streams a background response from its stored events: those after a given sequence number, then the new ones as
 * the worker (on any instance) stores them, until the final event. A client that lost its stream resumes it here.
 * New events wake the follower ({@link EventSignals}); it reads them when its client asks for more (backpressure),
 * a batch at a time.
 */
@ApplicationScoped
public class StoredEvents {
    private static final Set<String> FINAL = Set.of("response.completed", "response.failed", "response.incomplete",
            "response.cancelled");
    /** What a follower reads once the stream is over: told apart by identity from an empty read. */
    private static final List<String> END = Collections.unmodifiableList(new ArrayList<>());

    @Inject
    ResponseStore store;

    @Inject
    EventSignals signals;

    @Inject
    KaiwaConfig config;

    /**
     * Must be called on the request's Vert.x context: the store's calls run there.
     *
     * @param tenant the caller's tenant
     * @param id a background response of that tenant
     * @param after the last sequence number the client has, or -1 for all
     * @return SSE frames, ending after the final event; at once when the response has ended and the client has
     *         every event already, or when the response is deleted meanwhile
     */
    public Multi<String> follow(String tenant, String id, int after) {
        Context context = Vertx.currentContext();
        return Multi.createFrom().deferred(() -> {
            var follower = new Follower(tenant, id, after, context);
            return Multi.createBy().repeating().uni(follower::next).until(frames -> frames == END)
                    .onItem().<String>disjoint()
                    .onTermination().invoke(follower::close);
        });
    }

    /** One client's place in a stored stream. Its database calls run on the request's context, one at a time. */
    private final class Follower {
        private final String tenant;
        private final String id;
        private final Executor back;
        private final AtomicBoolean signalled = new AtomicBoolean();
        private final AtomicReference<UniEmitter<? super Void>> parked = new AtomicReference<>();
        private final AutoCloseable registration;
        private int last;
        private boolean finished;

        Follower(String tenant, String id, int after, Context context) {
            this.tenant = tenant;
            this.id = id;
            this.last = after;
            this.back = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
            this.registration = signals.onEvents(id, this::wake);
        }

        /**
         * @return the next frames, read on the request's context; none (after a wait for new events) when there were
         *         none yet; {@link #END} once the stream is over
         */
        Uni<List<String>> next() {
            return Uni.createFrom().deferred(this::read).runSubscriptionOn(back);
        }

        private Uni<List<String>> read() {
            if (finished) {
                return Uni.createFrom().item(END);
            }
            // Cleared before reading, so a signal that comes while the read is under way is not lost.
            signalled.set(false);
            return store.events(id, last).chain(events -> {
                if (!events.isEmpty()) {
                    return Uni.createFrom().item(frames(events));
                }
                return store.find(tenant, id).chain(r -> {
                    if (r == null) {
                        return Uni.createFrom().item(END);
                    }
                    if (r.status.isFinal()) {
                        // Its end is stored with its last events, maybe between the two reads above: read them now.
                        return store.events(id, last).map(more -> more.isEmpty() ? END : frames(more));
                    }
                    return woken().replaceWith(List.of());
                });
            });
        }

        private List<String> frames(List<EventRecord> events) {
            var frames = new ArrayList<String>(events.size());
            for (EventRecord e : events) {
                String type = type(e.data);
                frames.add("event: " + type + "\ndata: " + e.data + "\n\n");
                last = e.sequenceNumber;
                if (FINAL.contains(type)) {
                    finished = true;
                    break;
                }
            }
            return frames;
        }

        /** Resolves at the next signal, or after the follow check's interval. */
        private Uni<Void> woken() {
            return Uni.createFrom().<Void>emitter(e -> {
                parked.set(e);
                e.onTermination(() -> parked.compareAndSet(e, null));
                if (signalled.get() && parked.compareAndSet(e, null)) {
                    e.complete(null);
                }
            }).ifNoItem().after(config.tasks().followCheck()).recoverWithItem((Void) null);
        }

        private void wake() {
            signalled.set(true);
            UniEmitter<? super Void> e = parked.getAndSet(null);
            if (e != null) {
                e.complete(null);
            }
        }

        void close() {
            try {
                registration.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Events are written with their type first: {@code {"type":"...",...}}. */
    static String type(String data) {
        int start = data.indexOf("\"type\":\"") + 8;
        return data.substring(start, data.indexOf('"', start));
    }
}
