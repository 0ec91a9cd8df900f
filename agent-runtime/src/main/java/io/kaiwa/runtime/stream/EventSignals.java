package io.kaiwa.runtime.stream;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;

/**
 * Tells the clients following a background response's stream that it has new events, instead of each polling the
 * database: the worker that stored them signals here when it runs on this instance, and every instance hears the
 * database's notification ({@code NOTIFY kaiwa_events, '<response id>'}, sent in the transaction that stored them)
 * on one listening connection of its own. A notification can be missed while that connection is re-established, so
 * followers still look at the database now and then ({@code kaiwa.tasks.follow-check}). Thread-safe.
 */
@ApplicationScoped
public class EventSignals {
    private static final Logger LOG = Logger.getLogger(EventSignals.class);

    @Inject
    Vertx vertx;

    @Inject
    KaiwaConfig config;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private final Map<String, Set<Runnable>> waiting = new ConcurrentHashMap<>();
    private PgConnectOptions options;
    private volatile PgSubscriber subscriber;
    private volatile boolean stopping;
    private int failedConnects;

    void start(@Observes StartupEvent event) {
        // Several URLs may be configured (fail-over): the listener follows the first, as the pool starts with it.
        options = PgConnectOptions.fromUri(url.split(",")[0].trim().replaceFirst("^vertx-reactive:", ""));
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        listen();
    }

    /**
     * Connects a subscriber. Once connected, it reconnects by itself when the connection drops; a first connection
     * that fails is not retried by Vert.x's subscriber, so each attempt gets a new one.
     */
    private void listen() {
        if (stopping) {
            return;
        }
        PgSubscriber attempt = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        attempt.channel(ResponseStore.EVENTS_CHANNEL).handler(this::signal).subscribeHandler(listening -> {
            failedConnects = 0;
            // A connection cut (the database restarting, or stopping before the service) is reconnected by the
            // subscriber; without a handler of its own Vert.x prints it as an unhandled failure.
            var connection = attempt.actualConnection();
            if (connection != null) {
                connection.exceptionHandler(failure -> LOG.debugf("the connection listening for stored events "
                        + "failed: %s", failure));
            }
        });
        subscriber = attempt;
        attempt.connect().onFailure(failure -> {
            if (failedConnects++ == 0) {
                LOG.warnf("not listening for stored events (%s): followers of background streams look at the "
                        + "database every %s instead; trying again every second", failure,
                        config.tasks()
                                .followCheck());
            }
            attempt.close();
            if (!stopping) {
                vertx.setTimer(1_000, id -> listen());
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        PgSubscriber current = subscriber;
        if (current != null) {
            current.close();
        }
    }

    /**
     * @param responseId a response
     * @param wake run, on whatever thread signals, each time the response has new events, until closed
     * @return the registration; close it when the follower is done
     */
    public AutoCloseable onEvents(String responseId, Runnable wake) {
        waiting.computeIfAbsent(responseId, id -> ConcurrentHashMap.newKeySet()).add(wake);
        return () -> waiting.computeIfPresent(responseId, (id, set) -> {
            set.remove(wake);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Wakes this instance's followers of a response.
     *
     * @param responseId the response that has new events
     */
    public void signal(String responseId) {
        Set<Runnable> followers = waiting.get(responseId);
        if (followers != null) {
            followers.forEach(Runnable::run);
        }
    }
}
