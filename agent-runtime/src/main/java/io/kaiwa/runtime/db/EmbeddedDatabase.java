package io.kaiwa.runtime.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The database when none is configured: a real PostgreSQL server (zonky's binaries from Maven Central) with its data
 * in {@code kaiwa.data-dir} (default {@code ./kaiwa-data}), listening on loopback only.
 *
 * <p>
 * Configured means {@code KAIWA_DATABASE_URL} ({@code postgresql://host:port/db}, with {@code KAIWA_DATABASE_USERNAME}
 * and {@code KAIWA_DATABASE_PASSWORD}) or Quarkus's own {@code QUARKUS_DATASOURCE_REACTIVE_URL}, as environment
 * variables or system properties; then nothing embedded starts. Runs before Quarkus reads its configuration, so it
 * passes the URLs on as system properties.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres server;

    private EmbeddedDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * @return the running embedded server, or a no-op when a database is configured
     * @throws IOException when the server cannot start
     */
    public static EmbeddedDatabase startUnlessConfigured() throws IOException {
        return startUnlessConfigured(System.getenv(), System::getProperty);
    }

    static EmbeddedDatabase startUnlessConfigured(Map<String, String> env, Function<String, String> properties)
            throws IOException {
        Function<String, String> setting = name -> {
            String value = properties.apply(name);
            return value != null
                    ? value
                    : env.get(name.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                            .replace('-', '_'));
        };
        String url = setting.apply("kaiwa.database.url");
        if (url != null && !url.isBlank()) {
            point(url, setting.apply("kaiwa.database.username"), setting.apply("kaiwa.database.password"));
            return new EmbeddedDatabase(null);
        }
        if (setting.apply("quarkus.datasource.reactive.url") != null) {
            return new EmbeddedDatabase(null);
        }
        String dir = setting.apply("kaiwa.data-dir");
        Path data = Path.of(dir == null || dir.isBlank() ? "kaiwa-data" : dir).toAbsolutePath().resolve("postgres");
        Files.createDirectories(data.getParent());
        boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
        EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(data.toFile())
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "127.0.0.1")
                // zonky is made for tests and turns durability off; this database keeps users' conversations.
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("unix_socket_directories", "").start();
        LOG.infof("%s the embedded PostgreSQL in %s (port %d); set KAIWA_DATABASE_URL to use another database",
                fresh ? "Created" : "Started", data, server.getPort());
        point("postgresql://127.0.0.1:" + server.getPort() + "/postgres", "postgres", "");
        return new EmbeddedDatabase(server);
    }

    private static void point(String url, String username, String password) {
        String location = url.replaceFirst("^(jdbc:)?postgres(ql)?://", "");
        System.setProperty("quarkus.datasource.reactive.url", "postgresql://" + location);
        System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + location);
        if (username != null) {
            System.setProperty("quarkus.datasource.username", username);
        }
        if (password != null) {
            System.setProperty("quarkus.datasource.password", password);
        }
    }

    /** @return the embedded server's port, or -1 when none was started */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
