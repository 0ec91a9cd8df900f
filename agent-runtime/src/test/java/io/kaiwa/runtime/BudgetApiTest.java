package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswer;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Per-tenant budgets through the API: what each response costs is added to its tenant's spend, whether it was
 * answered whole, streamed or run in the background; once the limit is reached, new requests are 429
 * {@code insufficient_quota} and nothing is sent to the provider.
 */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class BudgetApiTest {
    static final String CHAT = "/chat/v1/chat/completions";
    static final String REQUEST = "{\"model\":\"chat-priced\",\"input\":\"hi\"";

    static RequestSpecification as(String tenant) {
        return given().header("Authorization", "Bearer sk-" + tenant + "-test").contentType("application/json");
    }

    @BeforeEach
    void answers() {
        TestUpstreams.upstream.resetAll();
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("はい"))));
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(1)
                .withRequestBody(containing("\"stream\":true"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(
                        StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":\"はい\"}", "stop")
                                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                                + "\"model\":\"chat-priced\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
                                + "\"completion_tokens\":3,\"total_tokens\":13}}\n\n" + "data: [DONE]\n\n")));
    }

    static JsonNode awaitEnd(String tenant, String id) {
        return BackgroundApiTest.awaitStatus(() -> as(tenant), id, "completed", "failed", "cancelled", "incomplete");
    }

    @Test
    void aTenantIsRefusedOnceItsMonthsBudgetIsSpentWholeAndBackgroundResponsesCounted() {
        Response first = as("initech").body(REQUEST + "}").post("/v1/responses");
        Response queued = as("initech").body(REQUEST + ",\"background\":true}").post("/v1/responses");
        JsonNode background = awaitEnd("initech", queued.jsonPath().getString("id"));
        int callsBefore = sent(CHAT).size();

        Response refused = as("initech").body(REQUEST + "}").post("/v1/responses");
        Response refusedStream = as("initech").body(REQUEST + ",\"stream\":true}").post("/v1/responses");

        assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
        assertThat(tree(first.asString()).at("/usage/x_cost/total").decimalValue()).isEqualByComparingTo("0.000016");
        assertThat(background.get("status").asText()).isEqualTo("completed");
        for (Response r : new Response[]{refused, refusedStream}) {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(429);
            assertThat(r.jsonPath().getString("error.type")).isEqualTo("insufficient_quota");
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("insufficient_quota");
            assertThat(r.jsonPath().getString("error.message")).contains("0.000032 USD")
                    .contains("0.00003 USD").contains(YearMonth.now(ZoneOffset.UTC).toString())
                    .contains("kaiwa.budgets.initech.limit");
        }
        assertThat(sent(CHAT)).hasSize(callsBefore);
        JsonNode budget = tree(as("initech").get("/v1/budget").asString());
        assertThat(budget).isEqualTo(tree("""
                {"object":"budget","period":"%s","currency":"USD","limit":0.00003,"remaining":0,
                 "spent":0.000032}""".formatted(YearMonth.now(ZoneOffset.UTC))));
    }

    @Test
    void aStreamedResponseCountsAndAFullBudgetStopsCompactionsToo() {
        var events = StreamingApiTest.events(as("umbrella").body(REQUEST + ",\"stream\":true}").post("/v1/responses")
                .asString());
        Response refused = as("umbrella").body("{\"model\":\"chat-priced\",\"input\":\"x\"}")
                .post("/v1/responses/compact");

        assertThat(events.get(events.size() - 1).at("/response/usage/x_cost/total").decimalValue())
                .isEqualByComparingTo("0.000016");
        assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(429);
        assertThat(refused.jsonPath().getString("error.message")).contains("its budget of 0.00001 USD;")
                .doesNotContain("next month");
        assertThat(tree(as("umbrella").get("/v1/budget").asString()).get("period").asText()).isEqualTo("total");
    }

    @Test
    void aCompactionIsChargedWhatItsSummaryCost() {
        CompactionApiTest.chatWithSummaries();
        BigDecimal before = spent("hooli");
        String one = as("hooli").body(REQUEST + "}").post("/v1/responses").jsonPath().getString("id");

        Response compacted = as("hooli").body("{\"model\":\"chat-priced\",\"previous_response_id\":\"" + one + "\"}")
                .post("/v1/responses/compact");

        assertThat(compacted.statusCode()).as(compacted.asString()).isEqualTo(200);
        BigDecimal summary = tree(compacted.asString()).at("/usage/x_cost/total").decimalValue();
        assertThat(summary).isEqualByComparingTo("0.000016");
        assertThat(spent("hooli").subtract(before)).isEqualByComparingTo("0.000032");
    }

    @Test
    void aClientThatLeavesMidStreamIsStillChargedForWhatWasSentAndStreamed() throws Exception {
        var body = new StringBuilder(StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (int i = 0; i < 20; i++) {
            body.append(StreamingApiTest.chunk("{\"content\":\"token" + i + " \"}", null));
        }
        body.append(StreamingApiTest.chunk("{}", "stop")).append("data: [DONE]\n\n");
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(body.toString())
                .withChunkedDribbleDelay(22, 2_000)));
        BigDecimal before = spent("hooli");
        String request = REQUEST.replace("\"hi\"", "\"" + "a long question ".repeat(50) + "\"")
                + ",\"stream\":true}";

        StreamingApiTest.readStreamUntil("sk-hooli-test", request, "token1 ");

        // Nothing is stored for it, but the input went to the provider and two deltas came back: about 200 tokens
        // in at 1 USD and a few out at 2 USD a million.
        long deadline = System.currentTimeMillis() + 10_000;
        BigDecimal charged;
        do {
            Thread.sleep(100);
            charged = spent("hooli").subtract(before);
        } while (charged.signum() == 0 && System.currentTimeMillis() < deadline);
        assertThat(charged).isBetween(new BigDecimal("0.0001"), new BigDecimal("0.0003"));
    }

    static BigDecimal spent(String tenant) {
        return tree(as(tenant).get("/v1/budget").asString()).get("spent").decimalValue();
    }

    @Test
    void aTenantWithoutABudgetIsNeverRefusedAndSeesNoneOnItsBudget() {
        assertThat(acme().body(REQUEST + "}").post("/v1/responses").statusCode()).isEqualTo(200);

        JsonNode budget = tree(acme().get("/v1/budget").asString());

        assertThat(budget.get("limit").isNull()).isTrue();
        assertThat(budget.get("spent").isNull()).isTrue();
        assertThat(budget.get("object").asText()).isEqualTo("budget");
    }

    @Test
    void theBudgetIsTheCallersOwnAndNeedsItsKey() {
        assertThat(given().get("/v1/budget").statusCode()).isEqualTo(401);
    }
}
