package io.kaiwa.responses;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.responses.Fixtures.WAIT;
import static io.kaiwa.responses.Fixtures.dashScopeSse;
import static io.kaiwa.responses.Fixtures.numbered;
import static io.kaiwa.responses.Fixtures.openAiSse;
import static io.kaiwa.responses.Fixtures.response;
import static io.kaiwa.responses.Fixtures.seed;
import static io.kaiwa.responses.Fixtures.seedStreamEvents;
import static io.kaiwa.responses.Fixtures.seedStreamResponse;
import static io.kaiwa.responses.Fixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.kaiwa.core.Chaining;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.UrlCitation;
import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.event.ToolCallPhase;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.NotFoundException;
import io.kaiwa.core.exception.ResponseNotFoundException;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.UnknownItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.testing.UpstreamTest;

class ResponsesAdapterTest extends UpstreamTest {
    static final String MODEL = "qwen3-max-2026-01-23";
    static final String PATH = "/api/v2/apps/protocols/compatible-mode/v1";
    static final Instant NOW = Instant.parse("2026-01-22T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static ResponsesAdapter.Builder adapter() {
        return adapter(CLOCK);
    }

    static ResponsesAdapter.Builder adapter(Clock clock) {
        return ResponsesAdapter.builder().baseUrl(upstream.baseUrl() + PATH).apiKey("sk-test").model(MODEL)
                .vertx(vertx).clock(clock).retryPolicy(Fixtures.QUICK_RETRIES);
    }

    static void answer(String body) {
        answer(PATH, body);
    }

