package io.kaiwa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code agent-runtime/target/quarkus-app/quarkus-run.jar}) run as users run it: its own JVM,
 * configured by environment variables (and, where a test puts one, a configuration file in its working directory), its
 * embedded PostgreSQL in a data folder unless told otherwise.
 */
final class ServiceProcess implements AutoCloseable {
    private static final Pattern EMBEDDED_PORT = Pattern.compile("embedded PostgreSQL in .* \\(port (\\d+)\\)");

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param name names the log file
     * @param env the service's environment (on top of a clean one: no inherited keys)
     * @return the running service, healthy
     */
    static ServiceProcess start(String name, Map<String, String> env) {
        return start(name, env, Path.of("").toAbsolutePath());
    }

    /**
     * @param name names the log file
     * @param env the service's environment (on top of a clean one: no inherited keys)
     * @param workingDirectory where it runs, which is where it looks for {@code .env} and
     *        {@code config/application.properties}
     * @return the running service, healthy
     */
    static ServiceProcess start(String name, Map<String, String> env, Path workingDirectory) {
        String jar = System.getProperty("kaiwa.service.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the packaged service is missing: " + jar + " (build agent-runtime first)");
        }
        int port = freePort();
        Path log = Path.of("target", "it-logs", name + "-" + port + ".log");
        try {
            Files.createDirectories(log.getParent());
            var builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", jar);
            builder.environment().remove("DASHSCOPE_API_KEY");
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.directory(workingDirectory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            var service = new ServiceProcess(builder.start(), port, log);
            service.awaitHealthy(Duration.ofSeconds(90));
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy(Duration within) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited during startup:\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("the service was not healthy within " + within + ":\n" + log());
    }

    /** @return {@code http://127.0.0.1:<port>} */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** @return the port of the embedded PostgreSQL it started, from its log */
    int embeddedDatabasePort() {
        Matcher m = EMBEDDED_PORT.matcher(log());
        if (!m.find()) {
            throw new IllegalStateException("no embedded database in the log:\n" + log());
        }
        return Integer.parseInt(m.group(1));
    }

    /** @return what the service printed so far */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the service as a user would (SIGTERM), and waits for it (and its embedded database) to finish. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the service outright, as a crash would: no shutdown hooks run. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param dataDir the service's data folder
     * @param upstream the WireMock base URL
     * @return the environment of a service with two tenants, a provider of each API style and a SearXNG on the
     *         upstream
     */
    static Map<String, String> environment(Path dataDir, String upstream) {
        var env = new HashMap<String, String>();
        env.put("KAIWA_DATA_DIR", dataDir.toString());
        env.put("KAIWA_AUTH_API_KEYS", "acme:sk-acme-it,globex:sk-globex-it");
        env.put("KAIWA_PROVIDERS_CHAT_BASE_URL", upstream + "/chat/v1");
        env.put("KAIWA_PROVIDERS_CHAT_API", "chat");
        env.put("KAIWA_PROVIDERS_CHAT_API_KEY", "sk-upstream-chat");
        env.put("KAIWA_PROVIDERS_CHAT_MODELS", "gpt-chat");
        env.put("KAIWA_PROVIDERS_RESP_BASE_URL", upstream + "/resp/v1");
        env.put("KAIWA_PROVIDERS_RESP_API", "responses");
        env.put("KAIWA_PROVIDERS_RESP_API_KEY", "sk-upstream-resp");
        env.put("KAIWA_PROVIDERS_RESP_MODELS", "qwen3-max-2026-01-23");
        env.put("KAIWA_DEFAULT_PROVIDER", "chat");
        env.put("KAIWA_TASKS_POLL_INTERVAL", "200ms");
        env.put("KAIWA_TOOLS_WEB_SEARCH_PROVIDER", "searxng");
        env.put("KAIWA_TOOLS_WEB_SEARCH_BASE_URL", upstream + "/searxng");
        return env;
    }
}
