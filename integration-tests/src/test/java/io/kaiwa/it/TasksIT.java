package io.kaiwa.it;

import static io.kaiwa.it.OpenAiClientIT.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.sun.net.httpserver.HttpServer;

/**
 * Background tasks across instances and restarts, against a provider that answers its first call slowly, for as
 * long as the caller listens, and notes when the caller hangs up.
 */
class TasksIT {
    HttpServer provider;
    ExecutorService handlers;
    final AtomicInteger calls = new AtomicInteger();
    final CompletableFuture<Void> firstCallStarted = new CompletableFuture<>();
    final CompletableFuture<Void> firstCallAbandoned = new CompletableFuture<>();
    Path data;

    @BeforeEach
    void start() throws IOException {
        provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        provider.createContext("/chat/v1/chat/completions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                if (calls.incrementAndGet() > 1) {
                    out.write((chunk("{\"role\":\"assistant\",\"content\":\"second call\"}", "stop")
                            + "data: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                out.write(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null).getBytes(StandardCharsets.UTF_8));
                out.flush();
                firstCallStarted.complete(null);
                // Keeps the stream open (SSE comments) until the caller goes away.
                for (int i = 0; i < 600; i++) {
                    out.write(": still thinking\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    ServiceProcess.sleep(100);
                }
            } catch (IOException callerLeft) {
                firstCallAbandoned.complete(null);
            }
        });
        // Handlers block while they stream: each on a thread of its own, not on the server's dispatcher.
        handlers = Executors.newCachedThreadPool();
        provider.setExecutor(handlers);
        provider.start();
        data = Files.createTempDirectory(Path.of("target"), "it-tasks").toAbsolutePath();
    }

    @AfterEach
    void stop() {
        provider.stop(0);
        handlers.shutdownNow();
    }

    Map<String, String> env() {
        Map<String, String> env = ServiceProcess.environment(data,
                "http://127.0.0.1:" + provider.getAddress().getPort());
        env.put("KAIWA_TASKS_LEASE", "3s");
        return env;
    }

    static OpenAIClient client(ServiceProcess service) {
        return OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("sk-acme-it").maxRetries(0)
                .build();
    }

    static Response awaitStatus(OpenAIClient client, String id, ResponseStatus status) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Response r = client.responses().retrieve(id);
        while (!r.status().map(status::equals).orElse(false) && System.nanoTime() < deadline) {
            ServiceProcess.sleep(100);
            r = client.responses().retrieve(id);
        }
        return r;
    }

    @Test
    void aCancelReceivedByAnotherInstanceStopsTheProviderCall() throws Exception {
        try (var worker = ServiceProcess.start("tasks-worker", env())) {
            Map<String, String> front = env();
            // Quarkus's own setting, as a Quarkus user would give it: the reactive URL alone (Flyway's JDBC URL follows).
            front.put("QUARKUS_DATASOURCE_REACTIVE_URL",
                    "postgresql://127.0.0.1:" + worker.embeddedDatabasePort() + "/postgres");
            front.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            // This instance runs no task itself: the one it is asked about runs on the other.
            front.put("KAIWA_TASKS_CONCURRENCY", "0");
            try (var other = ServiceProcess.start("tasks-front", front)) {
                OpenAIClient client = client(other);
                String id = client.responses().create(ResponseCreateParams.builder().model("gpt-chat").input("think")
                        .background(true).build()).id();
                firstCallStarted.get(30, TimeUnit.SECONDS);

                Response cancelled = client.responses().cancel(id);

                assertThat(awaitStatus(client, id, ResponseStatus.CANCELLED).status())
                        .as("after the cancel answered %s", cancelled.status()).contains(ResponseStatus.CANCELLED);
                firstCallAbandoned.get(10, TimeUnit.SECONDS);
                assertThat(calls.get()).isEqualTo(1);
                assertThat(other.log()).doesNotContain("embedded PostgreSQL");
            }
        }
    }

    @Test
    void aTaskUnderWayWhenItsInstanceStopsIsFinishedAfterTheRestart() throws Exception {
        String id;
        try (var before = ServiceProcess.start("tasks-before-restart", env())) {
            id = client(before).responses().create(ResponseCreateParams.builder().model("gpt-chat").input("think")
                    .background(true).build()).id();
            firstCallStarted.get(30, TimeUnit.SECONDS);
        }

        try (var after = ServiceProcess.start("tasks-after-restart", env())) {
            Response done = awaitStatus(client(after), id, ResponseStatus.COMPLETED);

            assertThat(done.status()).contains(ResponseStatus.COMPLETED);
            assertThat(OpenAiClientIT.text(done)).isEqualTo("second call");
            assertThat(calls.get()).isEqualTo(2);
        }
    }
}