    static void answer(String path, String body) {
        upstream.stubFor(post(urlEqualTo(path + "/responses"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    static void stream(String body) {
        upstream.stubFor(post(urlEqualTo(PATH + "/responses")).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body)));
    }

    /** Answers the calls in order, one body each (status, body). */
    static void answers(Object... statusAndBody) {
        String state = Scenario.STARTED;
        for (int i = 0; i < statusAndBody.length; i += 2) {
            String next = "call " + (i / 2 + 2);
            boolean sse = ((String) statusAndBody[i + 1]).startsWith("id:")
                    || ((String) statusAndBody[i + 1]).startsWith("event:");
            upstream.stubFor(post(urlEqualTo(PATH + "/responses")).inScenario("calls").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus((Integer) statusAndBody[i])
                            .withHeader("Content-Type", sse ? "text/event-stream" : "application/json")
                            .withBody((String) statusAndBody[i + 1]))
                    .willSetStateTo(next));
            state = next;
        }
    }

    static List<JsonNode> sentBodies() {
        return sentBodies(PATH);
    }

    static List<JsonNode> sentBodies(String path) {
        return upstream.findAll(postRequestedFor(urlEqualTo(path + "/responses"))).stream()
                .map(LoggedRequest::getBodyAsString).map(Fixtures::tree).toList();
    }

    static Turn send(ResponsesAdapter adapter, Conversation c, Item... input) {
        return adapter.send(c, List.of(input)).await().atMost(WAIT);
    }

    static List<StreamEvent> stream(ResponsesAdapter adapter, Conversation c, Item... input) {
        return adapter.stream(c, List.of(input)).collect().asList().await().atMost(WAIT);
    }

    static Turn completed(List<StreamEvent> events) {
        assertThat(events).last().isInstanceOf(StreamEvent.Completed.class);
        return ((StreamEvent.Completed) events.get(events.size() - 1)).turn();
    }

    static String userMessage(String text) {
        return "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + text
                + "\"}]}";
    }

    @Nested
    class FollowsTheSeed {
        @Test
        void sendsTheBasicCallAsTheSeedDoesAndReadsItsAnswer() {
            answer(seed("02-basic.response.json"));
            try (var adapter = adapter().build()) {
                Turn turn = send(adapter, Conversation.create(), MessageItem.user("こんにちは、一文で自己紹介をしてください。"));

                assertThat(sentBodies()).containsExactly(tree(seed("01-basic.request.json")));
                assertThat(turn.outputText()).startsWith("こんにちは!私は Tongyi Lab");
                assertThat(turn.usage()).isEqualTo(new Usage(39, 46, 85, 0, 0, null));
                assertThat(turn.chaining()).isEqualTo(new Chaining(Chaining.Mode.NO_PREVIOUS_RESPONSE, null));
                assertThat(turn.providerResponse().responseId()).isEqualTo(turn.id());
                assertThat(turn.providerResponse().provider()).isEqualTo(adapter.provider());
            }
        }

        @Test
        void chainsTheSecondTurnWithOnlyTheNewInputAsTheSeedDoes() {
            answers(200, response("response_id_from_first_round", "田中さん、覚えました。", 20, 8), 200,
                    seed("05-multi-turn-round2.response.json"));
            try (var adapter = adapter().build()) {
                var c = Conversation.create();
                c = c.withTurn(send(adapter, c, MessageItem.user("私の名前は田中です。覚えておいてください。")));

                Turn second = send(adapter, c, MessageItem.user("私の名前を覚えていますか?"));

                assertThat(sentBodies()).containsExactly(tree(seed("03-multi-turn-round1.request.json")),
                        tree(seed("04-multi-turn-round2.request.json")));
                assertThat(second.chaining()).isEqualTo(Chaining.chained("response_id_from_first_round"));
                assertThat(second.outputText()).contains("田中さん");
                assertThat(second.input()).containsExactly(MessageItem.user("私の名前を覚えていますか?"));
            }
        }

        @Test
        void streamsTheSeedsEventSequenceWithDashScopesQuirks() {
            stream(dashScopeSse(seedStreamEvents()));
            try (var adapter = adapter().build()) {
                List<StreamEvent> events = stream(adapter, Conversation.create(),
                        MessageItem.user("人工知能について簡単に紹介してください。"));

                assertThat(sentBodies()).containsExactly(tree(seed("06-streaming.request.json")));
                assertThat(events.get(0)).isInstanceOf(StreamEvent.ItemAdded.class);
                List<StreamEvent.TextDelta> deltas = events.stream()
                        .filter(StreamEvent.TextDelta.class::isInstance).map(StreamEvent.TextDelta.class::cast)
                        .toList();
                assertThat(deltas).hasSize(7).allSatisfy(d -> {
                    assertThat(d.itemId()).isEqualTo("msg_16db29d6-c1d3-47d7-9177-0fba81964xxx");
                    assertThat(d.outputIndex()).isZero();
                });
                assertThat(deltas.get(0).delta()).isEqualTo("人工知能");
                assertThat(events.subList(events.size() - 3, events.size()))
                        .hasExactlyElementsOfTypes(StreamEvent.ItemDone.class, StreamEvent.UsageReported.class,
                                StreamEvent.Completed.class);
                Turn turn = completed(events);
                assertThat(turn.id()).isEqualTo("47a71e7d-868c-4204-9693-ef8ff9058xxx");
                assertThat(turn.usage()).isEqualTo(new Usage(37, 166, 203, 0, 0, null));
                assertThat(turn.status()).isEqualTo(TurnStatus.COMPLETED);
            }
        }

        @Test
        void aStreamedTurnEqualsTheTurnOfTheSameCallWithoutStreaming() {
            try (var adapter = adapter().build()) {
                var input = MessageItem.user("人工知能について簡単に紹介してください。");
                stream(dashScopeSse(seedStreamEvents()));
                Turn streamed = completed(stream(adapter, Conversation.create(), input));
                answer(seedStreamResponse());

                Turn whole = send(adapter, Conversation.create(), input);

                assertThat(streamed).isEqualTo(whole);
            }
        }

        @Test
        void passesBuiltInToolsThroughAndReadsTheirItemsAndCounts() {
            answer(seed("09-builtin-tools.response.json"));
            try (var adapter = adapter().enableThinking(true).parameter("tools",
                    List.of(Map.of("type", "web_search"), Map.of("type", "code_interpreter"),
                            Map.of("type", "web_extractor")))
                    .build()) {
                Turn turn = send(adapter, Conversation.create(),
                        MessageItem.user("Alibaba Cloud のウェブサイトを見つけて、主要な情報を抽出してください"));

                JsonNode sent = sentBodies().get(0);
                JsonNode expected = tree(seed("08-builtin-tools.request.json"));
                // The seed puts enable_thinking after tools; JSON objects are unordered, the fields are the same.
                assertThat(sent).isEqualTo(expected);
                assertThat(turn.output()).hasExactlyElementsOfTypes(ReasoningItem.class, WebSearchCallItem.class,
                        ReasoningItem.class, WebExtractorCallItem.class, MessageItem.class);
                var search = (WebSearchCallItem) turn.output().get(1);
                assertThat(search.action().query()).isEqualTo("Alibaba Cloud official website");
                assertThat(search.action().sources()).extracting(WebSearchCallItem.Source::url)
                        .containsExactly("https://cn.aliyun.com/", "https://www.alibabacloud.com/zh");
                var extract = (WebExtractorCallItem) turn.output().get(3);
                assertThat(extract.urls()).containsExactly("https://cn.aliyun.com/");
                assertThat(extract.goal()).startsWith("Alibaba Cloud 公式サイト");
                assertThat(turn.usage().reasoningTokens()).isEqualTo(677);
                assertThat(turn.usage().toolCalls()).isEqualTo(Map.of("web_search", 1L, "web_extractor", 1L));
            }
        }

        @Test
        void worksOnBothDashScopeBasePaths() {
            for (String path : List.of("/api/v2/apps/protocols/compatible-mode/v1", "/compatible-mode/v1")) {
                answer(path, response("r" + path.length(), "はい", 5, 1));
                try (var adapter = adapter().baseUrl(upstream.baseUrl() + path + "/").build()) {
                    assertThat(send(adapter, Conversation.create(), MessageItem.user("やあ")).outputText())
                            .isEqualTo("はい");
                }
                assertThat(sentBodies(path)).hasSize(1);
            }
        }
    }

    @Nested
    class SendsTheHistoryWhenChainingCannotWork {
        static final String HISTORY_REQUEST = """
                {"model":"qwen3-max-2026-01-23","input":[%s,
                 {"id":"msg_first","type":"message","role":"assistant","status":"completed",
                  "content":[{"type":"output_text","text":"田中さん、覚えました。","annotations":[]}]},
                 %s]}""".formatted(userMessage("私の名前は田中です。"), userMessage("私の名前は?"));

        Conversation firstTurnDone(ResponsesAdapter adapter) {
            var c = Conversation.create();
            return c.withTurn(send(adapter, c, MessageItem.user("私の名前は田中です。")));
        }

        @Test
        void aTurnOlderThanTheResponseLifetimeIsNotChainedFrom() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 200, response("second", "田中さんです。", 40, 5));
            Conversation c;
            try (var adapter = adapter().build()) {
                c = firstTurnDone(adapter);
            }
            // created_at is 2026-01-22T12:14:08Z: seven days later the id is gone.
            try (var later = adapter(Clock.fixed(Instant.parse("2026-01-29T12:14:08Z"), ZoneOffset.UTC)).build()) {
                Turn second = send(later, c, MessageItem.user("私の名前は?"));

                assertThat(sentBodies().get(1)).isEqualTo(tree(HISTORY_REQUEST));
                assertThat(second.chaining()).isEqualTo(new Chaining(Chaining.Mode.EXPIRED, "first"));
            }
        }

