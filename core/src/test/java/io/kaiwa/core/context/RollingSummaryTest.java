package io.kaiwa.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.Usage;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.spi.TokenEstimator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

class RollingSummaryTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final TokenEstimator ESTIMATOR = TokenEstimator.defaultEstimator();

    /** Summarises by listing what it was given, and notes each call. */
    static final class Notes implements Summarizer {
        final List<String> previous = new ArrayList<>();
        final List<List<Item>> given = new ArrayList<>();

        @Override
        public Uni<Summary> summarize(String before, List<Item> items) {
            previous.add(before);
            given.add(items);
            return Uni.createFrom().item(new Summary("summary #" + given.size(), Usage.of(100, 10)));
        }
    }

    static Conversation conversation(int turns, int charsPerTurn) {
        var c = Conversation.builder().instructions("短く答えて").build();
        for (int i = 0; i < turns; i++) {
            c = c.withTurn(Turn.completed(List.of(MessageItem.user(i + ":" + "あ".repeat(charsPerTurn))),
                    List.of(MessageItem.assistant("はい" + i))));
        }
        return c;
    }

    @Test
    void aWindowWithinTheThresholdGoesAsItIs() {
        var notes = new Notes();
        var memory = new RollingSummary(notes, ESTIMATOR, 10_000);
        var c = conversation(5, 100);

        assertThat(memory.compact(c, List.of(MessageItem.user("次"))).await().atMost(WAIT)).isSameAs(c);
        assertThat(notes.given).isEmpty();
    }

    @Test
    void pastTheThresholdTheOlderTurnsAreSummarisedAndTheRecentOnesKeptWordForWord() {
        var notes = new Notes();
        var memory = new RollingSummary(notes, ESTIMATOR, 1_000);
        var c = conversation(10, 200);
        List<Item> input = List.of(MessageItem.user("次"));

        Conversation compacted = memory.compact(c, input).await().atMost(WAIT);
        ContextWindow window = ContextWindow.select(compacted, input);

        assertThat(compacted.turns()).hasSize(11);
        assertThat(window.history()).hasSize(1);
        CompactionItem item = (CompactionItem) window.history().get(0).input().get(0);
        assertThat(item.summary()).isEqualTo("summary #1");
        // 30 % of 1,000 tokens holds one turn of ~210: the last one, word for word.
        assertThat(item.kept()).extracting(i -> ((MessageItem) i).text()).containsExactly("9:" + "あ".repeat(200),
                "はい9");
        assertThat(notes.given.get(0)).hasSize(18).first().extracting(i -> ((MessageItem) i).text())
                .isEqualTo("0:" + "あ".repeat(200));
        assertThat(notes.previous.get(0)).isNull();
        assertThat(memory.estimate(window)).isLessThan(1_000);
        assertThat(compacted.turns().get(10).usage()).isEqualTo(Usage.of(100, 10));
    }

    @Test
    void theNextCompactionFoldsThePreviousSummaryAndItsKeptTurnsIn() {
        var notes = new Notes();
        var memory = new RollingSummary(notes, ESTIMATOR, 1_000);
        var c = memory.compact(conversation(10, 200), List.of(MessageItem.user("x"))).await().atMost(WAIT);
        for (int i = 10; i < 16; i++) {
            c = c.withTurn(Turn.completed(List.of(MessageItem.user(i + ":" + "い".repeat(200))),
                    List.of(MessageItem.assistant("はい" + i))));
        }

        memory.compact(c, List.of(MessageItem.user("y"))).await().atMost(WAIT);

        assertThat(notes.previous).containsExactly(null, "summary #1");
        // The first compaction's kept turn (9) comes first among what is folded in, then 10 to 14.
        assertThat(((MessageItem) notes.given.get(1).get(0)).text()).startsWith("9:");
        assertThat(notes.given.get(1)).hasSize(12);
    }

    @Test
    void anInputPastTheThresholdWithNoHistoryHasNothingToFold() {
        var memory = new RollingSummary(new Notes(), ESTIMATOR, 100);
        var c = conversation(0, 0);

        assertThat(memory.compact(c, List.of(MessageItem.user("あ".repeat(1_000)))).await().atMost(WAIT))
                .isSameAs(c);
    }

    @Test
    void aTurnTooLargeToKeepIsSummarisedWhole() {
        var notes = new Notes();
        var memory = new RollingSummary(notes, ESTIMATOR, 100);

        Conversation compacted = memory.compact(conversation(1, 1_000), List.of(MessageItem.user("次"))).await()
                .atMost(WAIT);

        CompactionItem item = (CompactionItem) compacted.lastTurn().input().get(0);
        assertThat(item.kept()).isEmpty();
        assertThat(notes.given.get(0)).hasSize(2);
    }

    @Test
    void whatStandsBeforeTheLatestCompactionIsNotSentAndPoliciesNeverDropIt() {
        var c = conversation(3, 10).withContextPolicy(ContextPolicy.lastTurns(1));
        c = c.withTurn(RollingSummary.compactionTurn(CompactionItem.of("要約", List.of(MessageItem.user("残す"))),
                Usage.ZERO));
        for (int i = 0; i < 3; i++) {
            c = c.withTurn(Turn.completed(List.of(MessageItem.user("後" + i)), List.of(MessageItem.assistant("ok"))));
        }

        ContextWindow window = ContextWindow.select(c, List.of(MessageItem.user("今")));

        assertThat(window.history()).hasSize(2);
        assertThat(window.items(ReasoningReplay.OMIT)).extracting(Item::type).containsExactly("compaction",
                "message", "message", "message");
        // An input array that carries a compaction item: what precedes it is left out too.
        var fromClient = new ContextWindow(null, List.of(), List.of(MessageItem.user("古い"),
                CompactionItem.of("要約", List.of()), MessageItem.user("新しい")));
        assertThat(fromClient.items(ReasoningReplay.OMIT)).extracting(Item::type).containsExactly("compaction",
                "message");
    }

    @Test
    void aCompactionHeldInTheClearRoundTripsAsJsonAndExpandsForAChatApi() {
        var item = new CompactionItem("cmp_1", "要約", List.of(MessageItem.user("残す")), "sealed", null);

        Item back = KaiwaJson.readItem(KaiwaJson.toJson(item));

        assertThat(back).isEqualTo(item);
        assertThat(KaiwaJson.readItem("{\"type\":\"compaction\",\"encrypted_content\":\"opaque\"}"))
                .isInstanceOfSatisfying(CompactionItem.class, c -> assertThat(c.readable()).isFalse());
        assertThatThrownBy(() -> KaiwaJson.readItem("{\"type\":\"compaction\"}"))
                .hasMessageContaining("encrypted_content");
        assertThat(CompactionItem.expand(List.of(item, MessageItem.user("次")), false)).extracting(
                i -> ((MessageItem) i).text()).containsExactly(CompactionItem.SUMMARY_HEADING + "要約", "残す", "次");
        var opaque = new CompactionItem(null, null, null, "opaque", null);
        assertThat(CompactionItem.expand(List.of(opaque), false)).isEmpty();
        assertThat(CompactionItem.expand(List.of(opaque), true)).containsExactly(opaque);
    }

    @Test
    void theModelSummarizerSendsATranscriptAndThePreviousSummary() {
        var sent = new ArrayList<String>();
        ModelAdapter model = new ModelAdapter() {
            @Override
            public Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options) {
                sent.add(conversation.instructions());
                sent.add(((MessageItem) input.get(0)).text());
                return Uni.createFrom().item(new Turn(null, input, List.of(MessageItem.assistant("田中さんは東京に住む")),
                        Usage.of(50, 8), null, io.kaiwa.core.TurnStatus.COMPLETED, null, null, null, null));
            }

            @Override
            public Multi<StreamEvent> stream(Conversation conversation, List<Item> input, RequestOptions options) {
                throw new AssertionError("the summarizer asks for the whole answer; it never streams");
            }
        };

        var summary = new ModelSummarizer(model, "qwen-flash", RequestOptions.none()).summarize("以前の要約",
                List.of(MessageItem.user("私は田中です"), MessageItem.assistant("よろしく"))).await().atMost(WAIT);

        assertThat(summary.text()).isEqualTo("田中さんは東京に住む");
        assertThat(summary.usage()).isEqualTo(Usage.of(50, 8));
        assertThat(sent.get(0)).isEqualTo(ModelSummarizer.INSTRUCTIONS);
        assertThat(sent.get(1)).contains("Summary so far:\n以前の要約").contains("user: 私は田中です")
                .contains("assistant: よろしく");
    }
}
