package io.kaiwa.runtime.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.openai.OpenAiEvents;
import io.kaiwa.runtime.persistence.EventRecord;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStatus;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.persistence.SafeContext;
import io.kaiwa.runtime.service.Budgets;
import io.kaiwa.runtime.service.Conversations;
import io.kaiwa.runtime.service.RateLimits;
import io.kaiwa.runtime.service.ResponseLifecycle;
import io.kaiwa.runtime.service.ResponseRun;
import io.kaiwa.runtime.stream.EventSignals;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs background responses: claim, lease and the task's writes. Each instance claims queued tasks, and tasks whose
 * worker's lease ran out, with {@code FOR UPDATE SKIP LOCKED}, so any number of instances on one database share the
 * work and none runs a task twice; a worker renews its lease while it runs, stores the task's events as they happen,
 * and learns of a cancel at its next renewal (at once when the cancel reaches the same instance). What a run does is
 * the {@link ResponseRun}'s.
 */
@ApplicationScoped
public class BackgroundTasks {
    private static final Logger LOG = Logger.getLogger(BackgroundTasks.class);

    /** Retries of a failed write before a run gives up, and the pauses between them (growing, with jitter). */
    private static final int WRITE_RETRIES = 8;
    private static final Duration WRITE_PAUSE = Duration.ofMillis(200);
    private static final Duration WRITE_PAUSE_MAX = Duration.ofSeconds(5);

    @Inject
    ResponseStore store;

    @Inject
    ResponseLifecycle lifecycle;

    @Inject
    Budgets budgets;

    @Inject
    Conversations conversations;

    @Inject
    RateLimits limits;

    @Inject
    KaiwaConfig config;

    @Inject
    Vertx vertx;

    @Inject
    EventSignals signals;

