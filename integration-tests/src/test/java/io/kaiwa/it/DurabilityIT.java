package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.kaiwa.it.OpenAiClientIT.chatAnswer;
import static io.kaiwa.it.OpenAiClientIT.chunk;
import static io.kaiwa.it.OpenAiClientIT.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** What survives a restart, and two instances sharing one database. */
class DurabilityIT {
    WireMockServer upstream;
    Path data;

    @BeforeEach
    void start() throws Exception {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        data = Files.createTempDirectory(Path.of("target"), "it-durable").toAbsolutePath();
    }

    @AfterEach
    void stop() {
        upstream.stop();
    }

    Map<String, String> env() {
        return ServiceProcess.environment(data, "http://127.0.0.1:" + upstream.port());
    }

    static OpenAIClient client(ServiceProcess service) {
        return OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey("sk-acme-it").maxRetries(0)
                .build();
    }

    @Test
    void completedResponsesSurviveARestartAndCanBeContinued() {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("remembered"))));
        var ids = new ArrayList<String>();
        try (var service = ServiceProcess.start("before-restart", env())) {
            OpenAIClient client = client(service);
            String previous = null;
            for (int i = 0; i < 3; i++) {
                var params = ResponseCreateParams.builder().model("gpt-chat").input("turn " + i);
                if (previous != null) {
                    params.previousResponseId(previous);
                }
                previous = client.responses().create(params.build()).id();
                ids.add(previous);
            }
        }

        try (var service = ServiceProcess.start("after-restart", env())) {
            OpenAIClient client = client(service);
            for (String id : ids) {
                assertThat(text(client.responses().retrieve(id))).isEqualTo("remembered");
            }
            client.responses().create(ResponseCreateParams.builder().model("gpt-chat").input("after")
                    .previousResponseId(ids.get(2)).build());

            var last = upstream.findAll(postRequestedFor(urlEqualTo("/chat/v1/chat/completions")));
            assertThat(last.get(last.size() - 1).getBodyAsString()).contains("turn 0", "turn 1", "turn 2", "after");
            assertThat(service.log()).contains("Started the embedded PostgreSQL");
        }
    }

    @Test
    void aServiceKilledOutrightStartsAgainAtOnceWithItsEmbeddedDatabase() {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("kept"))));
        String id;
        var first = ServiceProcess.start("before-kill", env());
        try {
            id = client(first).responses().create(ResponseCreateParams.builder().model("gpt-chat").input("hi")
                    .build()).id();
        } finally {
            first.kill();
        }

        // Its PostgreSQL outlived it; the next start stops that one and starts its own, first time.
        long started = System.nanoTime();
        try (var service = ServiceProcess.start("after-kill", env())) {
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;

            assertThat(text(client(service).responses().retrieve(id))).isEqualTo("kept");
            assertThat(service.log()).contains("a previous run of the service left running");
            assertThat(seconds).as("seconds to healthy").isLessThan(60);
            System.out.printf("restart after kill -9: healthy in %d s%n", seconds);
        }
    }

    @Test
    void anEmbeddedDatabaseKilledOutrightIsRestartedAndKeepsWhatWasAcknowledged() throws Exception {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("kept"))));
        try (var service = ServiceProcess.start("database-killed", env())) {
            OpenAIClient client = client(service);
            String id = client.responses().create(ResponseCreateParams.builder().model("gpt-chat").input("hi")
                    .build()).id();
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).trim());

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            long killed = System.nanoTime();
            String after = null;
            while (after == null && System.nanoTime() - killed < 60_000_000_000L) {
                try {
                    after = client.responses().create(ResponseCreateParams.builder().model("gpt-chat")
                            .input("again").previousResponseId(id).build()).id();
                } catch (RuntimeException notYet) {
                    ServiceProcess.sleep(500);
                }
            }
            long seconds = (System.nanoTime() - killed) / 1_000_000_000L;

            assertThat(after).as("a turn stored after the database was restarted").isNotNull();
            assertThat(text(client.responses().retrieve(id))).isEqualTo("kept");
            assertThat(service.log()).contains("restarted the embedded PostgreSQL");
            System.out.printf("embedded PostgreSQL killed: answering again after %d s%n", seconds);
        }
    }

    @Test
    void whileItsDatabaseIsDownTheServiceAnswers503WithRetryAfterBeforePayingTheProvider() throws Exception {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("kept"))));
        Path pgData = Files.createTempDirectory(Path.of("target"), "it-outage").toAbsolutePath();
        EmbeddedPostgres database = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false)
                .start();
        int port = database.getPort();
        Map<String, String> env = env();
        env.put("KAIWA_DATABASE_URL", "postgresql://127.0.0.1:" + port + "/postgres");
        env.put("KAIWA_DATABASE_USERNAME", "postgres");
        try (var service = ServiceProcess.start("database-down", env)) {
            var http = HttpClient.newHttpClient();
            var create = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/responses"))
                    .header("Authorization", "Bearer sk-acme-it").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gpt-chat\",\"input\":\"hi\"}"))
                    .build();
            assertThat(http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            database.close();
            int callsBefore = upstream.findAll(postRequestedFor(urlEqualTo("/chat/v1/chat/completions"))).size();
            var refused = new ArrayList<HttpResponse<String>>();
            for (int i = 0; i < 5; i++) {
                refused.add(http.send(create, HttpResponse.BodyHandlers.ofString()));
            }
            int paid = upstream.findAll(postRequestedFor(urlEqualTo("/chat/v1/chat/completions"))).size()
                    - callsBefore;

            for (var r : refused) {
                assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).contains("2");
                assertThat(r.body()).contains("database_unavailable");
            }
            // Only the first, before anything had told the service its database was gone, reached the provider.
            assertThat(paid).isLessThanOrEqualTo(1);
            assertThat(service.log()).doesNotContain("\tat io.vertx");

            database = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port)
                    .start();
            HttpResponse<String> back = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((back == null || back.statusCode() != 200) && System.nanoTime() < deadline) {
                ServiceProcess.sleep(500);
                back = http.send(create, HttpResponse.BodyHandlers.ofString());
            }
            assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        } finally {
            database.close();
        }
    }

    @Test
    void twoInstancesOnOneDatabaseShareTasksAndRunNoneTwice() throws IOException {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withFixedDelay(300)
                .withBody(chunk("{\"role\":\"assistant\",\"content\":\"done\"}", "stop") + "data: [DONE]\n\n")));
        try (var first = ServiceProcess.start("instance-1", env())) {
            // The second instance finds the database in its configuration file, as a deployment may keep it.
            Path folder = Files.createTempDirectory(Path.of("target"), "instance-2");
            Files.createDirectories(folder.resolve("config"));
            Files.writeString(folder.resolve("config/application.properties"), "kaiwa.database.url=postgresql://"
                    + "127.0.0.1:" + first.embeddedDatabasePort() + "/postgres\nkaiwa.database.username=postgres\n");
            Map<String, String> second = env();
            // Each instance calls the provider with its own key, so the upstream tells which instance ran a task.
            second.put("KAIWA_PROVIDERS_CHAT_API_KEY", "sk-upstream-instance-2");
            try (var other = ServiceProcess.start("instance-2", second, folder.toAbsolutePath())) {
                OpenAIClient a = client(first);
                OpenAIClient b = client(other);
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    ids.add((i % 2 == 0 ? a : b).responses().create(ResponseCreateParams.builder().model("gpt-chat")
                            .input("task " + i).background(true).build()).id());
                }

                for (String id : ids) {
                    Response r = a.responses().retrieve(id);
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (!r.status().map(ResponseStatus.COMPLETED::equals).orElse(false)
                            && System.nanoTime() < deadline) {
                        ServiceProcess.sleep(100);
                        r = a.responses().retrieve(id);
                    }
                    assertThat(r.status()).as(id).contains(ResponseStatus.COMPLETED);
                }
                // Every task reached the provider exactly once, and both instances ran some.
                List<String> keys = upstream.findAll(postRequestedFor(urlEqualTo("/chat/v1/chat/completions")))
                        .stream().map(r -> r.getHeader("Authorization")).toList();
                assertThat(keys).hasSize(12).contains("Bearer sk-upstream-chat", "Bearer sk-upstream-instance-2");
                assertThat(other.log()).doesNotContain("embedded PostgreSQL");
            }
        }
    }
}
