package io.kaiwa.runtime.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.catalogue.PriceTier;
import io.kaiwa.core.catalogue.Pricing;
import io.kaiwa.core.context.ContextWindow;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.ContextWindowExceededException;
import io.kaiwa.core.exception.ServerException;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.options.ToolChoice;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.tools.BuiltInTool;
import io.kaiwa.runtime.tools.ToolRun;
import io.kaiwa.runtime.tools.ToolRunner;
import io.smallrye.mutiny.Uni;

/** The agent loop against a scripted model and scripted tools: what each model call is sent, and what comes out. */
class AgentLoopTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final ToolLimits LIMITS = new ToolLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 20, 10);
    static final Provider CHAT = new Provider("chat", KaiwaConfig.Api.CHAT, "http://127.0.0.1:1/v1", "sk", "K",
            List.of(), Duration.ofDays(7), Set.of(), Duration.ofMinutes(1), Duration.ofMinutes(1), null);
    static final List<Item> INPUT = List.of(MessageItem.user("東京の天気は?"));

    /** Answers every search with one result, and notes what it was asked. */
    static final class Searches implements ToolRunner {
        final List<String> queries = new ArrayList<>();

        @Override
        public String unavailable(BuiltInTool tool) {
            return null;
        }

        @Override
        public Uni<ToolRun> run(BuiltInTool tool, FunctionCallItem call, Duration timeout) {
            String query = KaiwaJson.parse(call.arguments()).path("query").asText();
            queries.add(query);
            var item = new WebSearchCallItem(null, "completed", new WebSearchCallItem.Action("search", query, null,
                    null), null);
            return Uni.createFrom().item(new ToolRun(item, new FunctionCallOutputItem(call.callId(), "1. 晴れ")));
        }
    }

    static FunctionCallItem search(String callId, String query) {
        return new FunctionCallItem(callId, "web_search", "{\"query\":\"" + query + "\"}");
    }

    static RequestOptions options(String json) {
        return KaiwaJson.readOptions(KaiwaJson.parse(json), "");
    }

    static AgentLoop loop(FakeModel model, ToolRunner tools, String options, ToolLimits limits) {
        ToolPlan plan = ToolPlan.of(CHAT, options(options), tools, limits);
        return new AgentLoop(plan, model, tools, limits, INPUT, false, usage -> null);
    }

    @Nested
    class WithoutToolsToRun {
        @Test
        void makesOneModelCallWithTheRequestsOptionsAndAddsNothing() {
            var model = new FakeModel().answers(MessageItem.assistant("晴れです。"));

            Turn turn = loop(model, new Searches(), "{\"temperature\":0.2}", LIMITS).send(Conversation.create())
                    .await().atMost(WAIT);

            assertThat(model.calls).hasSize(1);
            assertThat(model.calls.get(0).input()).isEqualTo(INPUT);
            assertThat(model.calls.get(0).options().temperature()).isEqualTo(0.2);
            assertThat(turn.outputText()).isEqualTo("晴れです。");
        }
    }

    @Nested
    class RunningTheToolsItself {
        @Test
        void runsTheToolTheModelCalledAndFeedsItsOutputBack() {
            var model = new FakeModel().answers(search("c1", "東京 天気")).answers(MessageItem.assistant("晴れです。"));
            var tools = new Searches();
            var loop = loop(model, tools, "{\"tools\":[{\"type\":\"web_search\"}],\"tool_choice\":\"required\"}",
                    LIMITS);

            Turn turn = loop.send(Conversation.create()).await().atMost(WAIT);

            assertThat(tools.queries).containsExactly("東京 天気");
            assertThat(model.calls).hasSize(2);
            assertThat(model.calls.get(0).options().toolChoice()).isEqualTo(ToolChoice.REQUIRED);
            assertThat(model.calls.get(1).options().toolChoice()).as("a forced tool is forced once").isNull();
            assertThat(model.calls.get(1).input()).containsExactly(new FunctionCallOutputItem("c1", "1. 晴れ"));
            assertThat(model.calls.get(1).conversation().turns()).hasSize(1);
            assertThat(turn.output()).extracting(Item::type).containsExactly("web_search_call", "message");
            assertThat(turn.input()).isEqualTo(INPUT);
            assertThat(loop.transcript()).extracting(Item::type).containsExactly("function_call",
                    "function_call_output", "message");
            assertThat(turn.usage().toolCalls()).containsEntry("web_search", 1L);
            assertThat(turn.providerResponse()).as("the provider never saw the tool's output").isNull();
        }

        @Test
        void aCallOverTheLimitIsNotRunAndTheNextModelCallMayNotCallTools() {
            var model = new FakeModel().answers(search("c1", "一"), search("c2", "二"))
                    .answers(MessageItem.assistant("一つだけ調べました。"));
            var tools = new Searches();

            Turn turn = loop(model, tools, "{\"tools\":[{\"type\":\"web_search\"}],\"max_tool_calls\":1}", LIMITS)
                    .send(Conversation.create()).await().atMost(WAIT);

            assertThat(tools.queries).containsExactly("一");
            assertThat(model.calls.get(1).input()).hasSize(2);
            assertThat(((FunctionCallOutputItem) model.calls.get(1).input().get(1)).output())
                    .contains("already made its 1 tool calls");
            assertThat(model.calls.get(1).options().toolChoice()).isEqualTo(ToolChoice.NONE);
            assertThat(turn.status()).isEqualTo(TurnStatus.COMPLETED);
        }

        @Test
        void aModelStillCallingToolsAtTheStepLimitEndsIncomplete() {
            var model = new FakeModel().answers(search("c1", "一")).answers(search("c2", "二"));

            Turn turn = loop(model, new Searches(), "{\"tools\":[{\"type\":\"web_search\"}]}",
                    new ToolLimits(Duration.ofSeconds(5), Duration.ofSeconds(30), 20, 2)).send(Conversation.create())
                    .await().atMost(WAIT);

            assertThat(model.calls).hasSize(2);
            assertThat(turn.status()).isEqualTo(TurnStatus.INCOMPLETE);
            assertThat(turn.error().code()).isEqualTo("max_steps");
        }

        @Test
        void aProviderFailureAfterAToolRanKeepsTheToolsItems() {
            var model = new FakeModel().answers(search("c1", "東京")).fails(new ServerException("down", 503, null,
                    null));

            Turn turn = loop(model, new Searches(), "{\"tools\":[{\"type\":\"web_search\"}]}", LIMITS)
                    .send(Conversation.create()).await().atMost(WAIT);

            assertThat(turn.status()).isEqualTo(TurnStatus.FAILED);
            assertThat(turn.output()).extracting(Item::type).containsExactly("web_search_call");
            assertThat(turn.error().message()).isEqualTo("down");
        }

        @Test
        void streamsTheToolsItemInPlaceOfItsFunctionCallThenTheAnswerAfterIt() {
            var model = new FakeModel().answers(search("c1", "東京")).answers(MessageItem.assistant("晴れ"));

            List<StreamEvent> events = loop(model, new Searches(), "{\"tools\":[{\"type\":\"web_search\"}]}", LIMITS)
                    .stream(Conversation.create()).collect().asList().await().atMost(WAIT);

            assertThat(events).filteredOn(StreamEvent.ItemDone.class::isInstance)
                    .extracting(e -> ((StreamEvent.ItemDone) e).outputIndex() + ":" + ((StreamEvent.ItemDone) e)
                            .item().type())
                    .containsExactly("0:web_search_call", "1:message");
            assertThat(events).noneMatch(e -> e instanceof StreamEvent.ItemAdded a
                    && a.item() instanceof FunctionCallItem);
            assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(StreamEvent.Completed.class,
                    c -> assertThat(c.turn().output()).extracting(Item::type).containsExactly("web_search_call",
                            "message"));
        }
    }

    @Test
    void truncationAutoLeavesOutTheOldestHalfWhileTheContextIsTooLong() {
        var history = Conversation.create();
        for (int i = 0; i < 4; i++) {
            history = history.withTurn(Turn.completed(List.of(MessageItem.user("q" + i)),
                    List.of(MessageItem.assistant("a" + i))));
        }
        var model = new FakeModel().fails(new ContextWindowExceededException("too long", 400, null, null, null))
                .answers(MessageItem.assistant("ok"));
        ToolPlan plan = ToolPlan.of(CHAT, RequestOptions.none(), new Searches(), LIMITS);

        Turn turn = new AgentLoop(plan, model, new Searches(), LIMITS, INPUT, true, usage -> null).send(history).await()
                .atMost(WAIT);

        assertThat(turn.outputText()).isEqualTo("ok");
        Conversation retried = model.calls.get(1).conversation();
        assertThat(retried.contextPolicy().apply(ContextWindow.select(retried, INPUT)).history())
                .extracting(Turn::outputText).containsExactly("a2", "a3");
    }

    @Test
    void eachModelCallOfALoopIsPricedByItsOwnInputLength() {
        var pricing = new Pricing("USD", List.of(new PriceTier(30_000L, BigDecimal.ONE, null, BigDecimal.ONE, null),
                new PriceTier(null, BigDecimal.TEN, null, BigDecimal.TEN, null)), null);
        var model = new FakeModel().answers(Usage.of(20_000, 0), search("c1", "東京"))
                .answers(Usage.of(25_000, 1_000), MessageItem.assistant("晴れ"));
        ToolPlan plan = ToolPlan.of(CHAT, options("{\"tools\":[{\"type\":\"web_search\"}]}"), new Searches(),
                LIMITS);
        var loop = new AgentLoop(plan, model, new Searches(), LIMITS, INPUT, false, pricing::cost);

        Turn turn = loop.send(Conversation.create()).await().atMost(WAIT);

        // 45,000 input tokens together would be the second tier; each call alone is the first.
        assertThat(turn.usage().inputTokens()).isEqualTo(45_000);
        assertThat(loop.cost(turn).total()).isEqualByComparingTo("0.046");
    }
}