    /** This instance's worker id, which begins the lease token of every task it runs. */
    private final String owner = Ids.next("worker");
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final Map<String, Runnable> cancels = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private long timer = -1;

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(config.tasks().pollInterval().toMillis(), id -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Looks for work now rather than at the next poll (a task was just queued here). */
    public void wake() {
        poll();
    }

    /**
     * @param id a task
     * @return whether it runs here and was told to stop
     */
    public boolean cancelHere(String id) {
        Runnable cancel = cancels.get(id);
        if (cancel != null) {
            cancel.run();
            return true;
        }
        return false;
    }

    private void poll() {
        int free = config.tasks().concurrency() - running.get();
        if (stopped || free <= 0 || !polling.compareAndSet(false, true)) {
            return;
        }
        SafeContext.run(vertx, () -> store.claim(owner, config.tasks().lease(), free).subscribe().with(tasks -> {
            polling.set(false);
            for (ResponseRecord task : tasks) {
                running.incrementAndGet();
                SafeContext.run(vertx, () -> new Run(task, Vertx.currentContext()).start());
            }
        }, failure -> {
            polling.set(false);
            LOG.warn("could not claim background tasks: " + failure);
        }));
    }

    /** One task being run here: its events on their way to the database, its lease, and how to stop it. */
    private final class Run {
        private final ResponseRecord task;
        private final Context context;
        private final List<EventRecord> pending = new ArrayList<>();
        private boolean writing;
        private boolean finishing;
        private boolean done;
        private boolean released;
        private Cancellable upstream;
        private ResponseRun run;
        private boolean addedToConversation;
        private OpenAiEvents events;
        private long renewal = -1;
        private long heldUntil;
        private final Runnable cancelHere;

        Run(ResponseRecord task, Context context) {
            this.task = task;
            this.context = context;
            this.cancelHere = () -> context.runOnContext(ignored -> cancel());
        }

        void start() {
            cancels.put(task.id, cancelHere);
            Duration lease = config.tasks().lease();
            heldUntil = System.nanoTime() + lease.toNanos();
            long every = Math.max(100, Math.min(lease.toMillis() / 3, 1_000));
            renewal = vertx.setPeriodic(every, id -> context.runOnContext(ignored -> renew(lease)));
            events = new OpenAiEvents(task, true);
            events.startAt(task.nextSequence);
            if (task.cancelRequested) {
                // Cancelled while a worker that has since died held it: end it without asking the provider again.
                cancel();
                return;
            }
            task.status = ResponseStatus.IN_PROGRESS;
            add(List.of(events.lifecycle("response.in_progress")));
            lifecycle.prepareTask(task).subscribe().with(prepared -> {
                if (done) {
                    return;
                }
                run = prepared;
                // The run numbers its events after the ones this worker has already made.
                run.events().startAt(events.nextSequence());
                events = run.events();
                add(run.opening());
                upstream = run.stream().subscribe().with(this::on, failure -> {
                    if (!done) {
                        end(run.fail(failure));
                    }
                });
            }, failure -> {
                if (!done) {
                    end(ResponseRun.failed(task, failure));
                }
            });
        }

        private void on(StreamEvent e) {
            if (done) {
                return;
            }
            var out = new ArrayList<OpenAiEvents.Event>(3);
            ResponseRecord ended = run.on(e, out);
            if (ended == null) {
                add(out);
            } else {
                // The last event is stored with the task's end, in one transaction.
                add(out.subList(0, out.size() - 1));
                finish(out.get(out.size() - 1));
            }
        }

        /** Renews the lease until the task's end is stored, its last write included. */
        private void renew(Duration lease) {
            if (released) {
                return;
            }
            long asked = System.nanoTime();
            db(() -> store.renew(task.id, task.leaseOwner, lease)).subscribe().with(state -> {
                switch (state) {
                    case CANCEL -> {
                        heldUntil = asked + lease.toNanos();
                        cancel();
                    }
                    case LOST -> {
                        // Another worker took it over after this one was too slow to renew: leave it to that one.
                        LOG.warnf("lost the lease of %s; stopping here", task.id);
                        leave();
                    }
                    case HELD -> heldUntil = asked + lease.toNanos();
                }
            }, failure -> {
                LOG.warn("could not renew the lease of " + task.id + ": " + failure);
                if (System.nanoTime() - heldUntil > 0) {
                    // The lease has run out by now: another worker may hold the task. Stop rather than run it twice.
                    LOG.warnf("the lease of %s ran out; stopping here", task.id);
                    leave();
                }
            });
        }

        private void cancel() {
            if (done) {
                return;
            }
            if (upstream != null) {
                upstream.cancel();
            }
            finish(events.finished(run != null ? run.cancel() : ResponseRun.cancelled(task)));
        }

        private void end(ResponseRecord finished) {
            if (!done) {
                finish(events.finished(finished));
            }
        }

        /**
         * Before the task's end is stored: a client that sees it completed finds it in its conversation. Once, though
         * the end's write may be tried again.
         */
        private Uni<Void> addToConversation() {
            if (run == null || addedToConversation) {
                return Uni.createFrom().voidItem();
            }
            addedToConversation = true;
            return conversations.append(task, run.request().conversation());
        }

        /** What the task cost its tenant: its usage's cost, or for a run cancelled midway an estimate of it. */
        private Uni<Void> charge() {
            if (run != null && !run.charge()) {
                return Uni.createFrom().voidItem();
            }
            // A run the provider refused cost nothing; one cancelled midway cost what it had sent and received.
            if (task.usage == null && run != null && task.status == ResponseStatus.CANCELLED) {
                limits.used(task.tenant, run.unfinishedUsage());
                return budgets.charge(task.tenant, run.unfinishedCost());
            }
            limits.used(task.tenant, task.usage);
            return budgets.charge(task);
        }

        /** Stores the task's end with its last event: once, after the events before it. */
        private void finish(OpenAiEvents.Event last) {
            if (done) {
                return;
            }
            pending.add(last.stored(task.id));
            task.nextSequence = events.nextSequence();
            finishing = true;
            stopHere();
            write();
        }

        private void stopHere() {
            done = true;
            cancels.remove(task.id, cancelHere);
        }

        /**
         * Stops without writing anything more: another worker holds the task now, or will once the lease runs out.
         */
        private void leave() {
            if (released) {
                return;
            }
            if (upstream != null) {
                upstream.cancel();
            }
            stopHere();
            release();
        }

        /** Frees this run's place among the tasks the instance runs at once; once, however it ended. */
        private void release() {
            if (!released) {
                released = true;
                running.decrementAndGet();
                if (renewal >= 0) {
                    vertx.cancelTimer(renewal);
                }
            }
        }

        private void add(List<OpenAiEvents.Event> made) {
            for (OpenAiEvents.Event e : made) {
                pending.add(e.stored(task.id));
            }
            write();
        }

        /**
         * One write at a time, in order: events that arrive meanwhile go out together in the next one. A failed write
         * is tried again after a growing pause; when the database stays unreachable the run stops and the task is
         * taken over once its lease runs out.
         */
        private void write() {
            if (writing || released || (pending.isEmpty() && !finishing)) {
                return;
            }
            var batch = new ArrayList<>(pending);
            pending.clear();
            writing = true;
            boolean last = finishing;
            db(() -> last
                    ? addToConversation().chain(() -> store.finishTask(task, task.leaseOwner, batch))
                    : store.appendTaskEvents(task.id, task.leaseOwner, batch))
                    .onFailure().invoke(failure -> LOG.warnf("could not store the events of %s, trying again: %s",
                            task.id, failure))
                    .onFailure().retry().withBackOff(WRITE_PAUSE, WRITE_PAUSE_MAX).atMost(WRITE_RETRIES)
                    .subscribe().with(held -> {
                        writing = false;
                        if (held) {
                            // Followers here learn at once; other instances by the database's notification.
                            signals.signal(task.id);
                        }
                        if (!held) {
                            LOG.warnf("%s was taken over by another worker; this one's results are dropped", task.id);
                            leave();
                        } else if (last) {
                            charge().subscribe().with(ignored -> {
                            });
                            release();
                            poll();
                        } else {
                            write();
                        }
                    }, failure -> {
                        writing = false;
                        LOG.error("could not store the events of " + task.id + "; stopping here, another worker "
                                + "takes it over once its lease runs out", failure);
                        leave();
                    });
        }

        /**
         * A database call in a session of its own, its outcome handed back to this run's context. Calls made on one
         * Vert.x context share Hibernate Reactive's session there, and a lease renewal can come while an event write
         * is under way. Each subscription (each retry) makes the call anew.
         */
        private <T> Uni<T> db(Supplier<Uni<T>> call) {
            return Uni.createFrom().<T>emitter(e -> SafeContext.run(vertx, () -> call.get().subscribe()
                    .with(e::complete, e::fail)))
                    .emitOn(task -> context.runOnContext(ignored -> task.run()));
        }
    }
}
