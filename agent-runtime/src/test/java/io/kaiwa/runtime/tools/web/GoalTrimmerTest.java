package io.kaiwa.runtime.tools.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GoalTrimmerTest {
    final Article article = ArticleExtractor.fromHtml(Pages.ARTICLE);

    @Test
    void keepsEverythingThatFits() {
        String text = GoalTrimmer.trim(article, "anything", 100_000);

        assertThat(text).startsWith("# The Last Days of the Kyoto City Tram\n\nFor more than eighty years")
                .doesNotContain(GoalTrimmer.GAP).endsWith("cherry blossom season.");
    }

    @Test
    void keepsTheParagraphsAboutTheGoalInDocumentOrder() {
        String text = GoalTrimmer.trim(article, "How much did a ticket cost? fares", 700);

        assertThat(text).startsWith("# The Last Days of the Kyoto City Tram\n\n")
                .contains("A single ride cost 15 yen", "Students paid half fare")
                .doesNotContain("hydroelectric", "30 September 1978");
        assertThat(text.indexOf("15 yen")).isLessThan(text.indexOf("half fare"));
        assertThat(text.length()).isLessThanOrEqualTo(700);
    }

    @Test
    void followsADifferentGoalToDifferentParagraphs() {
        String text = GoalTrimmer.trim(article, "when did the last tram run, closure", 600);

        assertThat(text).contains("the last tram ran on 30 September 1978").doesNotContain("15 yen");
        assertThat(text).contains(GoalTrimmer.GAP);
    }

    @Test
    void keepsTheBeginningWhenNothingMatches() {
        String text = GoalTrimmer.trim(article, "zeppelin", 500);

        assertThat(text).contains("For more than eighty years").endsWith(GoalTrimmer.GAP);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 257, 333, 480, 999, 1500, 2222})
    void neverExceedsTheBudget(int budget) {
        assertThat(GoalTrimmer.trim(article, "tram fares closure cars", budget).length())
                .isLessThanOrEqualTo(budget);
        assertThat(GoalTrimmer.trim(article, null, budget).length()).isLessThanOrEqualTo(budget);
    }

    @Test
    void cutsASingleHugeParagraphAtAWord() {
        Article huge = new Article("T", List.of("word ".repeat(500).strip()));

        String text = GoalTrimmer.trim(huge, "word", 100);

        assertThat(text).startsWith("# T\n\nword word").endsWith("word…").hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void matchesCjkTextByCharacterPairs() {
        Article zh = new Article("京都市电", List.of("京都市电于1895年开业，是日本第一条电车线路。",
                "单程票价在六十年代为十五日元，学生半价。", "最后一班电车于1978年9月30日运行。"));

        String text = GoalTrimmer.trim(zh, "票价是多少", 50);

        assertThat(text).contains("单程票价").doesNotContain("1978");
        assertThat(GoalTrimmer.terms("票价 Fares")).containsExactly("票价", "fare");
    }
}
