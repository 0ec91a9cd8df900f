package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class OperationsTest {

    @Test
    void healthIncludesTheDatabase() {
        var health = given().get("/q/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.jsonPath().getString("status")).isEqualTo("UP");
        assertThat(health.asString()).contains("Reactive PostgreSQL connections health check");
    }

    @Test
    void metricsCountResponsesTokensAndUpstreamLatency() {
        TestUpstreams.upstream.resetAll();
        ResponsesApiTest.chatAnswers("counted");
        acme().body("{\"model\":\"gpt-chat\",\"input\":\"x\"}").post("/v1/responses").then().statusCode(200);

        String metrics = acme().get("/q/metrics").asString();

        assertThat(metrics).containsPattern("kaiwa_responses_total\\{[^}]*mode=\"sync\"[^}]*provider=\"chat\"");
        assertThat(metrics).containsPattern("kaiwa_tokens_total\\{[^}]*kind=\"input\"");
        assertThat(metrics)
                .containsPattern("kaiwa_upstream_duration_seconds_count\\{[^}]*call=\"send\"[^}]*provider=\"chat\"");
        assertThat(metrics).contains("http_server_requests_seconds_count");
    }

    @Test
    void aResponseTheProviderRefusedIsCountedAsFailed() {
        TestUpstreams.upstream.resetAll();
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(429).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}")));
        double before = failedSync(acme().get("/q/metrics").asString());

        acme().body("{\"model\":\"gpt-chat\",\"input\":\"x\"}").post("/v1/responses").then().statusCode(429);

        assertThat(failedSync(acme().get("/q/metrics").asString())).isEqualTo(before + 1);
    }

    private static double failedSync(String metrics) {
        var m = java.util.regex.Pattern
                .compile("kaiwa_responses_total\\{mode=\"sync\",provider=\"chat\",status=\"failed\"} "
                        + "([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void metricsNeedAnApiKeyWhileHealthDoesNot() {
        var anonymous = given().get("/q/metrics");
        var wrongKey = given().header("Authorization", "Bearer sk-nobody").get("/q/metrics/");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.jsonPath().getString("error.code")).isEqualTo("invalid_api_key");
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        assertThat(acme().get("/q/metrics").statusCode()).isEqualTo(200);
        assertThat(given().get("/q/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void theApiIsDescribedInOpenApiAndSwaggerUi() {
        String openapi = given().get("/q/openapi?format=json").asString();

        assertThat(openapi).contains("/v1/responses").contains("/v1/responses/{id}/input_items");
        JsonNode create = ResponsesApiTest.tree(openapi).at("/paths/~1v1~1responses/post");
        assertThat(create.get("operationId").asText()).isEqualTo("createResponse");
        assertThat(create.at("/requestBody/content/application~1json/schema/properties").has("previous_response_id"))
                .isTrue();
        assertThat(create.at("/responses/200/content").has("text/event-stream")).isTrue();
        assertThat(given().get("/q/swagger-ui/").statusCode()).isEqualTo(200);
    }

    @Test
    void modelsListsTheConfiguredModels() {
        var models = acme().get("/v1/models");

        assertThat(models.jsonPath().getList("data.id", String.class)).contains("gpt-chat", "qwen3-max-2026-01-23",
                "qwen-plus-native").doesNotContain("chat-*");
    }
}
