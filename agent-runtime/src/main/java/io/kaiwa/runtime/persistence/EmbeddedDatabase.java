package io.kaiwa.runtime.persistence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private final EmbeddedPostgres server;

    private EmbeddedDatabase(EmbeddedPostgres server) {
        this.server = server;
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
            return new EmbeddedDatabase(null);
        }
        String reactive = setting.apply("quarkus.datasource.reactive.url");
        if (reactive != null && !reactive.isBlank()) {
            if (setting.apply("quarkus.datasource.jdbc.url") == null) {
                // Flyway migrates through JDBC: the same database.
                System.setProperty("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + location(reactive));
            }
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
