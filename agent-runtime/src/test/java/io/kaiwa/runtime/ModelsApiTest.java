package io.kaiwa.runtime;

import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswers;
import static io.kaiwa.runtime.ResponsesApiTest.createOk;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The model catalogue through the API: the model list, single-turn models, and what responses cost. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class ModelsApiTest {
    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    static JsonNode model(String id) {
        for (JsonNode m : tree(acme().get("/v1/models").asString()).get("data")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no model " + id + " in /v1/models");
    }

    @Test
    void theModelListHasTheCatalogueAndTheConfiguredModelsWithTheirFigures() {
        JsonNode max = model("qwen3-max");
        JsonNode flash = model("qwen-flash");
        JsonNode priced = model("chat-priced");

        assertThat(max.get("object").asText()).isEqualTo("model");
        assertThat(max.get("owned_by").asText()).isEqualTo("chat");
        assertThat(max.get("context_window").asInt()).isEqualTo(262_144);
        assertThat(max.get("thinking").asText()).isEqualTo("optional");
        assertThat(max.at("/pricing/tiers")).hasSize(3);
        assertThat(max.at("/pricing/tiers/0/input").decimalValue()).isEqualByComparingTo("1.2");
        assertThat(max.at("/pricing/tiers/0/cached_input").decimalValue()).isEqualByComparingTo("0.24");
        assertThat(max.get("source").asText()).startsWith("https://");
        assertThat(max.get("source_date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(model("qwen-vl-ocr").get("multi_turn").asBoolean()).isFalse();
        assertThat(model("qwen3-max-2026-01-23").get("owned_by").asText()).isEqualTo("resp");
        assertThat(flash.get("max_output_tokens").asInt()).as("overridden in configuration").isEqualTo(2048);
        assertThat(flash.get("context_window").asInt()).as("the rest kept").isEqualTo(1_000_000);
        assertThat(priced.get("context_window").asInt()).isEqualTo(8192);
        assertThat(priced.at("/pricing/tiers/0/output").decimalValue()).isEqualByComparingTo("2");
        assertThat(priced.get("source").asText()).isEqualTo("configuration");
        assertThat(model("gpt-chat").get("pricing").isNull()).as("a model nothing is known of").isTrue();
    }

    @Test
    void aSingleTurnModelGetsOnlyTheNewInputAndTheResponseSaysSo() {
        chatAnswers("一つ目", "画像の文字です");
        String first = createOk("{\"model\":\"gpt-chat\",\"input\":\"こんにちは\"}");

        JsonNode ocr = tree(acme().body("{\"model\":\"qwen-vl-ocr\",\"input\":\"この画像の文字を読んで\","
                + "\"previous_response_id\":\"" + first + "\"}").post("/v1/responses").asString());

        List<JsonNode> sent = sent("/chat/v1/chat/completions");
        assertThat(sent.get(1).get("messages")).hasSize(1);
        assertThat(sent.get(1).at("/messages/0/content").asText()).isEqualTo("この画像の文字を読んで");
        assertThat(ocr.at("/x_context/single_turn").asBoolean()).isTrue();
        assertThat(ocr.at("/x_context/turns_left_out").asInt()).isEqualTo(1);
        assertThat(tree(acme().get("/v1/responses/" + ocr.get("id").asText()).asString()).at("/x_context/single_turn")
                .asBoolean()).as("kept with the response").isTrue();
    }

    @Test
    void aResponseCarriesItsCostAndTheRunningTotalOfItsChain() {
        // 10 input and 3 output tokens a turn (chatAnswer's usage) at 1 and 2 per million.
        chatAnswers("a", "b");
        String first = createOk("{\"model\":\"chat-priced\",\"input\":\"x\"}");
        String body = acme().body("{\"model\":\"chat-priced\",\"input\":\"y\",\"previous_response_id\":\"" + first
                + "\"}").post("/v1/responses").asString();
        JsonNode second = tree(body);

        JsonNode cost = second.at("/usage/x_cost");
        assertThat(cost.get("currency").asText()).isEqualTo("USD");
        assertThat(cost.get("input").decimalValue()).isEqualByComparingTo("0.00001");
        assertThat(cost.get("output").decimalValue()).isEqualByComparingTo("0.000006");
        assertThat(cost.get("total").decimalValue()).isEqualByComparingTo("0.000016");
        assertThat(cost.get("chain_total").decimalValue()).isEqualByComparingTo("0.000032");
        assertThat(body).contains("\"total\":0.000016,").doesNotContain("E-");
        String metrics = acme().get("/q/metrics").asString();
        assertThat(metrics).containsPattern("kaiwa_cost_USD_total\\{currency=\"USD\",model=\"chat-priced\","
                + "tenant=\"acme\"} [0-9.E-]+");
        assertThat(tree(acme().get("/v1/responses/" + first).asString()).at("/usage/x_cost/chain_total")
                .decimalValue()).isEqualByComparingTo("0.000016");
    }

    @Test
    void aModelWithoutPricesHasNoCostField() {
        chatAnswers("a");

        String id = createOk("{\"model\":\"gpt-chat\",\"input\":\"x\"}");

        assertThat(tree(acme().get("/v1/responses/" + id).asString()).at("/usage").has("x_cost")).isFalse();
    }
}