        @Test
        void aTurnJustInsideTheLifetimeIsChainedFrom() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 200, response("second", "田中さんです。", 40, 5));
            Conversation c;
            try (var adapter = adapter().build()) {
                c = firstTurnDone(adapter);
            }
            // created_at is 2026-01-22T12:14:08Z: the id is good for seven days from then.
            try (var later = adapter(Clock.fixed(Instant.parse("2026-01-29T12:14:07Z"), ZoneOffset.UTC)).build()) {
                assertThat(send(later, c, MessageItem.user("私の名前は?")).chaining().isChained()).isTrue();
                assertThat(sentBodies().get(1).get("previous_response_id").asText()).isEqualTo("first");
            }
        }

        @Test
        void aProviderThatForgotTheIdGetsTheHistoryOnceAndTheTurnSaysSo() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 404, """
                    {"code":"NotFound","message":"Response not found","request_id":"abc"}""", 200,
                    response("second", "田中さんです。", 40, 5));
            try (var adapter = adapter().build()) {
                Conversation c = firstTurnDone(adapter);

                Turn second = send(adapter, c, MessageItem.user("私の名前は?"));

                List<JsonNode> sent = sentBodies();
                assertThat(sent).hasSize(3);
                assertThat(sent.get(1).get("previous_response_id").asText()).isEqualTo("first");
                assertThat(sent.get(2)).isEqualTo(tree(HISTORY_REQUEST));
                assertThat(second.chaining()).isEqualTo(new Chaining(Chaining.Mode.PROVIDER_FORGOT, "first"));
                assertThat(second.outputText()).isEqualTo("田中さんです。");
                assertThat(second.providerResponse().responseId()).isEqualTo("second");
            }
        }

        @Test
        void openAisPreviousResponseNotFoundAlsoFallsBackWhenStreaming() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 400, """
                    {"error":{"message":"Previous response with id 'first' not found.","type":"invalid_request_error",
                     "param":"previous_response_id","code":"previous_response_not_found"}}""", 200,
                    openAiSse(numbered(
                            """
                                    {"type":"response.created","response":{"id":"second","object":"response","status":"in_progress","output":[]}}""",
                            """
                                    {"type":"response.completed","response":%s}""".formatted(
                                    response("second", "田中さんです。", 40, 5)))));
            try (var adapter = adapter().build()) {
                Conversation c = firstTurnDone(adapter);

                Turn second = completed(stream(adapter, c, MessageItem.user("私の名前は?")));

                List<JsonNode> sent = sentBodies();
                assertThat(sent).hasSize(3);
                assertThat(sent.get(2).get("stream").asBoolean()).isTrue();
                assertThat(sent.get(2).has("previous_response_id")).isFalse();
                assertThat(sent.get(2).get("input")).hasSize(3);
                assertThat(second.chaining().mode()).isEqualTo(Chaining.Mode.PROVIDER_FORGOT);
            }
        }

        @Test
        void anErrorEventRefusingTheIdBeforeAnyOutputAlsoFallsBack() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 200, dashScopeSse(numbered(
                    """
                            {"type":"response.created","response":{"id":"x","object":"response","status":"queued","output":[]}}""",
                    """
                            {"type":"error","code":"InvalidParameter","message":"The previous_response_id is not found or has expired."}""")),
                    200, dashScopeSse(numbered("""
                            {"type":"response.completed","response":%s}""".formatted(
                            response("second", "田中さんです。", 40, 5)))));
            try (var adapter = adapter().build()) {
                Conversation c = firstTurnDone(adapter);

                List<StreamEvent> events = stream(adapter, c, MessageItem.user("私の名前は?"));

                assertThat(events).noneMatch(StreamEvent.Failed.class::isInstance);
                assertThat(completed(events).chaining().mode()).isEqualTo(Chaining.Mode.PROVIDER_FORGOT);
                assertThat(sentBodies()).hasSize(3);
                assertThat(sentBodies().get(2).get("input")).hasSize(3);
            }
        }

        @Test
        void anErrorEventAfterOutputIsTheCallersEvenIfItNamesTheId() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 200, dashScopeSse(numbered(
                    """
                            {"type":"response.output_item.added","output_index":0,"item":{"id":"m","type":"message","role":"assistant","status":"in_progress","content":[]}}""",
                    """
                            {"type":"error","code":"InvalidParameter","message":"The previous_response_id is not found or has expired."}""")));
            try (var adapter = adapter().build()) {
                Conversation c = firstTurnDone(adapter);

                List<StreamEvent> events = stream(adapter, c, MessageItem.user("私の名前は?"));

                assertThat(events).last().isInstanceOf(StreamEvent.Failed.class);
                assertThat(((StreamEvent.Failed) events.get(events.size() - 1)).error())
                        .isInstanceOf(ResponseNotFoundException.class);
                assertThat(sentBodies()).hasSize(2);
            }
        }

        @Test
        void theFallbackHappensOnlyOnce() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 404,
                    "{\"error\":{\"message\":\"Previous response not found\",\"code\":\"not_found\"}}", 404,
                    "{\"error\":{\"message\":\"Previous response not found\",\"code\":\"not_found\"}}");
            try (var adapter = adapter().build()) {
                Conversation c = firstTurnDone(adapter);

                Throwable failure = adapter.send(c, List.of(MessageItem.user("私の名前は?"))).onItem()
                        .transform(t -> (Throwable) null).onFailure().recoverWithItem(e -> e).await().atMost(WAIT);

                // The history request itself was refused: that answer is the caller's, with no third attempt.
                assertThat(failure).isInstanceOf(ResponseNotFoundException.class);
                assertThat(sentBodies()).hasSize(3);
                assertThat(sentBodies().get(2).has("previous_response_id")).isFalse();
            }
        }

        @Test
        void aModelNotFoundIsNotMistakenForAForgottenId() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 404, """
                    {"error":{"message":"The model `qwen-nope` does not exist","code":"model_not_found"}}""");
            try (var adapter = adapter().build()) {
                Conversation c = firstTurnDone(adapter);

                Throwable failure = adapter.send(c, List.of(MessageItem.user("私の名前は?"))).onItem()
                        .transform(t -> (Throwable) null).onFailure().recoverWithItem(e -> e).await().atMost(WAIT);

                assertThat(failure).isInstanceOf(NotFoundException.class)
                        .isNotInstanceOf(ResponseNotFoundException.class);
                assertThat(sentBodies()).hasSize(2);
            }
        }

        @Test
        void storeFalseNeverChains() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 200, response("second", "田中さんです。", 40, 5));
            try (var adapter = adapter().store(false).build()) {
                Conversation c = firstTurnDone(adapter);
                Turn second = send(adapter, c, MessageItem.user("私の名前は?"));

                List<JsonNode> sent = sentBodies();
                assertThat(sent).allSatisfy(body -> {
                    assertThat(body.get("store").asBoolean(true)).isFalse();
                    assertThat(body.has("previous_response_id")).isFalse();
                });
                assertThat(sent.get(1).get("input")).hasSize(3);
                assertThat(c.lastTurn().providerResponse()).isNull();
                assertThat(second.chaining().mode()).isEqualTo(Chaining.Mode.STORE_DISABLED);
            }
        }

        @Test
        void anIdFromAnotherProviderIsNotChainedFrom() {
            answers(200, response("first", "田中さん、覚えました。", 20, 8), 200, response("second", "田中さんです。", 40, 5));
            Conversation c;
            try (var adapter = adapter().provider("account-a").build()) {
                c = firstTurnDone(adapter);
            }
            try (var other = adapter().provider("account-b").build()) {
                Turn second = send(other, c, MessageItem.user("私の名前は?"));

                assertThat(sentBodies().get(1)).isEqualTo(tree(HISTORY_REQUEST));
                assertThat(second.chaining().mode()).isEqualTo(Chaining.Mode.OTHER_PROVIDER);
            }
        }

        @Test
        void aPolicyThatLeavesOutTurnsTheProviderHoldsSendsTheKeptTurnsInstead() {
            answers(200, response("first", "一です。", 20, 8), 200, response("second", "二です。", 40, 5), 200,
                    response("third", "三です。", 30, 5));
            try (var adapter = adapter().build()) {
                var c = Conversation.builder().contextPolicy(ContextPolicy.lastTurns(1)).build();
                c = c.withTurn(send(adapter, c, MessageItem.user("一")));
                Turn second = send(adapter, c, MessageItem.user("二"));
                c = c.withTurn(second);

                Turn third = send(adapter, c, MessageItem.user("三"));

                // One turn of history: the second may chain from the first, the third may not carry the first.
                assertThat(second.chaining().isChained()).isTrue();
                assertThat(third.chaining()).isEqualTo(new Chaining(Chaining.Mode.POLICY_TRIMMED, null));
                JsonNode sent = sentBodies().get(2);
                assertThat(sent.has("previous_response_id")).isFalse();
                assertThat(sent.get("input").toString()).contains("二").contains("二です。").contains("三")
                        .doesNotContain("一");
            }
        }

        @Test
        void instructionsAreSentOnEveryTurnBecauseChainingDoesNotCarryThem() {
            answers(200, response("first", "はい。", 20, 8), 200, response("second", "はい。", 40, 5));
            try (var adapter = adapter().build()) {
                var c = Conversation.builder().instructions("敬語で答えてください。").build();
                c = c.withTurn(send(adapter, c, MessageItem.user("一")));
                send(adapter, c, MessageItem.user("二"));

                assertThat(sentBodies()).extracting(b -> b.get("instructions").asText()).containsOnly("敬語で答えてください。");
                assertThat(sentBodies().get(1).get("previous_response_id").asText()).isEqualTo("first");
            }
        }
    }

    @Nested
    class RunsTools {
        @Test
        void streamsBuiltInToolProgressAndTheirItems() {
            stream(dashScopeSse(numbered(
                    """
                            {"type":"response.created","response":{"id":"resp_t","object":"response","status":"queued","output":[]}}""",
                    """
                            {"type":"response.in_progress","response":{"id":"resp_t","object":"response","status":"in_progress","output":[]}}""",
                    """
                            {"type":"response.output_item.added","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}}""",
                    """
                            {"type":"response.reasoning_summary_text.delta","output_index":0,"summary_index":0,"delta":"検索します"}""",
                    """
                            {"type":"response.reasoning_summary_text.delta","output_index":0,"summary_index":1,"delta":"計算します"}""",
                    """
                            {"type":"response.output_item.done","output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"検索します"},{"type":"summary_text","text":"計算します"}]}}""",
                    """
                            {"type":"response.output_item.added","output_index":1,"item":{"id":"ws_1","type":"web_search_call","status":"in_progress"}}""",
                    """
                            {"type":"response.web_search_call.in_progress","output_index":1,"item_id":"ws_1"}""",
                    """
                            {"type":"response.web_search_call.searching","output_index":1,"item_id":"ws_1"}""",
                    """
                            {"type":"response.web_search_call.completed","output_index":1,"item_id":"ws_1"}""",
                    """
                            {"type":"response.output_item.done","output_index":1,"item":{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"kaiwa","sources":[{"type":"url","url":"https://example.com/"}]}}}""",
                    """
                            {"type":"response.output_item.added","output_index":2,"item":{"id":"we_1","type":"web_extractor_call","status":"in_progress","goal":"要点","urls":["https://example.com/"]}}""",
                    """
                            {"type":"response.output_item.done","output_index":2,"item":{"id":"we_1","type":"web_extractor_call","status":"completed","goal":"要点","urls":["https://example.com/"],"output":"本文"}}""",
                    """
                            {"type":"response.output_item.added","output_index":3,"item":{"id":"ci_1","type":"code_interpreter_call","status":"in_progress","code":""}}""",
                    """
                            {"type":"response.code_interpreter_call.in_progress","output_index":3,"item_id":"ci_1"}""",
                    """
                            {"type":"response.code_interpreter_call_code.delta","output_index":3,"item_id":"ci_1","delta":"print(1+1)"}""",
                    """
                            {"type":"response.code_interpreter_call.interpreting","output_index":3,"item_id":"ci_1"}""",
                    """
                            {"type":"response.code_interpreter_call.completed","output_index":3,"item_id":"ci_1"}""",
                    """
                            {"type":"response.output_item.done","output_index":3,"item":{"id":"ci_1","type":"code_interpreter_call","status":"completed","code":"print(1+1)","outputs":[{"type":"logs","logs":"2"}]}}""",
                    """
                            {"type":"response.output_item.added","output_index":4,"item":{"id":"msg_1","type":"message","role":"assistant","status":"in_progress","content":[]}}""",
                    """
                            {"type":"response.some_future_event","output_index":4,"whatever":true}""",
                    """
                            {"type":"response.output_text.delta","delta":"答えは2"}""",
                    """
                            {"type":"response.output_text.annotation.added","output_index":4,"item_id":"msg_1","annotation":{"type":"url_citation","url":"https://example.com/","title":"Example","start_index":0,"end_index":3}}""",
                    """
                            {"type":"response.output_item.added","output_index":5,"item":{"id":"x_1","type":"image_generation_call","status":"completed","result":"aGk="}}""",
                    """
                            {"type":"response.completed","response":{"id":"resp_t","object":"response","created_at":1769084048,"status":"completed","output":[
                              {"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"検索します"}]},
                              {"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"kaiwa","sources":[{"type":"url","url":"https://example.com/"}]}},
                              {"id":"we_1","type":"web_extractor_call","status":"completed","goal":"要点","urls":["https://example.com/"],"output":"本文"},
                              {"id":"ci_1","type":"code_interpreter_call","status":"completed","code":"print(1+1)","outputs":[{"type":"logs","logs":"2"}]},
                              {"id":"msg_1","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"答えは2","annotations":[{"type":"url_citation","url":"https://example.com/","title":"Example","start_index":0,"end_index":3}]}]},
                              {"id":"x_1","type":"image_generation_call","status":"completed","result":"aGk="}],
                             "usage":{"input_tokens":100,"output_tokens":20,"total_tokens":120,"x_tools":{"web_search":{"count":1},"web_extractor":{"count":1},"code_interpreter":{"count":1}}}}}""")));
            try (var adapter = adapter().parameter("tools", List.of(Map.of("type", "web_search"),
                    Map.of("type", "web_extractor"), Map.of("type", "code_interpreter"))).build()) {
                List<StreamEvent> events = stream(adapter, Conversation.create(), MessageItem.user("調べて計算して"));

                assertThat(events).filteredOn(StreamEvent.ToolCallProgress.class::isInstance)
                        .map(e -> (StreamEvent.ToolCallProgress) e)
                        .extracting(p -> p.tool() + ":" + p.phase() + ":" + p.itemId() + ":" + p.outputIndex())
                        .containsExactly("web_search:IN_PROGRESS:ws_1:1", "web_search:SEARCHING:ws_1:1",
                                "web_search:COMPLETED:ws_1:1", "web_extractor:IN_PROGRESS:we_1:2",
                                "web_extractor:COMPLETED:we_1:2", "code_interpreter:IN_PROGRESS:ci_1:3",
                                "code_interpreter:CODE_DELTA:ci_1:3", "code_interpreter:INTERPRETING:ci_1:3",
                                "code_interpreter:COMPLETED:ci_1:3");
                assertThat(events).filteredOn(StreamEvent.ReasoningDelta.class::isInstance)
                        .containsExactly(new StreamEvent.ReasoningDelta("rs_1", 0, 0, "検索します", true),
                                new StreamEvent.ReasoningDelta("rs_1", 0, 1, "計算します", true));
                // The delta names neither item nor index, as DashScope's sometimes do: it belongs to the last item.
                assertThat(events).filteredOn(StreamEvent.TextDelta.class::isInstance)
                        .containsExactly(new StreamEvent.TextDelta("msg_1", 4, 0, "答えは2"));
                Turn turn = completed(events);
                assertThat(turn.output()).hasExactlyElementsOfTypes(ReasoningItem.class, WebSearchCallItem.class,
                        WebExtractorCallItem.class, CodeInterpreterCallItem.class, MessageItem.class,
                        UnknownItem.class);
                var message = (MessageItem) turn.output().get(4);
                assertThat(((OutputText) message.content().get(0)).annotations())
                        .containsExactly(new UrlCitation("https://example.com/", "Example", 0, 3, null));
                assertThat(((UnknownItem) turn.output().get(5)).type()).isEqualTo("image_generation_call");
                assertThat(turn.usage().toolCalls()).isEqualTo(Map.of("web_search", 1L, "web_extractor", 1L,
                        "code_interpreter", 1L));
            }
        }

        @Test
        void functionCallsComeBackToTheCallerWhoAnswersThemInTheNextTurn() {
            String tools = """
                    [{"type":"function","name":"get_weather","description":"天気","parameters":{"type":"object",
                      "properties":{"city":{"type":"string"}},"required":["city"]}}]""";
            answers(200, openAiSse(numbered(
                    """
                            {"type":"response.created","response":{"id":"resp_f","object":"response","status":"in_progress","output":[]}}""",
                    """
                            {"type":"response.output_item.added","output_index":0,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":"get_weather","arguments":"","status":"in_progress"}}""",
                    """
                            {"type":"response.function_call_arguments.delta","output_index":0,"item_id":"fc_1","delta":"{\\"city\\":"}""",
                    """
                            {"type":"response.function_call_arguments.delta","output_index":0,"item_id":"fc_1","delta":"\\"東京\\"}"}""",
                    """
                            {"type":"response.function_call_arguments.done","output_index":0,"item_id":"fc_1","arguments":"{\\"city\\":\\"東京\\"}"}""",
                    """
                            {"type":"response.output_item.done","output_index":0,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"東京\\"}","status":"completed"}}""",
                    """
                            {"type":"response.completed","response":{"id":"resp_f","object":"response","status":"completed","output":[{"id":"fc_1","type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\\"city\\":\\"東京\\"}","status":"completed"}],"usage":{"input_tokens":50,"output_tokens":10,"total_tokens":60}}}""")),
                    200, response("resp_g", "東京は晴れです。", 70, 6));
            try (var adapter = adapter().parameter("tools", tree(tools)).parameter("tool_choice", "auto").build()) {
                var c = Conversation.create();
                List<StreamEvent> events = stream(adapter, c, MessageItem.user("東京の天気は?"));
                Turn call = completed(events);
                assertThat(events).filteredOn(StreamEvent.ToolCallProgress.class::isInstance)
                        .extracting(e -> ((StreamEvent.ToolCallProgress) e).phase())
                        .containsExactly(ToolCallPhase.IN_PROGRESS, ToolCallPhase.ARGUMENTS_DELTA,
                                ToolCallPhase.ARGUMENTS_DELTA, ToolCallPhase.COMPLETED);
                var fc = (FunctionCallItem) call.output().get(0);
                assertThat(fc.arguments()).isEqualTo("{\"city\":\"東京\"}");
                c = c.withTurn(call);

                Turn answer = send(adapter, c,
                        new FunctionCallOutputItem(null, fc.callId(), "{\"weather\":\"晴れ\"}", null, null));

                assertThat(sentBodies().get(1)).isEqualTo(tree("""
                        {"model":"qwen3-max-2026-01-23","input":[{"type":"function_call_output","call_id":"call_1",
                         "output":"{\\"weather\\":\\"晴れ\\"}"}],"previous_response_id":"resp_f","tools":%s,
                         "tool_choice":"auto"}""".formatted(tools)));
                assertThat(answer.outputText()).isEqualTo("東京は晴れです。");
            }
        }

        @Test
        void passesEveryRequestParameterThrough() {
            answer(response("r", "ok", 1, 1));
            try (var adapter = adapter().enableThinking(false).parameter("temperature", 0.3)
                    .parameter("top_p", 0.9).parameter("reasoning", Map.of("effort", "low"))
                    .parameter("metadata", Map.of("ticket", "42")).parameter("tool_choice", "none")
                    .parameter("x_custom", List.of(1, 2)).store(true).build()) {
                var c = Conversation.builder().instructions("短く。").build();
                send(adapter, c, MessageItem.user("hi"));

                assertThat(sentBodies().get(0)).isEqualTo(tree("""
                        {"model":"qwen3-max-2026-01-23","input":"hi","instructions":"短く。","store":true,
                         "temperature":0.3,"top_p":0.9,"reasoning":{"effort":"low"},"metadata":{"ticket":"42"},
                         "tool_choice":"none","x_custom":[1,2],"enable_thinking":false}"""));
            }
        }
    }

    @Nested
    class TakesEachCallsOptions {
        @Test
        void oneAdapterSendsEachCallWhatItAsksFor() {
            answers(200, response("r1", "ok", 1, 1), 200, response("r2", "ok", 1, 1));
            try (var adapter = adapter().parameter("temperature", 1.0).build()) {
                var tools = RequestOptions.builder().tools(List.of(new HostedTool("web_search"))).maxOutputTokens(9)
                        .build();
                adapter.send(Conversation.create(), List.of(MessageItem.user("a")), tools).await().atMost(WAIT);
                adapter.send(Conversation.create(), List.of(MessageItem.user("b")),
                        RequestOptions.builder().temperature(0.2).build()).await().atMost(WAIT);

                assertThat(sentBodies().get(0)).isEqualTo(tree("""
                        {"model":"qwen3-max-2026-01-23","input":"a","tools":[{"type":"web_search"}],
                         "max_output_tokens":9,"temperature":1.0}"""));
                assertThat(sentBodies().get(1)).isEqualTo(tree("""
                        {"model":"qwen3-max-2026-01-23","input":"b","temperature":0.2}"""));
            }
        }

        @Test
        void aCallWithStoreFalseSendsTheHistoryAndKeepsNoIdToChainFrom() {
            answers(200, response("r1", "はい。", 10, 2), 200, response("r2", "はい。", 20, 2));
            try (var adapter = adapter().build()) {
                var c = Conversation.create();
                c = c.withTurn(send(adapter, c, MessageItem.user("一")));
                Turn second = adapter.send(c, List.of(MessageItem.user("二")),
                        RequestOptions.builder().store(false).build()).await().atMost(WAIT);

                assertThat(sentBodies().get(1).get("store").asBoolean()).isFalse();
                assertThat(sentBodies().get(1).has("previous_response_id")).isFalse();
                assertThat(sentBodies().get(1).get("input")).hasSize(3);
                assertThat(second.chaining().mode()).isEqualTo(Chaining.Mode.STORE_DISABLED);
                assertThat(second.providerResponse()).isNull();
            }
        }

        @Test
        void aCallAskingForBackgroundOrAProviderConversationFailsBeforeSending() {
            try (var adapter = adapter().build()) {
                var background = RequestOptions.builder().extra("background", BooleanNode.TRUE).build();
                var conversation = RequestOptions.builder().extra("conversation", TextNode.valueOf("conv_1")).build();

                assertThatThrownBy(() -> adapter.send(Conversation.create(), List.of(MessageItem.user("x")),
                        background).await().atMost(WAIT)).isInstanceOf(InvalidRequestException.class)
                        .hasMessageStartingWith("background:");
                assertThatThrownBy(() -> adapter.send(Conversation.create(), List.of(MessageItem.user("x")),
                        conversation).await().atMost(WAIT)).isInstanceOf(InvalidRequestException.class)
                        .hasMessageStartingWith("conversation:");
                assertThat(sentBodies()).isEmpty();
            }
        }
    }

    @Nested
    class RejectsWhatItCannotDoClearly {
        @Test
        void backgroundAndProviderConversationsAreRefusedWhenTheAdapterIsBuilt() {
            assertThatThrownBy(() -> adapter().parameter("background", true).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("background:");
            assertThatThrownBy(() -> adapter().parameter("conversation", "conv_1").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("conversation:");
        }

        @Test
        void anAnswerThatIsNotFinishedIsAnErrorNamingTheStatus() {
            answer("""
                    {"id":"resp_q","object":"response","status":"queued","output":[]}""");
            try (var adapter = adapter().build()) {
                assertThatThrownBy(() -> send(adapter, Conversation.create(), MessageItem.user("hi")))
                        .isInstanceOf(InvalidPayloadException.class).hasMessageStartingWith("status: the response is "
                                + "still queued");
            }
        }

        @Test
        void aCancelledResponseEndsTheStreamAsCancelled() {
            stream(openAiSse(numbered(
                    """
                            {"type":"response.cancelled","response":{"id":"resp_c","object":"response","status":"cancelled","output":[]}}""")));
            try (var adapter = adapter().build()) {
                List<StreamEvent> events = stream(adapter, Conversation.create(), MessageItem.user("hi"));

                var failed = (StreamEvent.Failed) events.get(events.size() - 1);
                assertThat(failed.turn().status()).isEqualTo(TurnStatus.CANCELLED);
                assertThat(failed.error().code()).isEqualTo("cancelled");
            }
        }
    }
}
