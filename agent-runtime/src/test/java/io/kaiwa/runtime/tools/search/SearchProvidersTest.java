package io.kaiwa.runtime.tools.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.core.Vertx;

class SearchProvidersTest {
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void createsSearxngFromItsSettings() {
        try (SearchProvider p = SearchProviders.create("SearXNG", Map.of("base-url", "http://127.0.0.1:8888/",
                "timeout", "500ms", "max-results", "5", "categories", "general,news", "language", "en", "safesearch",
                "1", "param.engines", "duckduckgo"), vertx)) {
            assertThat(p.name()).isEqualTo("searxng");
            assertThat(((SearxngSearchProvider) p).settings()).isEqualTo(new SearxngSettings(
                    URI.create("http://127.0.0.1:8888"), Duration.ofMillis(500), 5,
                    SearxngSettings.DEFAULT_MAX_RESPONSE_BYTES, "general,news", "en", 1,
                    Map.of("engines", "duckduckgo")));
        }
    }

    @Test
    void createsBraveWithDefaultsFromJustAKey() {
        try (SearchProvider p = SearchProviders.create("brave", Map.of("api-key", "BSA-secret"), vertx)) {
            var settings = ((BraveSearchProvider) p).settings();
            assertThat(settings.baseUrl()).isEqualTo(URI.create("https://api.search.brave.com/res/v1"));
            assertThat(settings.apiKey()).isEqualTo("BSA-secret");
            assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.maxResults()).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @CsvSource({"10s,PT10S", "750ms,PT0.75S", "PT2S,PT2S", "3,PT3S", "1m,PT1M"})
    void readsDurationsTheWayQuarkusWritesThem(String text, String expected) {
        var settings = SearxngSettings.fromMap(Map.of("base-url", "http://127.0.0.1:1", "timeout", text));

        assertThat(settings.timeout()).isEqualTo(Duration.parse(expected));
    }

    @Test
    void rejectsAnUnknownKind() {
        assertThatThrownBy(() -> SearchProviders.create("bing", Map.of(), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bing")
                .hasMessageContaining("searxng, brave");
    }

    @Test
    void rejectsAnUnknownKeySoATypoIsNoticed() {
        assertThatThrownBy(() -> SearchProviders.create("searxng",
                Map.of("base-url", "http://127.0.0.1:1", "max-result", "5"), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[max-result]")
                .hasMessageContaining("max-results");
    }

    @Test
    void searxngNeedsABaseUrl() {
        assertThatThrownBy(() -> SearchProviders.create("searxng", Map.of(), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base-url");
    }

    @Test
    void braveNeedsAKey() {
        assertThatThrownBy(() -> SearchProviders.create("brave", Map.of("api-key", " "), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("api-key");
    }

    @Test
    void braveCountIsAtMostTwenty() {
        assertThatThrownBy(() -> BraveSettings.fromMap(Map.of("api-key", "k", "max-results", "50")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 20");
    }

    @Test
    void extraParamsCannotOverrideWhatKaiwaSets() {
        assertThatThrownBy(() -> SearxngSettings.fromMap(Map.of("base-url", "http://127.0.0.1:1", "param.format",
                "html"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format");
    }

    @Test
    void baseUrlsWithCredentialsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> SearxngSettings.of("https://admin:hunter2@search.example.org"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void invalidValuesNameTheKeyButNeverEchoASecret() {
        assertThatThrownBy(() -> BraveSettings.fromMap(Map.of("api-key", "BSA-secret", "safesearch", "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("safesearch")
                .hasMessageNotContaining("BSA-secret");
        assertThatThrownBy(() -> SearxngSettings.fromMap(Map.of("base-url", "http://127.0.0.1:1", "timeout", "soon")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void braveRefusesToSendItsKeyInClearTextToAnotherMachine() {
        assertThatThrownBy(() -> SearchProviders.create("brave", Map.of("api-key", "k",
                "base-url", "http://search.example/res/v1"), vertx)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https");
    }
}
