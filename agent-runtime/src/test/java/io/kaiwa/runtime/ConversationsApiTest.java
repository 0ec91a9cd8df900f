package io.kaiwa.runtime;

import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswers;
import static io.kaiwa.runtime.ResponsesApiTest.create;
import static io.kaiwa.runtime.ResponsesApiTest.globex;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The Conversations API and the {@code conversation} parameter of create. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class ConversationsApiTest {
    static final String CHAT = "/chat/v1/chat/completions";

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    static JsonNode json(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return tree(r.asString());
    }

    static String conversation(String body) {
        JsonNode c = json(acme().body(body).post("/v1/conversations"));
        assertThat(c.get("object").asText()).isEqualTo("conversation");
        return c.get("id").asText();
    }

    @Test
    void aConversationHoldsItsItemsAndMetadataAndBelongsToItsTenant() {
        String id = conversation("""
                {"metadata":{"topic":"cats"},"items":[{"type":"message","role":"user","content":"I keep two cats."},
                 {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Noted."}]}]}""");

        JsonNode read = json(acme().get("/v1/conversations/" + id));
        assertThat(read.at("/metadata/topic").asText()).isEqualTo("cats");
        JsonNode items = json(acme().get("/v1/conversations/" + id + "/items?order=asc"));
        assertThat(items.get("data")).hasSize(2);
        assertThat(items.at("/data/0/content").asText()).isEqualTo("I keep two cats.");
        String first = items.at("/data/0/id").asText();
        assertThat(first).startsWith("msg_");
        assertThat(items.get("first_id").asText()).isEqualTo(first);
        assertThat(items.get("has_more").asBoolean()).isFalse();

        // An item sent again with the id it was given is already there: it is not added twice.
        json(acme().body("{\"items\":[" + items.get("data").get(0) + "]}").post("/v1/conversations/" + id + "/items"));
        assertThat(json(acme().get("/v1/conversations/" + id + "/items")).get("data")).hasSize(2);
        JsonNode added = json(acme().body("{\"items\":[{\"role\":\"user\",\"content\":\"And a dog.\"}]}")
                .post("/v1/conversations/" + id + "/items"));
        String dog = added.at("/data/0/id").asText();
        JsonNode page = json(acme().get("/v1/conversations/" + id + "/items?limit=2&order=desc"));
        assertThat(page.get("data")).extracting(i -> i.get("id").asText()).hasSize(2).startsWith(dog);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode rest = json(acme().get("/v1/conversations/" + id + "/items?order=desc&after="
                + page.get("last_id").asText()));
        assertThat(rest.get("data")).extracting(i -> i.get("id").asText()).containsExactly(first);
        assertThat(json(acme().get("/v1/conversations/" + id + "/items/" + dog)).get("content").asText())
                .isEqualTo("And a dog.");
        assertThat(json(acme().delete("/v1/conversations/" + id + "/items/" + dog)).get("id").asText())
                .isEqualTo(id);
        assertThat(acme().get("/v1/conversations/" + id + "/items/" + dog).statusCode()).isEqualTo(404);
        assertThat(json(acme().body("{\"metadata\":{\"topic\":\"pets\"}}").post("/v1/conversations/" + id))
                .at("/metadata/topic").asText()).isEqualTo("pets");

        // Another tenant sees nothing of it.
        assertThat(globex().get("/v1/conversations/" + id).statusCode()).isEqualTo(404);
        assertThat(globex().get("/v1/conversations/" + id + "/items").statusCode()).isEqualTo(404);
        assertThat(globex().body("{\"items\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .post("/v1/conversations/" + id + "/items").statusCode()).isEqualTo(404);
        assertThat(globex().delete("/v1/conversations/" + id).statusCode()).isEqualTo(404);

        assertThat(json(acme().delete("/v1/conversations/" + id)).get("deleted").asBoolean()).isTrue();
        assertThat(acme().get("/v1/conversations/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aResponseInAConversationIsSentItsItemsFirstAndAddsItsOwnWhenItCompletes() {
        chatAnswers("Two cats.", "Tanaka.");
        String id = conversation("{\"items\":[{\"role\":\"user\",\"content\":\"My name is Tanaka.\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello Tanaka.\"}]}");

        JsonNode r = json(create(acme(), "{\"model\":\"gpt-chat\",\"conversation\":\"" + id + "\","
                + "\"input\":\"I keep two cats. How many cats?\"}"));
        assertThat(r.at("/conversation/id").asText()).isEqualTo(id);
        json(create(acme(), "{\"model\":\"gpt-chat\",\"conversation\":{\"id\":\"" + id + "\"},"
                + "\"input\":\"What is my name?\"}"));

        List<JsonNode> calls = sent(CHAT);
        assertThat(calls.get(0).get("messages")).extracting(m -> m.get("content").asText()).containsExactly(
                "My name is Tanaka.", "Hello Tanaka.", "I keep two cats. How many cats?");
        assertThat(calls.get(1).get("messages")).extracting(m -> m.get("content").asText()).containsExactly(
                "My name is Tanaka.", "Hello Tanaka.", "I keep two cats. How many cats?", "Two cats.",
                "What is my name?");
        JsonNode items = json(acme().get("/v1/conversations/" + id + "/items?limit=100&order=asc"));
        assertThat(items.get("data")).hasSize(6);
        assertThat(items.at("/data/5/content/0/text").asText()).isEqualTo("Tanaka.");
    }

    @Test
    void aCompactionMadeInAConversationStandsForItsEarlierItemsInTheNextTurns() {
        CompactionApiTest.chatWithSummaries();
        String id = conversation("{}");
        for (String marker : List.of("一", "二", "三")) {
            json(create(acme(), "{\"model\":\"gpt-chat\",\"conversation\":\"" + id + "\",\"input\":\""
                    + CompactionApiTest.longText(marker) + "\"" + CompactionApiTest.MANAGED + "}"));
        }
        json(create(acme(), "{\"model\":\"gpt-chat\",\"conversation\":\"" + id + "\",\"input\":\"猫は何匹?\""
                + CompactionApiTest.MANAGED + "}"));

        assertThat(CompactionApiTest.summarizerCalls()).hasSize(1);
        JsonNode fourth = CompactionApiTest.modelCalls().get(3).get("messages");
        assertThat(fourth.get(0).get("content").asText()).contains(CompactionApiTest.SUMMARY);
        assertThat(fourth.toString()).doesNotContain("一。").doesNotContain("二。");
        JsonNode items = json(acme().get("/v1/conversations/" + id + "/items?limit=100"));
        assertThat(items.get("data")).extracting(i -> i.get("type").asText()).contains("compaction");
    }

    @Test
    void aBackgroundResponseInAConversationAddsItsItemsWhenItCompletes() throws InterruptedException {
        BackgroundApiTest.slowChatAnswer("Later.", 0);
        String id = conversation("{}");

        JsonNode queued = json(create(acme(), "{\"model\":\"gpt-chat\",\"background\":true,\"conversation\":\""
                + id + "\",\"input\":\"Answer when you can.\"}"));
        assertThat(queued.at("/conversation/id").asText()).isEqualTo(id);

        BackgroundApiTest.awaitStatus(queued.get("id").asText(), "completed");
        JsonNode items = null;
        // Added once the task's end is stored, just after the status reads completed.
        for (int i = 0; i < 50 && (items == null || items.get("data").size() < 2); i++) {
            Thread.sleep(100);
            items = json(acme().get("/v1/conversations/" + id + "/items?order=asc"));
        }
        assertThat(items.get("data")).extracting(i -> i.get("type").asText()).containsExactly("message", "message");
        assertThat(items.at("/data/1/content/0/text").asText()).isEqualTo("Later.");
    }

    @Test
    void badConversationRequestsAreRefusedNamingTheField() {
        String id = conversation("{}");
        assertThat(create(acme(), "{\"model\":\"gpt-chat\",\"conversation\":\"" + id + "\",\"previous_response_id\":"
                + "\"resp_" + "0".repeat(48) + "\",\"input\":\"x\"}").jsonPath().getString("error.param"))
                .isEqualTo("conversation");
        Response unknown = create(acme(), "{\"model\":\"gpt-chat\",\"conversation\":\"conv_missing\",\"input\":\"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.jsonPath().getString("error.param")).isEqualTo("conversation");
        assertThat(create(globex(), "{\"model\":\"gpt-chat\",\"conversation\":\"" + id + "\",\"input\":\"x\"}")
                .statusCode()).isEqualTo(404);
        assertThat(acme().body("{\"items\":[{\"type\":\"wizardry\"}]}").post("/v1/conversations").jsonPath()
                .getString("error.param")).isEqualTo("items[0].type");
        assertThat(acme().body("{\"metadata\":{\"k\":1}}").post("/v1/conversations").jsonPath()
                .getString("error.param")).isEqualTo("metadata.k");
        assertThat(acme().get("/v1/conversations/" + id + "/items?limit=0").jsonPath().getString("error.param"))
                .isEqualTo("limit");
        assertThat(acme().get("/v1/conversations/" + id + "/items?after=msg_other").jsonPath()
                .getString("error.param")).isEqualTo("after");
        assertThat(sent(CHAT)).isEmpty();
    }
}
