package io.kaiwa.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.Turn;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;

class RecallTest {
    private static Turn turn(String question, String answer) {
        return Turn.completed(List.of(MessageItem.user(question)), List.of(MessageItem.assistant(answer)));
    }

    @Test
    void aTurnsTextIsWhoSaidWhatCutToTheLengthAsked() {
        Turn t = turn("  私の猫はミケです ", "覚えました");

        assertThat(Recall.text(t, 1000)).isEqualTo("User: 私の猫はミケです\nAssistant: 覚えました");
        assertThat(Recall.text(t, 8)).isEqualTo("User: 私の");
    }

    @Test
    void aTurnsPartsAreWhatTheUserSaidAndWhatTheAssistantAnsweredEachCut() {
        assertThat(Recall.parts(turn(" 私の猫はミケです ", "覚えました"), 1000)).containsExactly("私の猫はミケです", "覚えました");
        assertThat(Recall.parts(turn("abcdef", "ghijkl"), 3)).containsExactly("abc", "ghi");
        assertThat(Recall.parts(Turn.completed(List.of(new FunctionCallOutputItem("c1", "42")), List.of()), 10))
                .containsExactly("", "");
    }

    @Test
    void theQueryIsTheUsersTextAndNoneForAToolsOutput() {
        assertThat(Recall.query(List.of(MessageItem.user("a"), MessageItem.user("b")))).isEqualTo("a\nb");
        assertThat(Recall.query(List.of(new FunctionCallOutputItem("c1", "42")))).isNull();
    }

    @Test
    void topReturnsTheMostAlikeAboveTheThresholdMostAlikeFirst() {
        float[] q = Recall.unit(new float[]{1, 0, 0});
        List<float[]> candidates = Arrays.asList(Recall.unit(new float[]{0, 1, 0}),
                Recall.unit(new float[]{1, 1, 0}), null, Recall.unit(new float[]{1, 0.1f, 0}),
                Recall.unit(new float[]{1, 0.5f, 0}));

        var top = Recall.top(q, candidates, 2, 0.5);

        assertThat(top).extracting(Recall.Scored::index).containsExactly(3, 4);
        assertThat(top.get(0).score()).isGreaterThan(top.get(1).score());
        assertThat(Recall.top(q, candidates, 10, 0.8)).extracting(Recall.Scored::index).containsExactly(3, 4);
        assertThatThrownBy(() -> Recall.similarity(q, new float[2])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recalledTurnsGoMarkedOldestFirstAtTheStartOfTheLastUserMessage() {
        List<Item> input = List.of(MessageItem.user("first"), MessageItem.user("猫の名前は?"));
        var recalled = List.of(new Recall.Recalled(turn("b", "B"), 40, 0.6),
                new Recall.Recalled(turn("私の猫はミケです", "はい"), 12, 0.9));

        List<Item> out = Recall.withRecalled(input, recalled, 1000);

        assertThat(out.get(0)).isEqualTo(input.get(0));
        MessageItem last = (MessageItem) out.get(1);
        assertThat(last.content()).hasSize(2);
        assertThat(last.text()).isEqualTo(Recall.HEADING + "\n\n[Turn 12]\nUser: 私の猫はミケです\nAssistant: はい"
                + "\n\n[Turn 40]\nUser: b\nAssistant: B\n" + Recall.END + "\n\n猫の名前は?");
        assertThat(Recall.withRecalled(input, List.of(), 1000)).isSameAs(input);
    }
}
