package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.CompactionApiTest.CHAT;
import static io.kaiwa.runtime.CompactionApiTest.chatWithSummaries;
import static io.kaiwa.runtime.CompactionApiTest.modelCalls;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.create;
import static io.kaiwa.runtime.ResponsesApiTest.providerResponse;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.context.Recall;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Recall through the API, with the in-process embedding model: an earlier turn the request does not carry comes
 * back, marked, when the new input asks about it.
 */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class RecallApiTest {
    static final String POLICY = ",\"context_management\":[{\"type\":\"last_turns\",\"turns\":1,\"block\":1},"
            + "{\"type\":\"recall\",\"top_k\":1}]";

    @BeforeEach
    void answers() {
        TestUpstreams.upstream.resetAll();
        chatWithSummaries();
    }

    static JsonNode turn(String previous, String input) {
        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"" + input + "\""
                + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"") + POLICY + "}");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return tree(r.asString());
    }

    static String lastUserText(JsonNode call) {
        JsonNode messages = call.get("messages");
        JsonNode content = messages.get(messages.size() - 1).get("content");
        if (content.isTextual()) {
            return content.asText();
        }
        var sb = new StringBuilder();
        content.forEach(p -> sb.append(p.get("text").asText()));
        return sb.toString();
    }

    @Test
    void aFactLeftOutOfTheRequestComesBackMarkedWhenAskedAbout() {
        String previous = null;
        for (String said : List.of("私の猫の名前はミケです。", "今日は天気がいいですね。", "How do I sort a list in Python?")) {
            previous = turn(previous, said).get("id").asText();
        }

        JsonNode asked = turn(previous, "猫の名前は何でしたっけ?");
        JsonNode next = turn(asked.get("id").asText(), "ありがとう");
        // The same question again from the same turn: every vector is made, only the question is embedded.
        JsonNode again = turn(previous, "猫の名前は何でしたっけ?");

        String sent = lastUserText(modelCalls().get(3));
        assertThat(sent).startsWith(Recall.HEADING).contains("[Turn 1]\nUser: 私の猫の名前はミケです。\nAssistant: はい")
                .doesNotContain("天気").endsWith(Recall.END + "\n\n猫の名前は何でしたっけ?");
        assertThat(asked.at("/x_context/recall/turns/0/turn").asInt()).isEqualTo(1);
        assertThat(asked.at("/x_context/recall/turns")).hasSize(1);
        assertThat(asked.at("/x_context/recall/embedder").asText()).isEqualTo("all-minilm-l6-v2-q");
        // Each turn is embedded once, when it first leaves the request: the first one a turn earlier.
        assertThat(asked.at("/x_context/recall/embedded").asInt()).isEqualTo(1);
        assertThat(asked.at("/x_context/recall/candidates").asInt()).isEqualTo(2);
        // The recalled turn is not kept in the stored input: the next request carries the question as asked.
        JsonNode fifth = modelCalls().get(4).get("messages");
        assertThat(fifth.get(0).get("content").asText()).isEqualTo("猫の名前は何でしたっけ?");
        assertThat(next.at("/x_context/recall/embedded").asInt()).as("only the turn that just left").isEqualTo(1);
        assertThat(again.at("/x_context/recall/embedded").asInt()).isZero();
        assertThat(again.at("/x_context/recall/turns/0/turn").asInt()).isEqualTo(1);
    }

    @Test
    void aResponsesProviderGetsTheRecalledTurnsWithTheInstructionsWhichItsChainDoesNotKeep() {
        String path = "/resp/v1/responses";
        TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(providerResponse("up_1", "はい"))));
        String previous = null;
        for (String said : List.of("私の猫の名前はミケです。", "今日は天気がいいですね。", "How do I sort a list in Python?",
                "猫の名前は何でしたっけ?")) {
            Response r = create(acme(), "{\"model\":\"qwen3-max-2026-01-23\",\"instructions\":\"短く答えて\","
                    + "\"input\":\"" + said + "\"" + (previous == null
                            ? ""
                            : ",\"previous_response_id\":\""
                                    + previous + "\"")
                    + POLICY + "}");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            previous = r.jsonPath().getString("id");
        }

        JsonNode asked = sent(path).get(3);
        assertThat(asked.get("instructions").asText()).startsWith("短く答えて\n\n" + Recall.HEADING)
                .contains("[Turn 1]\nUser: 私の猫の名前はミケです。");
        assertThat(asked.get("input").toString()).doesNotContain(Recall.HEADING).contains("猫の名前は何でしたっけ?");
    }

    @Test
    void nothingIsEmbeddedWhileTheRequestCarriesEveryTurn() {
        String first = turn(null, "私の猫の名前はミケです。").get("id").asText();

        JsonNode second = turn(first, "猫の名前は?");

        assertThat(second.has("x_context")).isFalse();
        assertThat(lastUserText(modelCalls().get(1))).isEqualTo("猫の名前は?");
    }

    @Test
    void aBadRecallEntryIsABadRequestNamingTheField() {
        Response noTopK = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"context_management\":"
                + "[{\"type\":\"recall\",\"top_k\":0}]}");
        Response threshold = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"context_management\":"
                + "[{\"type\":\"recall\",\"threshold\":1.5}]}");

        assertThat(noTopK.statusCode()).isEqualTo(400);
        assertThat(noTopK.jsonPath().getString("error.param")).isEqualTo("context_management[0].top_k");
        assertThat(threshold.statusCode()).isEqualTo(400);
        assertThat(threshold.jsonPath().getString("error.param")).isEqualTo("context_management[0].threshold");
        assertThat(sent(CHAT)).isEmpty();
    }
}
