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
