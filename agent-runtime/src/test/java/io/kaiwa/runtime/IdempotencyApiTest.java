package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswer;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code Idempotency-Key} (the header OpenAI's SDKs send, the same on each retry of one request): a retry gets the
 * first response back, never a second provider call.
 */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class IdempotencyApiTest {
    static final String CHAT = "/chat/v1/chat/completions";
    static final String REQUEST = "{\"model\":\"gpt-chat\",\"input\":\"hi\"";

    @BeforeEach
    void answers() {
        TestUpstreams.upstream.resetAll();
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("一度だけ"))));
    }

    static Response create(String key, String body) {
        return acme().header("Idempotency-Key", key).body(body).post("/v1/responses");
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstResponseWithoutASecondProviderCall() {
        String key = "stainless-java-retry-" + UUID.randomUUID();

        Response first = create(key, REQUEST + "}");
        Response again = create(key, REQUEST + "}");
        Response streamed = create(key, REQUEST + ",\"stream\":true}");
        Response otherTenant = given().header("Authorization", "Bearer sk-globex-test")
                .contentType("application/json").header("Idempotency-Key", key).body(REQUEST + "}")
                .post("/v1/responses");

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(tree(again.asString())).isEqualTo(tree(first.asString()));
        List<JsonNode> events = StreamingApiTest.events(streamed.asString());
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("response.completed");
        assertThat(events.get(events.size() - 1).at("/response/id").asText())
                .isEqualTo(first.jsonPath().getString("id"));
        assertThat(otherTenant.jsonPath().getString("id")).isNotEqualTo(first.jsonPath().getString("id"));
        assertThat(sent(CHAT)).as("one call per tenant").hasSize(2);
    }

    @Test
    void aFirstAttemptThatFailedIsNotKeptSoTheRetryIsAnswered() {
        String key = UUID.randomUUID().toString();
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(1).willReturn(aResponse().withStatus(500)
                .withHeader("x-should-retry", "false").withBody("""
                        {"error":{"message":"boom","type":"server_error","code":"internal"}}""")));
        Response failed = create(key, REQUEST + "}");
        TestUpstreams.upstream.resetAll();
        answers();

        Response retried = create(key, REQUEST + "}");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(retried.statusCode()).as(retried.asString()).isEqualTo(200);
        assertThat(retried.jsonPath().getString("output[0].content[0].text")).isEqualTo("一度だけ");
    }

    @Test
    void aRetryWhileTheFirstIsStillBeingAnsweredIs409AndLaterGetsTheFirstsAnswer() throws Exception {
        String key = UUID.randomUUID().toString();
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withFixedDelay(1_500).withHeader("Content-Type", "application/json")
                .withBody(chatAnswer("一度だけ"))));
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> create(key, REQUEST + "}"));
        long deadline = System.currentTimeMillis() + 5_000;
        while (sent(CHAT).isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }

        Response during = create(key, REQUEST + "}");
        Response firstAnswer = first.get();
        Response after = create(key, REQUEST + "}");

        assertThat(during.statusCode()).as(during.asString()).isEqualTo(409);
        assertThat(during.jsonPath().getString("error.code")).isEqualTo("idempotency_key_in_use");
        assertThat(after.jsonPath().getString("id")).isEqualTo(firstAnswer.jsonPath().getString("id"));
        assertThat(sent(CHAT)).hasSize(1);
    }

    @Test
    void aKeyTooLongIsABadRequestNamingTheHeader() {
        Response r = create("k".repeat(256), REQUEST + "}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.jsonPath().getString("error.param")).isEqualTo("Idempotency-Key");
        assertThat(sent(CHAT)).isEmpty();
    }
}
