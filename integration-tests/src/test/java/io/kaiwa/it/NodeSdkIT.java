package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.kaiwa.it.OpenAiClientIT.chatAnswer;
import static io.kaiwa.it.OpenAiClientIT.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

/**
 * The official OpenAI Node SDK (HTTP, streaming, its WebSocket client, compaction) and the OpenAI Agents SDK (a
 * function-tool agent) against the packaged service: {@code src/test/node/sdk.test.mjs}, run with Node's own test
 * runner, WireMock answering its prompts as a chat model would.
 */
class NodeSdkIT {
    static final String CHAT = "/chat/v1/chat/completions";

    WireMockServer upstream;
    Path work;

    @BeforeEach
    void start() throws Exception {
        Extras.assume(OpenResponsesConformanceIT.nodeVersion() >= 20,
                "needs Node.js 20 or newer and npm (.ci/run installs them)");
        work = Path.of("target", "node-sdk").toAbsolutePath();
        OpenResponsesConformanceIT.copy(Path.of("src", "test", "node"), work);
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
    }

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.stop();
        }
    }

    /** Both forms of an answer (whole and streamed) to a request holding every one of {@code holding}. */
    void answer(int priority, String text, String... holding) {
        MappingBuilder whole = post(urlEqualTo(CHAT)).atPriority(priority);
        MappingBuilder streamed = post(urlEqualTo(CHAT)).atPriority(priority)
                .withRequestBody(containing("\"stream\":true"));
        for (String h : holding) {
            whole = whole.withRequestBody(containing(h));
            streamed = streamed.withRequestBody(containing(h));
        }
        upstream.stubFor(whole.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(chatAnswer(text))));
        String half = text.substring(0, text.length() / 2);
        upstream.stubFor(streamed.atPriority(priority - 1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream")
                .withBody(chunk("{\"role\":\"assistant\",\"content\":\"" + half + "\"}", null)
                        + chunk("{\"content\":\"" + text.substring(half.length()) + "\"}", null) + chunk("{}", "stop")
                        + "data: [DONE]\n\n")));
    }

    @Test
    void theNodeSdkAndTheAgentsSdkWorkUnchanged() throws Exception {
        answer(10, "The user said they launch on Tuesday.", "You keep the memory of a conversation");
        answer(20, "Your name is Ada.", "my name is Ada", "what is my name");
        answer(30, "Nice to meet you, Ada.", "my name is Ada");
        answer(20, "plum", "remember plum", "what was the word");
        answer(30, "OK", "remember plum");
        answer(30, "Hello from Kaiwa.", "node: hello");
        answer(20, "It is sunny in Paris.", "weather in Paris", "sunny in Paris");
        String toolCall = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_p1\",\"type\":"
                + "\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}";
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(30).withRequestBody(containing("weather in Paris"))
                .withRequestBody(not(containing("sunny in Paris"))).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("""
                                {"id":"chatcmpl-t","object":"chat.completion","created":1769084048,"model":"gpt-chat",
                                 "choices":[{"index":0,"message":%s,"finish_reason":"tool_calls"}],
                                 "usage":{"prompt_tokens":30,"completion_tokens":9,"total_tokens":39}}"""
                                .formatted(toolCall))));
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(29).withRequestBody(containing("weather in Paris"))
                .withRequestBody(not(containing("sunny in Paris"))).withRequestBody(containing("\"stream\":true"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody(chunk(toolCall.replace("[{\"id\"", "[{\"index\":0,\"id\""), null)
                                + chunk("{}", "tool_calls") + "data: [DONE]\n\n")));

        Path data = Files.createTempDirectory(Path.of("target"), "it-node").toAbsolutePath();
        try (var service = ServiceProcess.start("node-sdk",
                ServiceProcess.environment(data, "http://127.0.0.1:" + upstream.port()))) {
            if (!Files.isDirectory(work.resolve("node_modules/openai"))) {
                Process install = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund")
                        .directory(work.toFile())
                        .redirectErrorStream(true).redirectOutput(work.resolve("npm.log").toFile()).start();
                assertThat(install.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(install.exitValue()).as(Files.readString(work.resolve("npm.log"))).isZero();
            }
            var builder = new ProcessBuilder("node", "--test", "--test-reporter=tap", "sdk.test.mjs")
                    .directory(work.toFile()).redirectErrorStream(true)
                    .redirectOutput(work.resolve("test.log").toFile());
            builder.environment().put("KAIWA_BASE_URL", service.baseUrl());
            builder.environment().put("KAIWA_API_KEY", "sk-acme-it");
            builder.environment().put("OPENAI_AGENTS_DISABLE_TRACING", "1");
            Process node = builder.start();
            assertThat(node.waitFor(5, TimeUnit.MINUTES)).as("node --test finished").isTrue();
            String log = Files.readString(work.resolve("test.log"), StandardCharsets.UTF_8);
            System.out.println(log);
            assertThat(node.exitValue()).as(log).isZero();
            assertThat(log).contains("# pass 7").contains("# fail 0");
        }
    }
}
