package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.CompactionApiTest.chatWithSummaries;
import static io.kaiwa.runtime.CompactionApiTest.modelCalls;
import static io.kaiwa.runtime.RecallApiTest.lastUserText;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.create;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.context.Recall;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Recall on by default, with a provider's OpenAI-compatible {@code /embeddings} as the embedder: what it is sent, and
 * that a provider which cannot embed leaves the turn to go ahead without recall, saying so.
 */
@QuarkusTest
@TestProfile(RecallWithProviderEmbeddingsTest.ProviderEmbeddings.class)
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class RecallWithProviderEmbeddingsTest {
    static final String EMBEDDINGS = "/chat/v1/embeddings";

    /** The chat provider embeds; recall is on for every request that does not say otherwise. */
    public static class ProviderEmbeddings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // TestUpstreams' settings outrank a profile's: it turns recall on through this one.
            return Map.of("kaiwa-test.recall-on", "true", "kaiwa.context.recall.embedder", "chat",
                    "kaiwa.providers.chat.embedding-dimensions", "2");
        }
    }

    @BeforeEach
    void answers() {
        TestUpstreams.upstream.resetAll();
        chatWithSummaries();
    }

    /** chat-recent sends its last two turns (TestUpstreams), so the fourth request leaves the first out. */
    static String chain(String... inputs) {
        String previous = null;
        for (String input : inputs) {
            Response r = create(acme(), "{\"model\":\"chat-recent\",\"input\":\"" + input + "\""
                    + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"") + "}");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            previous = r.jsonPath().getString("id");
        }
        return previous;
    }

    @Test
    void theProvidersEmbeddingsFindTheTurnLeftOut() {
        // The question is embedded alone; the turn left out as two parts: what the user said, and the answer.
        TestUpstreams.upstream.stubFor(post(urlEqualTo(EMBEDDINGS)).atPriority(5).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]}],
                         "model":"text-embedding-v4","usage":{"prompt_tokens":5,"total_tokens":5}}""")));
        TestUpstreams.upstream.stubFor(post(urlEqualTo(EMBEDDINGS)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.input[1]")).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("""
                                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]},
                                 {"object":"embedding","index":1,"embedding":[0.8,-0.6]}],"model":"text-embedding-v4",
                                 "usage":{"prompt_tokens":9,"total_tokens":9}}""")));
        String third = chain("The door code is 4471.", "Nice weather.", "Sort a list?");

        JsonNode fourth = tree(create(acme(), "{\"model\":\"chat-recent\",\"input\":\"What is the door code?\","
                + "\"previous_response_id\":\"" + third + "\"}").asString());

        List<String> embedded = sent(EMBEDDINGS).stream().map(b -> b.get("input").toString()).sorted().toList();
        assertThat(embedded).containsExactly("[\"The door code is 4471.\",\"はい\"]", "[\"What is the door code?\"]");
        assertThat(sent(EMBEDDINGS)).allSatisfy(b -> {
            assertThat(b.get("model").asText()).isEqualTo("text-embedding-v4");
            assertThat(b.get("dimensions").asInt()).isEqualTo(2);
        });
        assertThat(fourth.at("/x_context/recall/embedder").asText()).isEqualTo("text-embedding-v4@2");
        assertThat(fourth.at("/x_context/recall/turns/0/turn").asInt()).isEqualTo(1);
        assertThat(lastUserText(modelCalls().get(3))).startsWith(Recall.HEADING).contains("4471");
    }

    @Test
    void anEmbedderThatFailsLeavesTheTurnToGoAheadWithoutRecallAndSaysSo() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo(EMBEDDINGS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"message\":"
                        + "\"embeddings are off today\",\"type\":\"invalid_request_error\"}}")));
        String third = chain("The door code is 4471.", "Nice weather.", "Sort a list?");

        Response fourth = create(acme(), "{\"model\":\"chat-recent\",\"input\":\"What is the door code?\","
                + "\"previous_response_id\":\"" + third + "\"}");

        assertThat(fourth.statusCode()).as(fourth.asString()).isEqualTo(200);
        JsonNode body = tree(fourth.asString());
        assertThat(body.at("/x_context/recall/failed").asText()).contains("embeddings are off today");
        assertThat(body.at("/x_context/recall/fallback").asText()).isEqualTo("recent_turns");
        assertThat(lastUserText(modelCalls().get(3))).isEqualTo("What is the door code?");
        assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo("はい");
    }
}
