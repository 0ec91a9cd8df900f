package io.kaiwa.runtime.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.PropertiesConfigSourceLoader;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database when none is configured: a real PostgreSQL server (zonky's binaries from Maven Central) with its data
 * in {@code kaiwa.data-dir} (default {@code ./kaiwa-data}), listening on loopback only.
 *
 * <p>
 * Configured means {@code kaiwa.database.url} ({@code postgresql://host:port/db}, with {@code kaiwa.database.username}
 * and {@code kaiwa.database.password}) or Quarkus's own {@code quarkus.datasource.reactive.url}, wherever Quarkus
 * would read them (environment variables such as {@code KAIWA_DATABASE_URL}, system properties, {@code .env},
 * {@code config/application.properties}); then nothing embedded starts. Runs before Quarkus starts, so it passes the
 * URLs on as system properties.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    /** How often the watchdog looks whether the server is still running. */
    private static final Duration WATCH = Duration.ofSeconds(2);
    private static volatile EmbeddedDatabase current;

    private final Path data;
    private final Map<String, String> settings;
    private volatile EmbeddedPostgres server;
    private volatile long downSince;
    private volatile boolean closed;
    private final ScheduledExecutorService watchdog;

    private EmbeddedDatabase(Path data, Map<String, String> settings, EmbeddedPostgres server) {
        this.data = data;
        this.settings = settings;
        this.server = server;
        if (server == null) {
            watchdog = null;
        } else {
            watchdog = Executors.newSingleThreadScheduledExecutor(task -> {
                var thread = new Thread(task, "kaiwa-embedded-postgres-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            watchdog.scheduleWithFixedDelay(this::watch, WATCH.toMillis(), WATCH.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** @return the embedded server this process started, or {@code null} when a database is configured */
    public static EmbeddedDatabase current() {
        return current;
    }

    /**
     * @return the running embedded server, or a no-op when a database is configured
     * @throws IOException when the server cannot start
     */
    public static EmbeddedDatabase startUnlessConfigured() throws IOException {
        SmallRyeConfig config = quarkusSources();
        return startUnlessConfigured(name -> config.getOptionalValue(name, String.class).orElse(null));
    }

    /**
     * The sources Quarkus reads its configuration from, in its order, for the few settings needed before Quarkus
     * starts: system properties, environment variables, {@code .env} and {@code config/application.properties} in
     * the working directory, the packaged {@code application.properties}; with the active profile.
     */
    private static SmallRyeConfig quarkusSources() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String profile = System.getProperty("quarkus.profile", System.getenv().getOrDefault("QUARKUS_PROFILE", "prod"));
        return new SmallRyeConfigBuilder().forClassLoader(loader).withProfile(profile).addDefaultInterceptors()
                .addSystemSources().withSources(DotEnvConfigSourceProvider.dotEnvSources(loader))
                .withSources(PropertiesConfigSourceLoader.inFileSystem(
                        Path.of("config", "application.properties").toAbsolutePath().toUri().toString(), 260, loader))
                .withSources(PropertiesConfigSourceLoader.inClassPath("application.properties", 250, loader))
                .build();
    }

    static EmbeddedDatabase startUnlessConfigured(Function<String, String> setting) throws IOException {
        String url = setting.apply("kaiwa.database.url");
        if (url != null && !url.isBlank()) {
            point(url, setting.apply("kaiwa.database.username"), setting.apply("kaiwa.database.password"));
            return new EmbeddedDatabase(null, Map.of(), null);
        }
        String reactive = setting.apply("quarkus.datasource.reactive.url");
        if (reactive != null && !reactive.isBlank()) {
            if (setting.apply("quarkus.datasource.jdbc.url") == null) {
                // Flyway migrates through JDBC: the same database.
                System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + location(reactive));
            }
            return new EmbeddedDatabase(null, Map.of(), null);
        }
        String dir = setting.apply("kaiwa.data-dir");
        Path data = Path.of(dir == null || dir.isBlank() ? "kaiwa-data" : dir).toAbsolutePath().resolve("postgres");
        Files.createDirectories(data.getParent());
        boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
        stopOrphan(data);
        // zonky is made for tests and turns durability off; this database keeps users' conversations.
        Map<String, String> settings = Map.of("listen_addresses", "127.0.0.1", "fsync", "on", "synchronous_commit",
                "on", "full_page_writes", "on", "unix_socket_directories", "");
        EmbeddedPostgres server = start(data, settings, 0);
        LOG.infof("%s the embedded PostgreSQL in %s (port %d); set KAIWA_DATABASE_URL to use another database",
                fresh ? "Created" : "Started", data, server.getPort());
        point("postgresql://127.0.0.1:" + server.getPort() + "/postgres", "postgres", "");
        EmbeddedDatabase database = new EmbeddedDatabase(data, settings, server);
        // Stops the watchdog before the server, so a stopping service does not restart its own database.
        Runtime.getRuntime().addShutdownHook(new Thread(database::closeQuietly, "kaiwa-embedded-postgres-stop"));
        current = database;
        return database;
    }

    private static EmbeddedPostgres start(Path data, Map<String, String> settings, int port) throws IOException {
        // Kaiwa's own shutdown hook stops it, after the watchdog (zonky's would race the watchdog).
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data.toFile())
                .setCleanDataDirectory(false).setRegisterShutdownHook(false);
        settings.forEach(builder::setServerConfig);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /**
     * A service killed outright leaves its PostgreSQL running (the server is a process of its own, and no shutdown
     * hook ran); the next start would find it holding the data folder and give up. It is stopped first, unless a
     * live service still holds the folder's lock (then the start fails, as it should).
     */
    static void stopOrphan(Path data) throws IOException {
        ProcessHandle postmaster = postmaster(data);
        if (postmaster == null) {
            return;
        }
        Path lockFile = data.resolve("epg-lock");
        if (Files.exists(lockFile)) {
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    return;
                }
                lock.release();
            } catch (OverlappingFileLockException held) {
                return;
            }
        }
        LOG.warnf("stopping the embedded PostgreSQL (pid %d) a previous run of the service left running in %s",
                postmaster.pid(), data);
        // SIGTERM: PostgreSQL's smart shutdown, which the dead service's connections no longer hold up.
        postmaster.destroy();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the embedded PostgreSQL a previous run left running (pid " + postmaster.pid()
                    + ") did not stop within 30 s; stop it and start the service again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw new IOException(e);
        }
    }

    /** @return the server running on the data folder, from its {@code postmaster.pid}; {@code null} when none */
    private static ProcessHandle postmaster(Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return null;
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return null;
            }
            ProcessHandle process = ProcessHandle.of(Long.parseLong(lines.get(0).trim())).orElse(null);
            // A stale file (after a reboot) may name any process, another PostgreSQL's included: only a postmaster
            // started on this very folder is this folder's.
            String folder = data.toString();
            return process != null && process.isAlive() && process.info().commandLine()
                    .map(c -> c.contains("postgres") && c.contains(folder)).orElse(false) ? process : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Restarts a server that died (killed, or crashed past its own recovery) on its port, so the pools reconnect. */
    private synchronized void watch() {
        try {
            if (closed || postmaster(data) != null) {
                downSince = 0;
                return;
            }
            int port = server.getPort();
            if (downSince == 0) {
                downSince = System.nanoTime();
                LOG.errorf("the embedded PostgreSQL (port %d) is not running; restarting it", port);
                try {
                    // Lets go of the data folder's lock, which this process holds for the dead server.
                    server.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("closing the dead embedded PostgreSQL: %s", e);
                }
            }
            // Its backends may take a moment to notice the postmaster is gone and let go of the shared memory.
            server = start(data, settings, port);
            LOG.infof("restarted the embedded PostgreSQL in %s (port %d)", data, port);
            downSince = 0;
        } catch (Throwable e) {
            // A scheduled task that throws is never run again: the next look must still come.
            LOG.warnf("could not restart the embedded PostgreSQL yet: %s", e.toString());
        }
    }

    /** @return how long the server has been down and not yet restarted; zero when it is running */
    public Duration down() {
        long since = downSince;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** @return {@code host:port/database...} of a PostgreSQL URL in any of the forms JDBC, Vert.x or libpq use */
    private static String location(String url) {
        return url.replaceFirst("^(jdbc:|vertx-reactive:)?postgres(ql)?://", "");
    }

    private static void point(String url, String username, String password) {
        String location = location(url);
        System.setProperty("quarkus.datasource.reactive.url", "postgresql://" + location);
        System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + location);
        if (username != null) {
            System.setProperty("quarkus.datasource.username", username);
        }
        if (password != null) {
            System.setProperty("quarkus.datasource.password", password);
        }
    }

    /** @return the embedded server's data folder, or {@code null} when none was started */
    public Path dataDirectory() {
        return data;
    }

    /** @return the embedded server's port, or -1 when none was started */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    @Override
    public void close() throws IOException {
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        // After any restart under way (watch holds the lock while it starts a server).
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                server.close();
            }
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not stop the embedded PostgreSQL: %s", e.toString());
        }
    }
}
