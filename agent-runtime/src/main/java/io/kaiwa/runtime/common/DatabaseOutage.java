package io.kaiwa.runtime.common;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;

import io.vertx.pgclient.PgException;

/**
 * Whether the database is out of reach. A failure that says so marks an outage; while one is suspected, a request
 * that needs the database asks it first (one cheap query) and is refused with a 503 and {@code Retry-After} before
 * the provider is called and paid; the first answer it gets ends the outage.
 */
public final class DatabaseOutage {
    /** What a refused client is told to wait, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 2;
    /** The error code of a request refused for it. */
    public static final String CODE = "database_unavailable";

    private static volatile boolean suspected;

    private DatabaseOutage() {
    }

    /** @return whether a failure since the last answer said the database is out of reach */
    public static boolean suspected() {
        return suspected;
    }

    /** The database answered. */
    public static void over() {
        suspected = false;
    }

    /**
     * @param failure what went wrong
     * @return whether it says the database cannot be reached (refused or lost connections, a server shutting down);
     *         then an outage is suspected from now on
     */
    public static boolean noted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof PgException pg && pg.getSqlState() != null
                            && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))
                    || t.getMessage() != null && t.getMessage().contains("Connection is closed")) {
                suspected = true;
                return true;
            }
        }
        return false;
    }
}
