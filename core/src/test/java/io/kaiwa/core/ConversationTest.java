package io.kaiwa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;

class ConversationTest {
    private static Turn turn(String question, String answer, Usage usage) {
        return Turn.builder().input(List.of(MessageItem.user(question)))
                .output(List.of(MessageItem.assistant(answer))).usage(usage).build();
    }

    @Nested
    class IsAnImmutableValue {
        @Test
        void withTurnReturnsANewConversationAndLeavesTheOldOne() {
            var empty = Conversation.builder().id("c1").model("qwen-plus").instructions("Be brief.").build();

            var one = empty.withTurn(turn("q", "a", Usage.of(10, 2)));

            assertThat(empty.turns()).isEmpty();
            assertThat(one.turns()).hasSize(1);
            assertThat(one.id()).isEqualTo("c1");
            assertThat(one.model()).isEqualTo("qwen-plus");
            assertThat(one.instructions()).isEqualTo("Be brief.");
            assertThatThrownBy(() -> one.turns().add(turn("x", "y", null)))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void copiesTheMetadataItIsGiven() {
            var metadata = new HashMap<String, String>(Map.of("user", "u1"));
            var c = Conversation.builder().metadata(metadata).build();

            metadata.put("user", "u2");

            assertThat(c.metadata()).containsExactly(Map.entry("user", "u1"));
            assertThat(c.withMetadata(null).metadata()).isEmpty();
        }

        @Test
        void withersChangeOnlyTheirField() {
            var c = Conversation.builder().id("c").build().withTurn(turn("q", "a", null));

            var changed = c.withModel("qwen-max").withInstructions("I").withContextPolicy(ContextPolicy.lastTurns(2));

            assertThat(changed.turns()).isEqualTo(c.turns());
            assertThat(changed.contextPolicy()).isEqualTo(ContextPolicy.lastTurns(2));
            assertThat(changed.toBuilder().build()).isEqualTo(changed);
            assertThat(changed).isNotEqualTo(c);
        }

        @Test
        void getsARandomIdWhenNoneIsGiven() {
            assertThat(Conversation.create().id()).isNotEqualTo(Conversation.create().id()).hasSize(36);
            assertThat(Conversation.create().contextPolicy()).isEqualTo(ContextPolicy.keepAll());
        }
    }

    @Nested
    class KeepsRunningTotals {
        @Test
        void addsUsageAcrossTurnsIncludingToolCounts() {
            var first = new Usage(100, 20, 120, 0, 5, Map.of("web_search", 1L));
            var second = new Usage(150, 30, 180, 80, 0, Map.of("web_search", 2L, "code_interpreter", 1L));

            var c = Conversation.create().withTurn(turn("a", "b", first)).withTurn(turn("c", "d", second));

            assertThat(c.totals()).isEqualTo(new Usage(250, 50, 300, 80, 5,
                    Map.of("web_search", 3L, "code_interpreter", 1L)));
            assertThat(c.totals().totalToolCalls()).isEqualTo(4);
            assertThat(c.toBuilder().build().totals()).isEqualTo(c.totals());
        }

        @Test
        void zeroIsTheIdentity() {
            var u = new Usage(1, 2, 3, 4, 5, Map.of("t", 6L));

            assertThat(u.plus(Usage.ZERO)).isSameAs(u);
            assertThat(Usage.ZERO.plus(u)).isSameAs(u);
        }
    }

    @Nested
    class Turns {
        @Test
        void aFailedTurnNeedsAnError() {
            assertThatThrownBy(() -> Turn.builder().status(TurnStatus.FAILED).build())
                    .isInstanceOf(IllegalArgumentException.class);
            var failed = Turn.builder().status(TurnStatus.FAILED).error(new TurnError("rate_limit", "slow down"))
                    .build();
            assertThat(failed.status().replayable()).isFalse();
        }

        @Test
        void reportsItsDurationAndText() {
            var start = Instant.parse("2026-01-01T00:00:00Z");
            var t = Turn.builder().startedAt(start).completedAt(start.plusMillis(1500))
                    .output(List.of(ReasoningItem.ofText("hm"), MessageItem.assistant("Hello, "),
                            new FunctionCallItem("c", "f", "{}"), MessageItem.assistant("world")))
                    .build();

            assertThat(t.duration()).isEqualTo(Duration.ofMillis(1500));
            assertThat(t.outputText()).isEqualTo("Hello, world");
            assertThat(Turn.completed(List.of(), List.of()).duration()).isNull();
            assertThat(t.toBuilder().build()).isEqualTo(t);
        }

        @Test
        void rejectsTimeRunningBackwards() {
            var now = Instant.now();
            assertThatThrownBy(() -> Turn.builder().startedAt(now).completedAt(now.minusSeconds(1)).build())
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aProviderResponseIsUsableOnlyByItsProviderBeforeItExpires() {
            var now = Instant.parse("2026-01-08T00:00:00Z");
            var ref = new ProviderResponse("dashscope-intl/responses", "resp_1", now.plusSeconds(60));

            assertThat(ref.usableBy("dashscope-intl/responses", now)).isTrue();
            assertThat(ref.usableBy("openai/responses", now)).isFalse();
            assertThat(ref.usableBy("dashscope-intl/responses", now.plusSeconds(60))).isFalse();
            assertThat(new ProviderResponse("p", "r", null).usableBy("p", now.plusSeconds(1_000_000))).isTrue();
        }
    }
}
