package example;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.kaiwa.responses.ResponsesAdapter;

/** The example against a local WireMock that answers as Model Studio's Responses API does. */
class RememberNameTest {
    WireMockServer upstream;

    @BeforeEach
    void start() {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
    }

    @AfterEach
    void stop() {
        upstream.stop();
    }

    static String response(String id, String text) {
        return """
                {"id":"%s","object":"response","created_at":%d,"status":"completed",
                 "model":"qwen3-max-2026-01-23","output":[{"type":"message","id":"msg_%s","role":"assistant",
                 "status":"completed","content":[{"type":"output_text","text":"%s","annotations":[]}]}],
                 "usage":{"input_tokens":20,"output_tokens":5,"total_tokens":25}}""".formatted(id,
                // The provider keeps a response for a while: one created long ago would not be chained.
                System.currentTimeMillis() / 1000, id, text);
    }

    @Test
    void theSecondTurnSendsOnlyItsInputAndTheFirstResponsesId() {
        upstream.stubFor(post(urlEqualTo("/v1/responses")).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(response("resp_1", "Nice to meet you."))));
        upstream.stubFor(post(urlEqualTo("/v1/responses")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.previous_response_id", equalTo("resp_1")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(response("resp_2", "Tanaka."))));

        List<String> answers;
        try (ResponsesAdapter adapter = ResponsesAdapter.builder().model("qwen3-max-2026-01-23")
                .baseUrl(upstream.baseUrl() + "/v1").apiKey("sk-example").build()) {
            answers = RememberName.run(adapter);
        }

        assertEquals(List.of("Nice to meet you.", "Tanaka."), answers);
        // The second request: the new input alone, chained to the first response kept by the provider.
        upstream.verify(1, postRequestedFor(urlEqualTo("/v1/responses"))
                .withRequestBody(matchingJsonPath("$.previous_response_id", equalTo("resp_1")))
                .withRequestBody(matchingJsonPath("$.input", equalTo("What is my name?"))));
    }
}
