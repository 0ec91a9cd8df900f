package io.kaiwa.runtime.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.kaiwa.core.Usage;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.store.EventRecord;
import io.kaiwa.runtime.store.ResponseRecord;
import io.kaiwa.runtime.store.ResponseStore;
import io.kaiwa.runtime.store.SafeContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs background responses. Each instance claims queued tasks, and tasks whose worker's lease ran out, with
 * {@code FOR UPDATE SKIP LOCKED}, so any number of instances on one database share the work and none runs a task
 * twice; a worker renews its lease while it runs, stores the task's events as they happen, and learns of a cancel
 * at its next renewal (at once when the cancel reaches the same instance).
 */
@ApplicationScoped
public class BackgroundTasks {
    private static final Logger LOG = Logger.getLogger(BackgroundTasks.class);

    @Inject
    ResponseStore store;

    @Inject
    ResponseService service;

    @Inject
    KaiwaConfig config;

    @Inject
    Vertx vertx;

    @Inject
    Metrics metrics;

    /** Attempts at storing a batch of events before a run gives up, and the pauses between them. */
    private static final int WRITE_ATTEMPTS = 8;
    private static final long WRITE_PAUSE_MS = 200;
    private static final long WRITE_PAUSE_MAX_MS = 5_000;

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
        onSafeContext(() -> store.claim(owner, config.tasks().lease(), free).subscribe().with(tasks -> {
            polling.set(false);
            for (ResponseRecord task : tasks) {
                running.incrementAndGet();
                onSafeContext(() -> run(task));
            }
        }, failure -> {
            polling.set(false);
            LOG.warn("could not claim background tasks: " + failure);
        }));
    }

    private void onSafeContext(Runnable work) {
        SafeContext.run(vertx, work);
    }

    private void run(ResponseRecord task) {
        new Run(task, Vertx.currentContext()).start();
    }

    /** One task being run: its events on their way to the database, its lease, and how to stop it. */
    private final class Run {
        private final ResponseRecord task;
        private final Context context;
        private final OpenAiEvents events;
        private final List<EventRecord> pending = new ArrayList<>();
        private boolean writing;
        private int failedWrites;
        private boolean finishing;
        private boolean done;
        private boolean released;
        private Cancellable upstream;
        private AgentLoop loop;
        private Provider provider;
        private long renewal = -1;
        private long heldUntil;
        private final Runnable cancelHere;

        Run(ResponseRecord task, Context context) {
            this.task = task;
            this.context = context;
            this.cancelHere = () -> context.runOnContext(ignored -> cancel());
            this.events = new OpenAiEvents(task, true);
            events.startAt(task.nextSequence);
        }

        void start() {
            cancels.put(task.id, cancelHere);
            Duration lease = config.tasks().lease();
            heldUntil = System.nanoTime() + lease.toNanos();
            long every = Math.max(100, Math.min(lease.toMillis() / 3, 1_000));
            renewal = vertx.setPeriodic(every, id -> context.runOnContext(ignored -> renew(lease)));
            if (task.cancelRequested) {
                // Cancelled while a worker that has since died held it: end it without asking the provider again.
                cancel();
                return;
            }
            task.status = "in_progress";
            add(events.lifecycle("response.in_progress"));
            service.prepareTask(task).subscribe().with(p -> {
                if (done) {
                    return;
                }
                provider = p.provider();
                loop = p.loop();
                upstream = loop.stream(p.conversation()).subscribe().with(this::on, failure -> {
                    if (!done) {
                        metrics.finished(provider, "background", "failed", Usage.ZERO);
                        end(ResponseService.failed(task, failure));
                    }
                });
            }, failure -> {
                if (!done) {
                    end(ResponseService.failed(task, failure));
                }
            });
        }

        private void on(StreamEvent e) {
            if (done) {
                return;
            }
            if (e instanceof StreamEvent.Completed c) {
                metrics.finished(provider, "background", "completed", c.turn().usage());
                end(ResponseService.finish(task, c.turn(), events.itemIds(), loop));
            } else if (e instanceof StreamEvent.Failed f) {
                metrics.finished(provider, "background", f.turn().status().wire(), f.turn().usage());
                end(ResponseService.finish(task, f.turn(), events.itemIds(), loop));
            } else {
                var out = new ArrayList<OpenAiEvents.Event>(3);
                events.on(e, out);
                out.forEach(this::add);
            }
        }

        /** Renews the lease until the task's end is stored, its last write included. */
        private void renew(Duration lease) {
            if (released) {
                return;
            }
            long asked = System.nanoTime();
            db(() -> store.renew(task.id, task.leaseOwner, lease), state -> {
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
            task.status = "cancelled";
            task.error = null;
            task.completedAt = Instant.now();
            end(task);
        }

        private void end(ResponseRecord finished) {
            if (done) {
                return;
            }
            add(events.finished(finished));
            finished.nextSequence = events.nextSequence();
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

        private void add(OpenAiEvents.Event e) {
            pending.add(ResponseService.event(task, e));
            write();
        }

        /**
         * One write at a time, in order: events that arrive meanwhile go out together in the next one. A failed write
         * is tried again, its events first, after a growing pause; when the database stays unreachable the run stops
         * and the task is taken over once its lease runs out.
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
                    ? store.finishTask(task, task.leaseOwner, batch)
                    : store.appendTaskEvents(task.id, task.leaseOwner, batch),
                    held -> {
                        writing = false;
                        failedWrites = 0;
                        if (!held) {
                            LOG.warnf("%s was taken over by another worker; this one's results are dropped", task.id);
                            leave();
                        } else if (last) {
                            release();
                            poll();
                        } else {
                            write();
                        }
                    }, failure -> {
                        pending.addAll(0, batch);
                        if (++failedWrites > WRITE_ATTEMPTS) {
                            writing = false;
                            LOG.error("could not store the events of " + task.id + "; stopping here, another worker "
                                    + "takes it over once its lease runs out", failure);
                            leave();
                            return;
                        }
                        long pause = Math.min(WRITE_PAUSE_MAX_MS, WRITE_PAUSE_MS << (failedWrites - 1));
                        LOG.warnf("could not store the events of %s (attempt %d), trying again in %d ms: %s", task.id,
                                failedWrites, pause, failure);
                        // Still "writing" during the pause: events that arrive meanwhile wait for the retry.
                        vertx.setTimer(pause, id -> context.runOnContext(ignored -> {
                            writing = false;
                            write();
                        }));
                    });
        }

        /**
         * Runs a database call in a session of its own and hands the outcome back to this run's context. Calls made
         * on one Vert.x context share Hibernate Reactive's session there, and a lease renewal can come while an event
         * write is under way.
         */
        private <T> void db(Supplier<Uni<T>> call, Consumer<T> ok, Consumer<Throwable> failed) {
            SafeContext.run(vertx, () -> call.get().subscribe().with(
                    item -> context.runOnContext(ignored -> ok.accept(item)),
                    failure -> context.runOnContext(ignored -> failed.accept(failure))));
        }
    }
}
