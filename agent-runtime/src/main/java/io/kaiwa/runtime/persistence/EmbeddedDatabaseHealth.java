package io.kaiwa.runtime.persistence;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness of the embedded PostgreSQL: down once it has been dead for longer than the watchdog takes to restart it,
 * so that an orchestrator restarts the service. (Readiness already asks the database itself.)
 */
@Liveness
@ApplicationScoped
public class EmbeddedDatabaseHealth implements HealthCheck {
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Override
    public HealthCheckResponse call() {
        EmbeddedDatabase database = EmbeddedDatabase.current();
        Duration down = database == null ? Duration.ZERO : database.down();
        return HealthCheckResponse.named("embedded-database").status(down.compareTo(GRACE) < 0)
                .withData("down_seconds", down.toSeconds()).build();
    }
}
