package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswer;
import static io.kaiwa.runtime.ResponsesApiTest.create;
import static io.kaiwa.runtime.ResponsesApiTest.globex;
import static io.kaiwa.runtime.ResponsesApiTest.providerResponse;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static io.kaiwa.runtime.StreamingApiTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.context.ModelSummarizer;
import io.kaiwa.core.item.CompactionItem;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Compaction through the API: past the threshold the older turns are summarised by a separate call, the response
 * carries the sealed compaction item, and later turns (chained, or passing the item back) reuse it.
 */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class CompactionApiTest {
    static final String CHAT = "/chat/v1/chat/completions";
    static final String MANAGED = ",\"context_management\":[{\"type\":\"compaction\",\"compact_threshold\":1000}]";
    static final String SUMMARY = "田中さんは東京在住、猫を二匹飼っている";

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    /** The summariser's calls answer the summary; every other chat call answers "はい". */
    static void chatWithSummaries() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(1)
                .withRequestBody(containing("You keep the memory of a conversation"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(chatAnswer(SUMMARY))));
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("はい"))));
    }

    /** About 400 tokens of Japanese, with a marker to find it by. */
    static String longText(String marker) {
        return marker + "。" + "長い話".repeat(130);
    }

    static JsonNode turn(String previous, String input) {
        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"" + input + "\""
                + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"") + MANAGED + "}");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return tree(r.asString());
    }

    static List<JsonNode> summarizerCalls() {
        return sent(CHAT).stream().filter(b -> b.toString().contains(ModelSummarizer.INSTRUCTIONS)).toList();
    }

    static List<JsonNode> modelCalls() {
        return sent(CHAT).stream().filter(b -> !b.toString().contains(ModelSummarizer.INSTRUCTIONS)).toList();
    }

    @Test
    void pastTheThresholdTheOlderTurnsAreSummarisedOnceAndReusedByTheNextTurns() {
        chatWithSummaries();
        JsonNode one = turn(null, longText("一"));
        JsonNode two = turn(one.get("id").asText(), longText("二"));

        JsonNode three = turn(two.get("id").asText(), longText("三"));
        JsonNode four = turn(three.get("id").asText(), "猫は何匹?");

        assertThat(summarizerCalls()).hasSize(1);
        assertThat(summarizerCalls().get(0).toString()).contains("一。").contains("二。");
        JsonNode third = modelCalls().get(2).get("messages");
        assertThat(third.get(0).get("content").asText()).isEqualTo(CompactionItem.SUMMARY_HEADING + SUMMARY);
        assertThat(third.toString()).doesNotContain("一。").doesNotContain("二。");
        assertThat(third.get(third.size() - 1).get("content").asText()).startsWith("三。");
        JsonNode item = three.at("/output/0");
        assertThat(item.get("type").asText()).isEqualTo("compaction");
        assertThat(item.get("id").asText()).startsWith("cmp_");
        assertThat(item.get("encrypted_content").asText()).startsWith("kw1.").doesNotContain("田中");
        assertThat(three.at("/output/1/content/0/text").asText()).isEqualTo("はい");
        assertThat(three.at("/x_context/compaction/summarized_turns").asInt()).isEqualTo(2);
        assertThat(three.at("/x_context/compaction/tokens_after").asLong())
                .isLessThan(three.at("/x_context/compaction/tokens_before").asLong());
        // The fourth turn reads the chain back to the third, and sends its summary, its input and its answer.
        JsonNode fourth = modelCalls().get(3).get("messages");
        assertThat(fourth).extracting(m -> m.get("role").asText()).containsExactly("system", "user", "assistant",
                "user");
        assertThat(fourth.get(1).get("content").asText()).startsWith("三。");
        assertThat(four.has("x_context")).isFalse();
        assertThat(four.at("/usage/input_tokens").asInt()).isEqualTo(10);
        assertThat(three.at("/usage/input_tokens").asInt()).as("the summary's call counted").isEqualTo(20);
    }

    @Test
    void aClientPassingTheCompactionItemBackGetsItsContextWithoutAChain() {
        chatWithSummaries();
        JsonNode one = turn(null, longText("一"));
        JsonNode two = turn(one.get("id").asText(), longText("二"));
        JsonNode three = turn(two.get("id").asText(), longText("三"));
        ObjectNode body = (ObjectNode) tree("{\"model\":\"gpt-chat\"}");
        var input = body.putArray("input");
        input.add(three.at("/output/0"));
        input.add(three.at("/output/1"));
        input.addObject().put("role", "user").put("content", "次");

        Response r = acme().body(body.toString()).post("/v1/responses");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode sent = modelCalls().get(modelCalls().size() - 1).get("messages");
        assertThat(sent).extracting(m -> m.get("role").asText()).containsExactly("system", "user", "assistant",
                "user");
        assertThat(sent.get(0).get("content").asText()).endsWith(SUMMARY);
        assertThat(sent.get(1).get("content").asText()).startsWith("三。");
    }

    @Test
    void aChangedOrAnotherTenantsCompactionItemIsRefusedNamingIt() {
        chatWithSummaries();
        JsonNode one = turn(null, longText("一"));
        JsonNode two = turn(one.get("id").asText(), longText("二"));
        JsonNode item = turn(two.get("id").asText(), longText("三")).at("/output/0");
        String sealed = item.get("encrypted_content").asText();
        String changed = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        int before = modelCalls().size();

        Response tampered = create(acme(), "{\"model\":\"gpt-chat\",\"input\":[{\"type\":\"compaction\","
                + "\"encrypted_content\":\"" + changed + "\"},{\"role\":\"user\",\"content\":\"x\"}]}");
        Response stolen = create(globex(), "{\"model\":\"gpt-chat\",\"input\":[" + item + ",{\"role\":\"user\","
                + "\"content\":\"x\"}]}");

        for (Response r : List.of(tampered, stolen)) {
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(400);
            assertThat(r.jsonPath().getString("error.param")).isEqualTo("input[0].encrypted_content");
        }
        assertThat(modelCalls()).hasSize(before);
    }

    @Test
    void badContextManagementIsABadRequestNamingTheField() {
        Response unknown = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"context_management\":"
                + "[{\"type\":\"forget_everything\"}]}");
        Response low = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"context_management\":"
                + "[{\"type\":\"compaction\",\"compact_threshold\":10}]}");
        Response notList = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"context_management\":{}}");

        assertThat(unknown.jsonPath().getString("error.param")).isEqualTo("context_management[0].type");
        assertThat(low.jsonPath().getString("error.param")).isEqualTo("context_management[0].compact_threshold");
        assertThat(notList.jsonPath().getString("error.param")).isEqualTo("context_management");
        assertThat(List.of(unknown.statusCode(), low.statusCode(), notList.statusCode())).containsOnly(400);
        assertThat(sent(CHAT)).isEmpty();
    }

    @Test
    void whenTheSummaryCannotBeMadeTheTurnGoesWithItsRecentTurnsAndSaysSo() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(1)
                .withRequestBody(containing("You keep the memory of a conversation"))
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                        .withBody(
                                "{\"error\":{\"message\":\"summaries are off today\",\"type\":\"invalid_request_error\"}}")));
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(chatAnswer("はい"))));
        JsonNode one = turn(null, longText("一"));
        JsonNode two = turn(one.get("id").asText(), longText("二"));

        JsonNode three = turn(two.get("id").asText(), longText("三"));

        assertThat(three.get("status").asText()).isEqualTo("completed");
        assertThat(three.at("/x_context/compaction/fallback").asText()).isEqualTo("recent_turns");
        assertThat(three.at("/x_context/compaction/failed").asText()).contains("summaries are off today");
        assertThat(three.at("/output/0/type").asText()).isEqualTo("message");
        JsonNode sent = modelCalls().get(2).get("messages");
        assertThat(sent.toString()).doesNotContain("一。").contains("三。");
    }

    @Test
    void aChainedResponsesProviderGetsTheManagedHistoryPastTheThresholdThenIsChainedAgain() {
        String path = "/resp/v1/responses";
        TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).atPriority(1)
                .withRequestBody(containing("You keep the memory of a conversation"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(providerResponse("up_sum", SUMMARY))));
        var ids = new ArrayList<String>();
        for (int i = 1; i <= 4; i++) {
            TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).atPriority(5).inScenario("resp")
                    .whenScenarioStateIs(i == 1 ? "Started" : "call " + i)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(providerResponse("up_" + i, "はい")))
                    .willSetStateTo("call " + (i + 1)));
        }
        String previous = null;
        for (String marker : List.of("一", "二", "三", "四")) {
            Response r = create(acme(), "{\"model\":\"qwen3-max-2026-01-23\",\"input\":\"" + longText(marker) + "\""
                    + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"") + MANAGED + "}");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            previous = r.jsonPath().getString("id");
            ids.add(previous);
        }

        List<JsonNode> calls = sent(path).stream().filter(b -> !b.toString().contains(ModelSummarizer.INSTRUCTIONS))
                .toList();
        assertThat(calls.get(1).get("previous_response_id").asText()).isEqualTo("up_1");
        // The third is past the threshold: no chaining, the summary and its own input instead.
        assertThat(calls.get(2).has("previous_response_id")).isFalse();
        assertThat(calls.get(2).at("/input/0/content/0/text").asText()).startsWith(CompactionItem.SUMMARY_HEADING);
        assertThat(calls.get(2).toString()).doesNotContain("一。");
        // The fourth chains from the third: the provider holds the managed history.
        assertThat(calls.get(3).get("previous_response_id").asText()).isEqualTo("up_3");
        assertThat(calls.get(3).get("input").asText()).startsWith("四。");
    }

    @Test
    void aStreamedResponseStartsWithItsCompactionItem() {
        chatWithSummaries();
        JsonNode one = turn(null, longText("一"));
        JsonNode two = turn(one.get("id").asText(), longText("二"));
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(5).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(StreamingApiTest.chunk(
                        "{\"role\":\"assistant\",\"content\":\"はい\"}", "stop") + "data: [DONE]\n\n")));

        List<JsonNode> events = events(acme().body("{\"model\":\"gpt-chat\",\"stream\":true,\"input\":\""
                + longText("三") + "\",\"previous_response_id\":\"" + two.get("id").asText() + "\"" + MANAGED + "}")
                .post("/v1/responses").asString());

        JsonNode added = events.stream().filter(e -> e.get("type").asText().equals("response.output_item.added"))
                .findFirst().orElseThrow();
        assertThat(added.get("output_index").asInt()).isZero();
        assertThat(added.at("/item/type").asText()).isEqualTo("compaction");
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("response.output_text.delta"))
                .allSatisfy(e -> assertThat(e.get("output_index").asInt()).isEqualTo(1));
        JsonNode done = events.get(events.size() - 1).get("response");
        assertThat(done.at("/output/0/type").asText()).isEqualTo("compaction");
        assertThat(done.at("/output/1/content/0/text").asText()).isEqualTo("はい");
    }

    @Test
    void compactingOnDemandAnswersASealedItemThatContinuesTheConversation() {
        chatWithSummaries();
        JsonNode one = turn(null, "私は田中です");
        JsonNode two = turn(one.get("id").asText(), "猫を二匹飼っています");

        Response compacted = acme().body("{\"model\":\"gpt-chat\",\"previous_response_id\":\""
                + two.get("id").asText() + "\"}").post("/v1/responses/compact");

        assertThat(compacted.statusCode()).as(compacted.asString()).isEqualTo(200);
        JsonNode body = tree(compacted.asString());
        assertThat(body.get("object").asText()).isEqualTo("response.compaction");
        assertThat(body.at("/output/0/type").asText()).isEqualTo("compaction");
        assertThat(body.at("/usage/input_tokens").asInt()).isEqualTo(10);
        assertThat(summarizerCalls()).hasSize(1);
        assertThat(summarizerCalls().get(0).toString()).contains("私は田中です").contains("猫を二匹");
        ObjectNode next = (ObjectNode) tree("{\"model\":\"gpt-chat\"}");
        next.putArray("input").add(body.at("/output/0")).addObject().put("role", "user").put("content", "名前は?");

        assertThat(acme().body(next.toString()).post("/v1/responses").statusCode()).isEqualTo(200);
        JsonNode sent = modelCalls().get(modelCalls().size() - 1).get("messages");
        assertThat(sent.get(0).get("content").asText()).endsWith(SUMMARY);
        assertThat(sent.get(sent.size() - 1).get("content").asText()).isEqualTo("名前は?");
    }

    @Test
    void compactingWithoutAModelOrAConversationIsABadRequest() {
        Response noModel = acme().body("{\"input\":\"x\"}").post("/v1/responses/compact");
        Response nothing = acme().body("{\"model\":\"gpt-chat\"}").post("/v1/responses/compact");

        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(noModel.jsonPath().getString("error.param")).isEqualTo("model");
        assertThat(nothing.statusCode()).isEqualTo(400);
        assertThat(nothing.jsonPath().getString("error.param")).isEqualTo("input");
        assertThat(sent(CHAT)).isEmpty();
    }

    static List<String> firstUserTexts(List<JsonNode> calls) {
        var firsts = new ArrayList<String>();
        for (JsonNode call : calls) {
            for (JsonNode m : call.get("messages")) {
                if (m.get("role").asText().equals("user")) {
                    firsts.add(m.get("content").asText());
                    break;
                }
            }
        }
        return firsts;
    }

    /** @return the last response of a chain of turns "q1", "q2", ... with these extra request fields */
    static String chainOf(String model, int turns, String fields) {
        String previous = null;
        for (int i = 1; i <= turns; i++) {
            Response r = create(acme(), "{\"model\":\"" + model + "\",\"input\":\"q" + i + "\""
                    + (previous == null ? "" : ",\"previous_response_id\":\"" + previous + "\"") + fields + "}");
            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            previous = r.jsonPath().getString("id");
        }
        return previous;
    }

    @Test
    void lastTurnsInBlocksKeepsThePromptsStartUntilAWholeBlockGoes() {
        chatWithSummaries();
        chainOf("gpt-chat", 7, ",\"context_management\":[{\"type\":\"last_turns\",\"turns\":2,\"block\":2}]");

        List<JsonNode> calls = modelCalls();
        // Two to three turns of history; the start moves at the fifth and seventh turns only.
        assertThat(firstUserTexts(calls)).containsExactly("q1", "q1", "q1", "q1", "q3", "q3", "q5");
        for (int i = 1; i < calls.size(); i++) {
            JsonNode before = calls.get(i - 1).get("messages");
            JsonNode now = calls.get(i).get("messages");
            boolean samePrefix = now.size() > before.size();
            for (int m = 0; samePrefix && m < before.size(); m++) {
                samePrefix = before.get(m).equals(now.get(m));
            }
            assertThat(samePrefix).as("call %d begins as call %d did", i + 1, i).isEqualTo(i != 4 && i != 6);
        }
        assertThat(summarizerCalls()).isEmpty();
    }

    @Test
    void lastTurnsAlsoBoundsAChainedResponsesProviderBySendingTheKeptTurnsInsteadOfItsId() {
        String path = "/resp/v1/responses";
        TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(providerResponse("up_1", "はい"))));

        chainOf("qwen3-max-2026-01-23", 3, ",\"context_management\":[{\"type\":\"last_turns\",\"turns\":1,"
                + "\"block\":1}]");

        List<JsonNode> calls = sent(path);
        assertThat(calls.get(1).get("previous_response_id").asText()).isEqualTo("up_1");
        assertThat(calls.get(2).has("previous_response_id")).isFalse();
        assertThat(calls.get(2).get("input").toString()).contains("q2").contains("q3").doesNotContain("q1");
    }

    @Test
    void aModelsConfiguredRecentTurnsApplyUnlessTheRequestSaysOtherwise() {
        chatWithSummaries();
        String previous = chainOf("chat-recent", 4, "");
        create(acme(), "{\"model\":\"chat-recent\",\"input\":\"q5\",\"previous_response_id\":\"" + previous
                + "\",\"context_management\":[]}");

        assertThat(firstUserTexts(modelCalls())).containsExactly("q1", "q1", "q1", "q2", "q1");
    }

    @Test
    void aBadLastTurnsEntryIsABadRequestNamingTheField() {
        Response noBlock = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"context_management\":"
                + "[{\"type\":\"last_turns\",\"turns\":4,\"block\":0}]}");
        Response noTurns = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"context_management\":"
                + "[{\"type\":\"compaction\",\"compact_threshold\":2000},{\"type\":\"last_turns\"}]}");

        assertThat(noBlock.statusCode()).isEqualTo(400);
        assertThat(noBlock.jsonPath().getString("error.param")).isEqualTo("context_management[0].block");
        assertThat(noTurns.statusCode()).isEqualTo(400);
        assertThat(noTurns.jsonPath().getString("error.param")).isEqualTo("context_management[1].turns");
        assertThat(sent(CHAT)).isEmpty();
    }

    @Test
    void cacheMarkersAndThePromptCacheKeyReachAChatProvider() {
        chatWithSummaries();

        Response r = create(acme(), """
                {"model":"gpt-chat","prompt_cache_key":"support-bot-v2","input":[
                  {"role":"system","content":[{"type":"input_text","text":"A long handbook.",
                   "cache_control":{"type":"ephemeral"}}]},
                  {"role":"user","content":"q"}]}""");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode sent = modelCalls().get(0);
        assertThat(sent.get("prompt_cache_key").asText()).isEqualTo("support-bot-v2");
        assertThat(sent.at("/messages/0")).isEqualTo(tree("""
                {"role":"system","content":[{"type":"text","text":"A long handbook.",
                 "cache_control":{"type":"ephemeral"}}]}"""));
    }
}
