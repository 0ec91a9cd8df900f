package io.kaiwa.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.spi.TokenEstimator;

class ContextPolicyTest {
    private static final List<Item> NEW_INPUT = List.of(MessageItem.user("next question"));

    private static Turn turn(int n) {
        return Turn.completed(List.of(MessageItem.user("question " + n)),
                List.of(ReasoningItem.ofText("thinking about " + n), MessageItem.assistant("answer " + n)));
    }

    private static Conversation conversation(int turns, ContextPolicy policy) {
        var b = Conversation.builder().instructions("Be brief.").contextPolicy(policy);
        for (int i = 1; i <= turns; i++) {
            b.addTurn(turn(i));
        }
        return b.build();
    }

    private static List<String> texts(List<Item> items) {
        var texts = new ArrayList<String>();
        for (Item item : items) {
            if (item instanceof MessageItem m) {
                texts.add(m.text());
            } else if (item instanceof ReasoningItem r) {
                texts.add("reasoning: " + r.text());
            } else if (item instanceof FunctionCallItem c) {
                texts.add("call " + c.callId());
            } else if (item instanceof FunctionCallOutputItem o) {
                texts.add("output " + o.callId());
            }
        }
        return texts;
    }

    @Nested
    class KeepAll {
        @Test
        void replaysEveryTurnThenTheNewInput() {
            var window = ContextWindow.select(conversation(2, ContextPolicy.keepAll()), NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.KEEP))).containsExactly("question 1",
                    "reasoning: thinking about 1", "answer 1", "question 2", "reasoning: thinking about 2",
                    "answer 2", "next question");
            assertThat(window.instructions()).isEqualTo("Be brief.");
        }

        @Test
        void leavesReasoningOutWhenAskedTo() {
            var window = ContextWindow.select(conversation(2, ContextPolicy.keepAll()), NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("question 1", "answer 1",
                    "question 2", "answer 2", "next question");
        }

        @Test
        void keepsReasoningInTheNewInputEvenWhenOmittingHistoryReasoning() {
            List<Item> input = List.of(ReasoningItem.ofText("carried"), MessageItem.user("go on"));
            var window = ContextWindow.select(conversation(1, ContextPolicy.keepAll()), input);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("question 1", "answer 1",
                    "reasoning: carried", "go on");
        }

        @Test
        void skipsFailedAndCancelledTurns() {
            var failed = Turn.builder().input(List.of(MessageItem.user("lost"))).status(TurnStatus.FAILED)
                    .error(new TurnError("server_error", "boom")).build();
            var cancelled = Turn.builder().input(List.of(MessageItem.user("stopped"))).status(TurnStatus.CANCELLED)
                    .build();
            var incomplete = Turn.builder().input(List.of(MessageItem.user("long")))
                    .output(List.of(MessageItem.assistant("cut"))).status(TurnStatus.INCOMPLETE).build();
            var c = conversation(1, ContextPolicy.keepAll()).withTurn(failed).withTurn(cancelled)
                    .withTurn(incomplete);

            var window = ContextWindow.select(c, NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("question 1", "answer 1", "long",
                    "cut", "next question");
        }
    }

    @Nested
    class LastTurns {
        @Test
        void keepsExactlyTheLastNTurns() {
            var window = ContextWindow.select(conversation(5, ContextPolicy.lastTurns(2)), NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("question 4", "answer 4",
                    "question 5", "answer 5", "next question");
        }

        @Test
        void changesNothingWhenTheHistoryIsShorter() {
            var c = conversation(2, ContextPolicy.lastTurns(3));

            var window = ContextWindow.select(c, NEW_INPUT);

            assertThat(window.history()).isEqualTo(c.turns());
        }

        @Test
        void zeroTurnsSendsOnlyInstructionsAndInput() {
            var window = ContextWindow.select(conversation(3, ContextPolicy.lastTurns(0)), NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.KEEP))).containsExactly("next question");
            assertThat(window.instructions()).isEqualTo("Be brief.");
        }

        @Test
        void keepsTheTurnWhoseFunctionCallsTheOldestKeptTurnAnswers() {
            var call = Turn.completed(List.of(MessageItem.user("weather?")),
                    List.of(new FunctionCallItem("call_1", "weather", "{}")));
            var answer = Turn.completed(List.of(new FunctionCallOutputItem("call_1", "sunny")),
                    List.of(MessageItem.assistant("It is sunny.")));
            var c = conversation(2, ContextPolicy.lastTurns(1)).withTurn(call).withTurn(answer);

            var window = ContextWindow.select(c, NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("weather?", "call call_1",
                    "output call_1", "It is sunny.", "next question");
        }

        @Test
        void keepsTheTurnWhoseFunctionCallsTheNewInputAnswers() {
            var call = Turn.completed(List.of(MessageItem.user("weather?")),
                    List.of(new FunctionCallItem("call_9", "weather", "{}")));
            var c = conversation(2, ContextPolicy.lastTurns(0)).withTurn(call);

            var window = ContextWindow.select(c, List.of(new FunctionCallOutputItem("call_9", "rain")));

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("weather?", "call call_9",
                    "output call_9");
        }

        @Test
        void rejectsANegativeCount() {
            assertThatThrownBy(() -> ContextPolicy.lastTurns(-1)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void inBlocksKeepsTheSameFirstTurnUntilAWholeBlockCanGo() {
            var firstKept = new ArrayList<String>();
            for (int turns = 4; turns <= 9; turns++) {
                var window = ContextWindow.select(conversation(turns, ContextPolicy.lastTurns(2, 3)), NEW_INPUT);
                firstKept.add(texts(window.items(ReasoningReplay.OMIT)).get(0));
            }

            // 4 turns: 2 over, no whole block; 5: one block of 3 goes; 8: the next block goes
            assertThat(firstKept).containsExactly("question 1", "question 4", "question 4", "question 4",
                    "question 7", "question 7");
        }

        @Test
        void inBlocksNeverKeepsFewerThanTheTurnsAsked() {
            for (int turns = 0; turns <= 12; turns++) {
                var window = ContextWindow.select(conversation(turns, ContextPolicy.lastTurns(3, 4)), NEW_INPUT);
                assertThat(window.history().size()).as("of %d turns", turns).isBetween(Math.min(turns, 3), 6);
            }
        }

        @Test
        void rejectsABlockBelowOne() {
            assertThatThrownBy(() -> ContextPolicy.lastTurns(2, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("block");
        }
    }

    @Nested
    class TokenBudget {
        /** Counts one token per character of message text, so budgets are easy to reason about. */
        private final TokenEstimator chars = new TokenEstimator() {
            @Override
            public long estimateText(String text) {
                return text == null ? 0 : text.length();
            }

            @Override
            public long estimate(Item item) {
                if (item instanceof MessageItem m) {
                    return m.text().length();
                }
                if (item instanceof ReasoningItem r) {
                    return r.text().length();
                }
                return 10;
            }
        };

        @Test
        void keepsTheNewestTurnsThatFit() {
            // instructions 9 + input 13 = 22; each turn costs 10 + 16 + 8 = 34 tokens.
            var policy = ContextPolicy.tokenBudget(22 + 2 * 34, chars);

            var window = ContextWindow.select(conversation(5, policy), NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("question 4", "answer 4",
                    "question 5", "answer 5", "next question");
        }

        @Test
        void oneTokenShortDropsAnotherTurn() {
            var policy = ContextPolicy.tokenBudget(22 + 2 * 34 - 1, chars);

            var window = ContextWindow.select(conversation(5, policy), NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("question 5", "answer 5",
                    "next question");
        }

        @Test
        void stopsAtTheFirstTurnThatDoesNotFitWithoutSkippingIt() {
            var big = Turn.completed(List.of(MessageItem.user("x".repeat(500))), List.of(MessageItem.assistant("y")));
            var c = conversation(1, ContextPolicy.tokenBudget(22 + 2 * 34 + 40, chars)).withTurn(big)
                    .withTurn(turn(7));

            var window = ContextWindow.select(c, NEW_INPUT);

            assertThat(texts(window.items(ReasoningReplay.OMIT))).containsExactly("question 7", "answer 7",
                    "next question");
        }

        @Test
        void sendsOnlyTheInputWhenNothingFits() {
            var window = ContextWindow.select(conversation(3, ContextPolicy.tokenBudget(5, chars)), NEW_INPUT);

            assertThat(window.history()).isEmpty();
            assertThat(window.input()).isEqualTo(NEW_INPUT);
        }

        @Test
        void composesWithLastTurns() {
            var policy = ContextPolicy.lastTurns(3).andThen(ContextPolicy.tokenBudget(1_000_000, chars));

            var window = ContextWindow.select(conversation(5, policy), NEW_INPUT);

            assertThat(window.history()).hasSize(3);
            assertThat(policy).isInstanceOf(ChainedPolicy.class);
            assertThat(((ChainedPolicy) policy.andThen(ContextPolicy.keepAll())).policies()).hasSize(3);
        }

        @Test
        void changesOnlyTheHistory() {
            var c = conversation(5, ContextPolicy.tokenBudget(60, chars));

            var window = ContextWindow.select(c, NEW_INPUT);

            assertThat(window.instructions()).isEqualTo(c.instructions());
            assertThat(window.input()).isEqualTo(NEW_INPUT);
            assertThat(c.turns()).containsSubsequence(window.history());
        }
    }
}
