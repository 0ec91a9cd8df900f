package io.kaiwa.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.chat.Fixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.kaiwa.core.context.Recall;
import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.testing.UpstreamTest;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

class OpenAiEmbedderTest extends UpstreamTest {
    private static final String PATH = "/compatible-mode/v1/embeddings";

    private static OpenAiEmbedder.Builder embedder() {
        return OpenAiEmbedder.builder().baseUrl(upstream.baseUrl() + "/compatible-mode/v1").apiKey("sk-test")
                .vertx(vertx).retryPolicy(Fixtures.QUICK_RETRIES);
    }

    /** An answer in DashScope's compatible-mode shape, its vectors listed last index first. */
    private static String answer(int count) {
        var data = new StringBuilder();
        for (int i = count - 1; i >= 0; i--) {
            data.append(data.isEmpty() ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i)
                    .append(",\"embedding\":[").append(i + 1).append(",0,0]}");
        }
        return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-v4\",\"usage\":"
                + "{\"prompt_tokens\":12,\"total_tokens\":12},\"id\":\"73591b79-d194-9bca-8bb5-xxxxxxxxxxxx\"}";
    }

    private static List<JsonNode> sent() {
        var out = new ArrayList<JsonNode>();
        for (LoggedRequest r : upstream.findAll(postRequestedFor(urlEqualTo(PATH)))) {
            out.add(KaiwaJson.parse(r.getBodyAsString()));
        }
        return out;
    }

    @Test
    void sendsTenTextsARequestAndGivesTheVectorsInTheTextsOrder() {
        upstream.stubFor(post(urlEqualTo(PATH)).inScenario("batches").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(answer(10)))
                .willSetStateTo("second"));
        upstream.stubFor(post(urlEqualTo(PATH)).inScenario("batches").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(answer(2))));
        var texts = new ArrayList<String>();
        for (int i = 0; i < 12; i++) {
            texts.add("text " + i);
        }
        texts.set(11, "");

        try (var e = embedder().dimensions(512).build()) {
            List<float[]> vectors = e.embed(texts).await().atMost(WAIT);

            assertThat(vectors).hasSize(12);
            assertThat(vectors.get(0)).containsExactly(1, 0, 0);
            assertThat(vectors.get(9)).containsExactly(1, 0, 0);
            assertThat(Recall.similarity(vectors.get(3), vectors.get(3))).isCloseTo(1.0, within(1e-6));
            assertThat(e.model()).isEqualTo("text-embedding-v4@512");
        }
        List<JsonNode> sent = sent();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).get("model").asText()).isEqualTo("text-embedding-v4");
        assertThat(sent.get(0).get("input")).hasSize(10);
        assertThat(sent.get(0).get("dimensions").asInt()).isEqualTo(512);
        assertThat(sent.get(0).get("encoding_format").asText()).isEqualTo("float");
        assertThat(sent.get(1).get("input").toString()).isEqualTo("[\"text 10\",\" \"]");
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo(PATH))).get(0).getHeader("Authorization"))
                .isEqualTo("Bearer sk-test");
    }

    @Test
    void aRefusedKeyIsAnAuthenticationFailureAndNoKeyFailsBeforeSending() {
        upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(401).withHeader("Content-Type",
                "application/json").withBody(
                        "{\"error\":{\"message\":\"Incorrect API key provided.\","
                                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));

        try (var refused = embedder().build();
                var keyless = OpenAiEmbedder.builder().baseUrl(upstream.baseUrl()).apiKeyFromEnvironment(
                        "KAIWA_TEST_NO_SUCH_VARIABLE").vertx(vertx).build()) {
            Throwable a = refused.embed(List.of("x")).subscribe().withSubscriber(UniAssertSubscriber.create())
                    .awaitFailure(WAIT).getFailure();
            Throwable b = keyless.embed(List.of("x")).subscribe().withSubscriber(UniAssertSubscriber.create())
                    .awaitFailure(WAIT).getFailure();

            assertThat(a).isInstanceOf(AuthenticationException.class).hasMessageContaining("Incorrect API key");
            assertThat(b).isInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("KAIWA_TEST_NO_SUCH_VARIABLE");
        }
        assertThat(sent()).hasSize(1);
    }

    @Test
    void anAnswerWithTheWrongNumberOfVectorsIsRefused() {
        upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(answer(1))));

        try (var e = embedder().build()) {
            Throwable failure = e.embed(List.of("a", "b")).subscribe().withSubscriber(UniAssertSubscriber.create())
                    .awaitFailure(WAIT).getFailure();

            assertThat(failure).isInstanceOf(InvalidPayloadException.class).hasMessageContaining("1 vectors for 2");
        }
    }
}
