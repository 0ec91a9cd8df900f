package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.BudgetApiTest.as;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswer;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Per-tenant rate limits ({@code kaiwa.rate-limits.<tenant>.*}): past them a request is a 429 with
 * {@code Retry-After} and OpenAI's {@code x-ratelimit-*} headers, the provider is not called, and other tenants are
 * served as before.
 */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class RateLimitApiTest {
    static final String CHAT = "/chat/v1/chat/completions";
    static final String REQUEST = "{\"model\":\"gpt-chat\",\"input\":\"hi\"}";

    @BeforeEach
    void answers() {
        TestUpstreams.upstream.resetAll();
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("はい"))));
    }

    @Test
    void pastItsRequestsAMinuteATenantIsRefusedWithRetryAfterAndOthersAreNot() {
        Response one = as("stark").body(REQUEST).post("/v1/responses");
        Response two = as("stark").body(REQUEST).post("/v1/responses");
        int calls = sent(CHAT).size();

        Response refused = as("stark").body(REQUEST).post("/v1/responses");
        Response other = acme().body(REQUEST).post("/v1/responses");

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(429);
        assertThat(refused.jsonPath().getString("error.type")).isEqualTo("rate_limit_error");
        assertThat(refused.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 30);
        assertThat(refused.header("x-ratelimit-limit-requests")).isEqualTo("2");
        assertThat(refused.header("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(refused.header("x-ratelimit-reset-requests")).matches("\\d+(ms|s)");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(sent(CHAT)).as("the refused request was not sent").hasSize(calls + 1);
    }

    @Test
    void pastItsTokensAMinuteATenantIsRefusedUntilTheMinuteGivesThemBack() {
        // 13 tokens a call against 20 a minute: the second goes (7 left), the third is refused (-6).
        Response one = as("wayne").body(REQUEST).post("/v1/responses");
        Response two = as("wayne").body(REQUEST).post("/v1/responses");
        Response refused = as("wayne").body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"stream\":true}")
                .post("/v1/responses");

        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(two.statusCode()).isEqualTo(200);
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(429);
        assertThat(refused.header("x-ratelimit-limit-tokens")).isEqualTo("20");
        assertThat(refused.header("x-ratelimit-remaining-tokens")).isEqualTo("0");
        // Six tokens over, at twenty a minute: 18 s.
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(17, 19);
    }
}
