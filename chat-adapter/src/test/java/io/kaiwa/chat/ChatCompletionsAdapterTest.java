package io.kaiwa.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.chat.Fixtures.DONE;
import static io.kaiwa.chat.Fixtures.WAIT;
import static io.kaiwa.chat.Fixtures.chatAnswer;
import static io.kaiwa.chat.Fixtures.chunk;
import static io.kaiwa.chat.Fixtures.seed;
import static io.kaiwa.chat.Fixtures.usageChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.context.RollingSummary;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.FunctionTool;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.options.TextFormat;
import io.kaiwa.core.options.ToolChoice;
import io.kaiwa.core.spi.TokenEstimator;
import io.kaiwa.testing.UpstreamTest;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

class ChatCompletionsAdapterTest extends UpstreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-22T10:00:00Z"), ZoneOffset.UTC);

    static ChatCompletionsAdapter.Builder adapter() {
        return ChatCompletionsAdapter.builder().baseUrl(upstream.baseUrl() + "/compatible-mode/v1").apiKey("sk-test")
                .model("qwen-plus").vertx(vertx).clock(CLOCK).retryPolicy(Fixtures.QUICK_RETRIES);
    }

    static void answer(String body) {
        upstream.stubFor(post(urlEqualTo("/compatible-mode/v1/chat/completions"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    static void stream(String body) {
        upstream.stubFor(post(urlEqualTo("/compatible-mode/v1/chat/completions")).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body)));
    }

    static List<JsonNode> sentBodies() {
        return upstream.findAll(postRequestedFor(urlEqualTo("/compatible-mode/v1/chat/completions"))).stream()
                .map(LoggedRequest::getBodyAsString).map(ChatCompletionsAdapterTest::tree).toList();
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Turn send(ChatCompletionsAdapter adapter, Conversation c, Item... input) {
        return adapter.send(c, List.of(input)).await().atMost(WAIT);
    }

    @Nested
    class RebuildsTheSeedsConversationsTurnByTurn {
        @Test
        void sendsTheWholeHistoryEveryTurnExactlyAsTheSeedDoes() {
            try (var adapter = adapter().build()) {
                var c = Conversation.builder().instructions("あなたは役に立つアシスタントです。").build();
                answer(chatAnswer("chatcmpl-1", "こんにちは、私は Qwen です。", null, "stop", 20, 9, 0, 0));
                Turn first = send(adapter, c, MessageItem.user("こんにちは"));
                c = c.withTurn(first);
                answer(chatAnswer("chatcmpl-2", "質問に答えたり、文章を書いたりできます。", null, "stop", 40, 12, 0, 0));

                Turn second = send(adapter, c, MessageItem.user("何ができますか?"));

                List<JsonNode> sent = sentBodies();
                assertThat(sent).hasSize(2);
                assertThat(sent.get(0)).isEqualTo(tree("""
                        {"model":"qwen-plus","messages":[{"role":"system","content":"あなたは役に立つアシスタントです。"},
                         {"role":"user","content":"こんにちは"}]}"""));
                assertThat(sent.get(1)).isEqualTo(tree(seed("chat/01-quickstart-openai-text.request.json")));
                assertThat(first.outputText()).isEqualTo("こんにちは、私は Qwen です。");
                assertThat(second.id()).isEqualTo("chatcmpl-2");
                assertThat(c.withTurn(second).totals()).isEqualTo(Usage.of(60, 21));
            }
        }

        @Test
        void sendsMultimodalHistoryInTheSeedsContentShape() {
            try (var adapter = adapter().model("qwen3-vl-plus").build()) {
                String image = "https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20251031/ownrof/"
                        + "f26d201b1e3f4e62ab4a1fc82dd5c9bb.png";
                var c = Conversation.create();
                answer(chatAnswer("c1", "The image shows three items: a pair of light blue overalls, a blue and white "
                        + "striped short-sleeve shirt, and a pair of white sneakers.", null, "stop", 900, 30, 0, 0));
                c = c.withTurn(send(adapter, c,
                        MessageItem.user(InputImage.ofUrl(image),
                                new InputText("What products are shown in the image?"))));
                answer(chatAnswer("c2", "Casual.", null, "stop", 950, 2, 0, 0));

                send(adapter, c, MessageItem.user("What style are they?"));

                assertThat(sentBodies().get(1)).isEqualTo(tree(seed("chat/03-multimodal-openai.request.json")));
            }
        }

        @Test
        void neverReplaysReasoningContentByDefault() {
            try (var adapter = adapter().enableThinking(true).build()) {
                var c = Conversation.create();
                answer(chatAnswer("c1", "Hello! Nice to meet you. Is there anything I can help you with?",
                        "The user greets me.", "stop", 10, 40, 0, 25));
                Turn first = send(adapter, c, MessageItem.user("Hello"));
                c = c.withTurn(first);
                stream(chunk("c2", "{\"role\":\"assistant\",\"content\":\"I am Qwen.\"}", "stop") + DONE);

                adapter.stream(c, List.of(MessageItem.user("Who are you?"))).collect().asList().await().atMost(WAIT);

                assertThat(first.output()).hasExactlyElementsOfTypes(ReasoningItem.class, MessageItem.class);
                assertThat(sentBodies().get(1)).isEqualTo(tree(seed("chat/05-thinking-openai-stream.request.json")));
                assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/compatible-mode/v1/chat/completions")))
                        .get(1).getBodyAsString()).doesNotContain("reasoning_content", "The user greets me.");
            }
        }

        @Test
        void enableThinkingGivenAsAParameterIsSentLikeTheSetting() {
            try (var adapter = adapter().parameter("enable_thinking", false).build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                send(adapter, Conversation.create(), MessageItem.user("q"));

                assertThat(sentBodies().get(0).get("enable_thinking").isBoolean()).isTrue();
                assertThat(sentBodies().get(0).get("enable_thinking").booleanValue()).isFalse();
            }
            assertThatThrownBy(() -> adapter().parameter("enable_thinking", "yes"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("enable_thinking");
        }

        @Test
        void replaysReasoningWhenTheModelsRuleAsksForIt() {
            try (var adapter = adapter().reasoningReplay(model -> ReasoningReplay.KEEP).build()) {
                var c = Conversation.create().withTurn(Turn.completed(List.of(MessageItem.user("q")),
                        List.of(ReasoningItem.ofText("why"), MessageItem.assistant("a"))));
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                send(adapter, c, MessageItem.user("next"));

                assertThat(sentBodies().get(0).get("messages").get(1)).isEqualTo(
                        tree("{\"role\":\"assistant\",\"content\":\"a\",\"reasoning_content\":\"why\"}"));
            }
        }

        @Test
        void sendsFunctionCallsAsToolCallsAndOutputsAsToolMessages() {
            try (var adapter = adapter().parameter("tools", List.of(java.util.Map.of("type", "function", "function",
                    java.util.Map.of("name", "get_weather", "parameters", java.util.Map.of("type", "object")))))
                    .build()) {
                var c = Conversation.create();
                answer("""
                        {"id":"c1","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
                         "content":"","tool_calls":[{"index":0,"id":"call_abc","type":"function",
                         "function":{"name":"get_weather","arguments":"{\\"city\\":\\"東京\\"}"}}]}}],
                         "usage":{"prompt_tokens":50,"completion_tokens":10,"total_tokens":60}}""");
                Turn call = send(adapter, c, MessageItem.user("東京の天気は?"));
                c = c.withTurn(call);
                answer(chatAnswer("c2", "晴れです。", null, "stop", 80, 5, 0, 0));

                Turn answer = send(adapter, c, new FunctionCallOutputItem("call_abc", "{\"weather\":\"sunny\"}"));

                assertThat(call.output()).containsExactly(new FunctionCallItem(null, "call_abc", "get_weather",
                        "{\"city\":\"東京\"}", "completed", null));
                JsonNode sent = sentBodies().get(1);
                assertThat(sent.get("tools").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
                assertThat(sent.get("messages")).isEqualTo(tree("""
                        [{"role":"user","content":"東京の天気は?"},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc","type":"function",
                          "function":{"name":"get_weather","arguments":"{\\"city\\":\\"東京\\"}"}}]},
                         {"role":"tool","tool_call_id":"call_abc","content":"{\\"weather\\":\\"sunny\\"}"}]"""));
                assertThat(answer.outputText()).isEqualTo("晴れです。");
            }
        }

        @Test
        void sendsTheRightHeaders() {
            try (var adapter = adapter().build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                send(adapter, Conversation.create(), MessageItem.user("hi"));

                upstream.verify(postRequestedFor(urlEqualTo("/compatible-mode/v1/chat/completions"))
                        .withHeader("Authorization", equalTo("Bearer sk-test"))
                        .withHeader("Content-Type", equalTo("application/json"))
                        .withRequestBody(equalToJson("{\"model\":\"qwen-plus\"}", true, true)));
            }
        }
    }

    @Nested
    class StreamsWithThinking {
        private final String thinkingStream = chunk("c9", "{\"role\":\"assistant\",\"content\":\"\","
                + "\"reasoning_content\":\"The user\"}", null)
                + chunk("c9", "{\"reasoning_content\":\" asks who I am.\"}", null)
                + chunk("c9", "{\"content\":\"I am \"}", null)
                + chunk("c9", "{\"content\":\"Qwen.\"}", null)
                + chunk("c9", "{}", "stop")
                + usageChunk("c9", 30, 20, 8, 12)
                + DONE;

        @Test
        void separatesReasoningFromTheAnswerAndEndsWithUsage() {
            try (var adapter = adapter().build()) {
                stream(thinkingStream);

                List<StreamEvent> events = adapter.stream(Conversation.create(), List.of(MessageItem.user("Who?")))
                        .collect().asList().await().atMost(WAIT);

                assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("ItemAdded",
                        "ReasoningDelta", "ReasoningDelta", "ItemAdded", "TextDelta", "TextDelta", "ItemDone",
                        "ItemDone", "UsageReported", "Completed");
                assertThat(events.get(1)).isEqualTo(new StreamEvent.ReasoningDelta(null, 0, "The user", false));
                assertThat(events.get(5)).isEqualTo(new StreamEvent.TextDelta(null, 1, 0, "Qwen."));
                assertThat(events.get(8)).isEqualTo(new StreamEvent.UsageReported(new Usage(30, 20, 50, 8, 12, null)));
                Turn turn = ((StreamEvent.Completed) events.get(9)).turn();
                assertThat(turn.output()).containsExactly(
                        new ReasoningItem(null, null, List.of("The user asks who I am."), null, null, null),
                        new MessageItem(null, Role.ASSISTANT, List.of(new OutputText("I am Qwen.")), "completed",
                                null));
                upstream.verify(postRequestedFor(urlEqualTo("/compatible-mode/v1/chat/completions"))
                        .withHeader("Accept", equalTo("text/event-stream"))
                        .withRequestBody(equalToJson("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
                                true, true)));
            }
        }

        @Test
        void producesTheSameTurnAsTheNonStreamingCall() {
            try (var adapter = adapter().build()) {
                var c = Conversation.create();
                stream(thinkingStream);
                Turn streamed = ((StreamEvent.Completed) adapter.stream(c, List.of(MessageItem.user("Who?"))).collect()
                        .last().await().atMost(WAIT)).turn();
                answer(chatAnswer("c9", "I am Qwen.", "The user asks who I am.", "stop", 30, 20, 8, 12));

                Turn whole = send(adapter, c, MessageItem.user("Who?"));

                assertThat(streamed).isEqualTo(whole);
            }
        }

        @Test
        void streamsToolCallArgumentsAsTheyArrive() {
            try (var adapter = adapter().build()) {
                stream(chunk("t", "{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                        + "\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}}]}", null)
                        + chunk("t", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}",
                                null)
                        + chunk("t", "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"x\\\"}\"}}]}",
                                null)
                        + chunk("t", "{}", "tool_calls") + DONE);

                List<StreamEvent> events = adapter.stream(Conversation.create(), List.of(MessageItem.user("find x")))
                        .collect().asList().await().atMost(WAIT);

                assertThat(events).filteredOn(StreamEvent.ToolCallProgress.class::isInstance)
                        .extracting(e -> ((StreamEvent.ToolCallProgress) e).delta())
                        .containsExactly(null, "{\"q\":", "\"x\"}", null);
                Turn turn = ((StreamEvent.Completed) events.get(events.size() - 1)).turn();
                assertThat(turn.output()).containsExactly(
                        new FunctionCallItem(null, "call_1", "lookup", "{\"q\":\"x\"}", "completed", null));
            }
        }

        @Test
        void anEmptyAnswerStillEndsWithAnAnnouncedAssistantMessage() {
            try (var adapter = adapter().build()) {
                stream(chunk("e", "{\"role\":\"assistant\",\"content\":\"\"}", null) + chunk("e", "{}", "stop")
                        + DONE);

                List<StreamEvent> events = adapter.stream(Conversation.create(), List.of(MessageItem.user("...")))
                        .collect().asList().await().atMost(WAIT);

                assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("ItemAdded",
                        "ItemDone", "Completed");
                assertThat(((StreamEvent.Completed) events.get(2)).turn().output())
                        .containsExactly(new MessageItem(null, Role.ASSISTANT, List.of(new OutputText("")), "completed",
                                null));
            }
        }

        @Test
        void marksALengthCutAnswerIncomplete() {
            try (var adapter = adapter().build()) {
                stream(chunk("l", "{\"content\":\"partial\"}", "length") + DONE);

                var last = adapter.stream(Conversation.create(), List.of(MessageItem.user("long story")))
                        .collect().last().await().atMost(WAIT);

                Turn turn = ((StreamEvent.Completed) last).turn();
                assertThat(turn.status()).isEqualTo(TurnStatus.INCOMPLETE);
                assertThat(((MessageItem) turn.output().get(0)).status()).isEqualTo("incomplete");
            }
        }
    }

    @Nested
    class ContextPoliciesChangeWhatIsSentAndNothingElse {
        private Conversation fiveTurns(ContextPolicy policy) {
            var b = Conversation.builder().instructions("Be brief.").contextPolicy(policy);
            for (int i = 1; i <= 5; i++) {
                b.addTurn(Turn.completed(List.of(MessageItem.user("question " + i)),
                        List.of(MessageItem.assistant("answer " + i))));
            }
            return b.build();
        }

        private JsonNode sentWith(ContextPolicy policy) {
            upstream.resetRequests();
            try (var adapter = adapter().parameter("temperature", 0.2).build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));
                send(adapter, fiveTurns(policy), MessageItem.user("question 6"));
            }
            return sentBodies().get(0);
        }

        @Test
        void lastTurnsKeepsTheNewestTurns() {
            JsonNode all = sentWith(ContextPolicy.keepAll());
            JsonNode lastTwo = sentWith(ContextPolicy.lastTurns(2));

            assertThat(all.get("messages")).hasSize(12);
            assertThat(lastTwo.get("messages")).isEqualTo(tree("""
                    [{"role":"system","content":"Be brief."},
                     {"role":"user","content":"question 4"},{"role":"assistant","content":"answer 4"},
                     {"role":"user","content":"question 5"},{"role":"assistant","content":"answer 5"},
                     {"role":"user","content":"question 6"}]"""));
            assertThat(withoutMessages(lastTwo)).isEqualTo(withoutMessages(all));
        }

        @Test
        void tokenBudgetKeepsWhatFits() {
            // Each turn is two short messages: about 2 * (4 + 3) tokens with the default estimator.
            JsonNode budget = sentWith(ContextPolicy.tokenBudget(40));
            JsonNode all = sentWith(ContextPolicy.keepAll());

            assertThat(budget.get("messages").size()).isBetween(4, 10);
            assertThat(budget.get("messages").get(0)).isEqualTo(all.get("messages").get(0));
            JsonNode last = budget.get("messages").get(budget.get("messages").size() - 1);
            assertThat(last.get("content").asText()).isEqualTo("question 6");
            assertThat(withoutMessages(budget)).isEqualTo(withoutMessages(all));
        }

        @Test
        void theAdaptersPolicyNarrowsTheConversationsFurther() {
            upstream.resetRequests();
            try (var adapter = adapter().contextPolicy(ContextPolicy.lastTurns(1)).build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));
                send(adapter, fiveTurns(ContextPolicy.lastTurns(3)), MessageItem.user("question 6"));
            }
            assertThat(sentBodies().get(0).get("messages")).hasSize(4);
        }

        private JsonNode withoutMessages(JsonNode body) {
            var copy = body.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("messages");
            return copy;
        }
    }

    @Test
    void calibratesItsTokenEstimatorFromReportedUsage() {
        TokenEstimator estimator = TokenEstimator.defaultEstimator();
        try (var adapter = adapter().tokenEstimator(estimator).build()) {
            answer(chatAnswer("c", "ok", null, "stop", 500, 1, 0, 0));

            send(adapter, Conversation.create(), MessageItem.user("hello there"));

            assertThat(adapter.tokenEstimator()).isSameAs(estimator);
            assertThat(((io.kaiwa.core.internal.context.DefaultTokenEstimator) estimator).factor()).isGreaterThan(1.0);
        }
    }

    @Test
    void aCompactedConversationSendsItsSummaryThenTheKeptTurnsThenTheInput() {
        var c = Conversation.builder().instructions("短く").build()
                .withTurn(Turn.completed(List.of(MessageItem.user("古い")), List.of(MessageItem.assistant("古い答え"))))
                .withTurn(RollingSummary.compactionTurn(CompactionItem.of("田中さんは東京に住む",
                        List.of(MessageItem.user("最近"), MessageItem.assistant("最近の答え"))), Usage.ZERO));
        try (var adapter = adapter().build()) {
            answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

            send(adapter, c, MessageItem.user("今"));

            assertThat(sentBodies().get(0).get("messages")).isEqualTo(tree("""
                    [{"role":"system","content":"短く"},
                     {"role":"system","content":"Summary of the earlier part of this conversation:\\n\\n田中さんは東京に住む"},
                     {"role":"user","content":"最近"},{"role":"assistant","content":"最近の答え"},
                     {"role":"user","content":"今"}]"""));
        }
    }

    @Nested
    class MapsEachCallsOptionsToChatCompletions {
        @Test
        void writesTheResponsesNamesInChatCompletionsNames() {
            var options = KaiwaJson.readOptions(tree("""
                    {"tools":[{"type":"function","name":"get_weather","description":"Weather now",
                      "parameters":{"type":"object"},"strict":true}],
                     "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false,
                     "max_output_tokens":64,"temperature":0.3,"top_p":0.5,"reasoning":{"effort":"low","summary":"auto"},
                     "enable_thinking":true,"text":{"format":{"type":"json_schema","name":"w",
                      "schema":{"type":"object"},"strict":true},"verbosity":"low"},"seed":7,
                     "metadata":{"k":"v"},"prompt_cache_key":"p","include":["x"],"max_tool_calls":2,"user":"u",
                     "truncation":"auto","store":false}"""), "");
            try (var adapter = adapter().build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                adapter.send(Conversation.create(), List.of(MessageItem.user("q")), options).await().atMost(WAIT);

                assertThat(sentBodies().get(0)).isEqualTo(tree("""
                        {"model":"qwen-plus","messages":[{"role":"user","content":"q"}],
                         "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",
                          "parameters":{"type":"object"},"strict":true}}],
                         "tool_choice":{"type":"function","function":{"name":"get_weather"}},
                         "parallel_tool_calls":false,"max_tokens":64,"temperature":0.3,"top_p":0.5,
                         "reasoning_effort":"low","enable_thinking":true,
                         "response_format":{"type":"json_schema","json_schema":{"name":"w","schema":{"type":"object"},
                          "strict":true}},"prompt_cache_key":"p","seed":7}"""));
            }
        }

        @Test
        void passesCacheMarkersOnContentPartsAsTheProviderPlacesThem() {
            var marked = KaiwaJson.readItem("""
                    {"type":"message","role":"system","content":[{"type":"input_text","text":"a long handbook",
                     "cache_control":{"type":"ephemeral"}}]}""");
            try (var adapter = adapter().build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                adapter.send(Conversation.create(), List.of(marked, MessageItem.user("q"))).await().atMost(WAIT);

                assertThat(sentBodies().get(0).get("messages")).isEqualTo(tree("""
                        [{"role":"system","content":[{"type":"text","text":"a long handbook",
                          "cache_control":{"type":"ephemeral"}}]},
                         {"role":"user","content":"q"}]"""));
            }
        }

        @Test
        void aReplayWithMoreThanFourCacheMarkersSendsOnlyTheLastFour() {
            var items = new ArrayList<Item>();
            for (int i = 1; i <= 6; i++) {
                items.add(KaiwaJson.readItem("""
                        {"type":"message","role":"user","content":[{"type":"input_text","text":"turn %d",
                         "cache_control":{"type":"ephemeral"}}]}""".formatted(i)));
            }
            try (var adapter = adapter().build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                adapter.send(Conversation.create(), items).await().atMost(WAIT);

                JsonNode messages = sentBodies().get(0).get("messages");
                assertThat(messages).hasSize(6);
                // The first two lose their markers, and with them the parts form.
                assertThat(messages.get(0).get("content").asText()).isEqualTo("turn 1");
                assertThat(messages.get(1).get("content").asText()).isEqualTo("turn 2");
                for (int i = 2; i < 6; i++) {
                    assertThat(messages.get(i).get("content")).isEqualTo(tree("""
                            [{"type":"text","text":"turn %d","cache_control":{"type":"ephemeral"}}]"""
                            .formatted(i + 1)));
                }
            }
        }

        @Test
        void oneAdapterServesCallsThatAskForDifferentThings() {
            try (var adapter = adapter().parameter("temperature", 1.0).build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                send(adapter, Conversation.create(), MessageItem.user("a"));
                adapter.send(Conversation.create(), List.of(MessageItem.user("b")), RequestOptions.builder()
                        .temperature(0.1).maxOutputTokens(5).textFormat(TextFormat.JSON_OBJECT).build()).await()
                        .atMost(WAIT);

                assertThat(sentBodies().get(0).get("temperature").asDouble()).isEqualTo(1.0);
                assertThat(sentBodies().get(0).has("max_tokens")).isFalse();
                assertThat(sentBodies().get(1).get("temperature").asDouble()).isEqualTo(0.1);
                assertThat(sentBodies().get(1).get("max_tokens").asInt()).isEqualTo(5);
                assertThat(sentBodies().get(1).get("response_format")).isEqualTo(tree("{\"type\":\"json_object\"}"));
            }
        }

        @Test
        void aToolTheProviderWouldRunFailsNamingItAndSendsNothing() {
            var options = RequestOptions.builder().tools(List.of(new FunctionTool("f", null, null),
                    new HostedTool("web_search"))).build();
            try (var adapter = adapter().build()) {
                var failure = adapter.send(Conversation.create(), List.of(MessageItem.user("q")), options).subscribe()
                        .withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT).getFailure();

                assertThat(failure).isInstanceOf(InvalidRequestException.class).hasMessageContaining("web_search");
                assertThat(((InvalidRequestException) failure).param()).isEqualTo("tools[1].type");
                assertThat(sentBodies()).isEmpty();
            }
        }

        @Test
        void aFunctionChoiceWithFieldsOfItsOwnIsSentNestedByItsName() {
            try (var adapter = adapter().build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                adapter.send(Conversation.create(), List.of(MessageItem.user("q")), KaiwaJson.readOptions(tree("""
                        {"tool_choice":{"type":"function","name":"f","x_hint":1}}"""), "")).await().atMost(WAIT);

                assertThat(sentBodies().get(0).get("tool_choice")).isEqualTo(tree("""
                        {"type":"function","function":{"name":"f"}}"""));
            }
        }

        @Test
        void aToolChoiceWordAndAPlainTextFormatAreSentAsTheyAre() {
            try (var adapter = adapter().build()) {
                answer(chatAnswer("c", "ok", null, "stop", 1, 1, 0, 0));

                adapter.send(Conversation.create(), List.of(MessageItem.user("q")), RequestOptions.builder()
                        .toolChoice(ToolChoice.REQUIRED).textFormat(TextFormat.TEXT).build()).await().atMost(WAIT);

                assertThat(sentBodies().get(0).get("tool_choice").asText()).isEqualTo("required");
                assertThat(sentBodies().get(0).has("response_format")).isFalse();
            }
        }
    }
}
