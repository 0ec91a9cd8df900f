package io.kaiwa.runtime.tools.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.kaiwa.core.item.WebSearchCallItem;

class SearchResultsTest {
    private static final SearchResults TWO = new SearchResults("searxng", "quarkus native image",
            List.of(new SearchResult("Building a Native Executable - Quarkus",
                    "https://quarkus.io/guides/building-native-image",
                    "This guide covers:\n compiling to a native\texecutable.",
                    null), new SearchResult("", "https://www.graalvm.org/native-image/", "", "2026-01-20T00:00:00")),
            List.of("these engines did not answer: google (timeout)"));

    @Nested
    class Rendering {
        @Test
        void numbersEachResultWithTitleUrlAndSnippetOnTheirOwnLines() {
            assertThat(TWO.render()).isEqualTo("""
                    Search results for "quarkus native image" (2):

                    [1] Building a Native Executable - Quarkus
                    https://quarkus.io/guides/building-native-image
                    This guide covers: compiling to a native executable.

                    [2] (untitled)
                    https://www.graalvm.org/native-image/
                    Published: 2026-01-20T00:00:00
                    Note: these engines did not answer: google (timeout)""");
        }

        @Test
        void saysSoWhenNothingWasFound() {
            var none = SearchResults.of("brave", "zqxjv", List.of());

            assertThat(none.render()).isEqualTo("No results for \"zqxjv\".");
        }

        @Test
        void clipsLongFieldsWithAnEllipsis() {
            String longSnippet = "word ".repeat(200);
            var one = SearchResults.of("brave", "q",
                    List.of(SearchResult.of("T".repeat(300), "https://example.org/a", longSnippet)));

            String text = one.render();

            assertThat(text).contains("[1] " + "T".repeat(199) + "…\n");
            String snippetLine = text.substring(text.lastIndexOf('\n') + 1);
            assertThat(snippetLine).hasSize(400).endsWith("…");
        }

        @Test
        void staysWithinTheBoundAndCountsTheResultsLeftOut() {
            var many = new ArrayList<SearchResult>();
            for (int i = 1; i <= 30; i++) {
                many.add(SearchResult.of("Result number " + i, "https://example.org/page/" + i,
                        "A snippet that is long enough to matter. ".repeat(8)));
            }
            var results = SearchResults.of("searxng", "bounded", many);

            String text = results.render(1_500);

            assertThat(text.length()).isLessThanOrEqualTo(1_500);
            assertThat(text).contains("[1] Result number 1").doesNotContain("[30]");
            int shown = (int) text.lines().filter(l -> l.startsWith("[")).count();
            assertThat(text).endsWith("(" + (30 - shown) + " more results not shown)");
        }

        @Test
        void aLongQueryDoesNotCrowdOutTheSmallestBudget() {
            var results = SearchResults.of("searxng", "q".repeat(1_000),
                    List.of(SearchResult.of("T", "https://example.org/" + "p".repeat(300), "s")));

            String text = results.render(SearchResults.MIN_RENDER_CHARS);

            assertThat(text.length()).isLessThanOrEqualTo(SearchResults.MIN_RENDER_CHARS);
            assertThat(text).endsWith("(1 more results not shown)");
        }

        @Test
        void neverSplitsASurrogatePair() {
            String emoji = "😀".repeat(300);
            var results = SearchResults.of("brave", "emoji", List.of(SearchResult.of(emoji, "https://e.org", emoji)));

            String text = results.render();

            for (int i = 0; i < text.length(); i++) {
                if (Character.isHighSurrogate(text.charAt(i))) {
                    assertThat(Character.isLowSurrogate(text.charAt(i + 1))).isTrue();
                }
            }
        }

        @Test
        void rejectsABoundTooSmallForAnyResult() {
            assertThatThrownBy(() -> TWO.render(50)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Sources {
        @Test
        void areTheUrlsInRankOrderEachOnce() {
            var results = SearchResults.of("brave", "q",
                    List.of(SearchResult.of("A", "https://a.example/", ""),
                            SearchResult.of("B", "https://b.example/", ""),
                            SearchResult.of("A again", "https://a.example/", "")));

            assertThat(results.sources()).containsExactly(
                    new WebSearchCallItem.Source("url", "https://a.example/", null),
                    new WebSearchCallItem.Source("url", "https://b.example/", null));
            assertThat(results.action().type()).isEqualTo("search");
            assertThat(results.action().query()).isEqualTo("q");
            assertThat(results.action().sources()).hasSize(2);
        }
    }

    @Test
    void aResultNeedsAUrl() {
        assertThatThrownBy(() -> SearchResult.of("t", " ", "s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SearchResult.of("t", null, "s")).isInstanceOf(NullPointerException.class);
        assertThat(new SearchResult(null, "https://e.org", null, " "))
                .isEqualTo(new SearchResult("", "https://e.org", "", null));
    }
}
