package io.kaiwa.runtime;

import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswers;
import static io.kaiwa.runtime.ResponsesApiTest.createOk;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@code POST /v1/responses/input_tokens}. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class InputTokensApiTest {

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    static Response count(String body) {
        return acme().body(body).post("/v1/responses/input_tokens");
    }

    static long tokens(String body) {
        Response r = count(body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode json = tree(r.asString());
        assertThat(json.get("object").asText()).isEqualTo("response.input_tokens");
        return json.get("input_tokens").asLong();
    }

    @Test
    void countsWhatACreateWouldSendTheChainItsInstructionsAndToolsIncludedWithoutCallingTheProvider() {
        chatAnswers("Nice to meet you, Tanaka. I will remember that you live in Tokyo and keep two cats.");
        String first = createOk(
                "{\"model\":\"gpt-chat\",\"input\":\"My name is Tanaka; I live in Tokyo with two cats.\"}");
        int calls = sent("/chat/v1/chat/completions").size();

        long alone = tokens("{\"model\":\"gpt-chat\",\"input\":\"What is my name?\"}");
        long chained = tokens("{\"model\":\"gpt-chat\",\"input\":\"What is my name?\",\"previous_response_id\":\""
                + first + "\"}");
        long instructed = tokens("{\"model\":\"gpt-chat\",\"input\":\"What is my name?\",\"instructions\":"
                + "\"Answer in one word, politely, in Japanese.\"}");
        long tooled = tokens("{\"model\":\"gpt-chat\",\"input\":\"What is my name?\",\"tools\":[{\"type\":\"function\","
                + "\"name\":\"lookup\",\"description\":\"Looks a person up\",\"parameters\":{\"type\":\"object\"}}]}");

        assertThat(alone).isPositive();
        assertThat(tokens("{\"model\":\"gpt-chat\",\"input\":\"What is my name?\"}")).isEqualTo(alone);
        // The earlier turn's question and answer are about forty tokens.
        assertThat(chained - alone).isBetween(20L, 80L);
        assertThat(instructed).isGreaterThan(alone);
        assertThat(tooled).isGreaterThan(alone);
        assertThat(sent("/chat/v1/chat/completions")).hasSize(calls);
    }

    @Test
    void aConversationsItemsAreCounted() {
        String conversation = tree(acme().body("{\"items\":[{\"role\":\"user\",\"content\":\"My name is Tanaka; "
                + "I live in Tokyo with two cats and a very old dog.\"}]}").post("/v1/conversations").asString())
                .get("id").asText();

        long alone = tokens("{\"model\":\"gpt-chat\",\"input\":\"What is my name?\"}");
        long inConversation = tokens("{\"model\":\"gpt-chat\",\"input\":\"What is my name?\",\"conversation\":\""
                + conversation + "\"}");

        assertThat(inConversation - alone).isBetween(10L, 60L);
    }

    @Test
    void aBadRequestIsRefusedAsACreateWouldBe() {
        assertThat(count("{\"input\":\"x\"}").jsonPath().getString("error.param")).isEqualTo("model");
        assertThat(count("{\"model\":\"gpt-chat\",\"input\":\"x\",\"conversation\":\"conv_1\"}").jsonPath()
                .getString("error.param")).isEqualTo("conversation");
        Response unknown = count("{\"model\":\"gpt-chat\",\"input\":\"x\",\"previous_response_id\":\"resp_"
                + "0".repeat(48) + "\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(count("not json").statusCode()).isEqualTo(400);
        assertThat(sent("/chat/v1/chat/completions")).isEmpty();
    }
}
