package io.kaiwa.runtime.tools.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.kaiwa.runtime.config.KaiwaConfig;
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

    /** {@code kaiwa.tools.web-search.*} as Quarkus would read it. */
    record Settings(Optional<String> provider, Optional<String> baseUrl, Optional<String> apiKey, int maxResults,
            Duration timeout, int maxResponseBytes, Optional<String> categories, Optional<String> language,
            Optional<String> safesearch, Optional<String> country, Optional<String> searchLang,
            Map<String, String> params) implements KaiwaConfig.WebSearch {
        static Settings of(String provider) {
            return new Settings(Optional.of(provider), Optional.empty(), Optional.empty(), 10, Duration.ofSeconds(10),
                    2 * 1024 * 1024, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Map.of());
        }

        Settings baseUrl(String url) {
            return new Settings(provider, Optional.of(url), apiKey, maxResults, timeout, maxResponseBytes, categories,
                    language, safesearch, country, searchLang, params);
        }

        Settings apiKey(String key) {
            return new Settings(provider, baseUrl, Optional.of(key), maxResults, timeout, maxResponseBytes,
                    categories, language, safesearch, country, searchLang, params);
        }

        Settings maxResults(int max) {
            return new Settings(provider, baseUrl, apiKey, max, timeout, maxResponseBytes, categories, language,
                    safesearch, country, searchLang, params);
        }

        Settings safesearch(String level) {
            return new Settings(provider, baseUrl, apiKey, maxResults, timeout, maxResponseBytes, categories,
                    language, Optional.of(level), country, searchLang, params);
        }

        Settings params(Map<String, String> extra) {
            return new Settings(provider, baseUrl, apiKey, maxResults, timeout, maxResponseBytes, categories,
                    language, safesearch, country, searchLang, extra);
        }
    }

    @Test
    void createsSearxngFromItsSettings() {
        var settings = new Settings(Optional.of("SearXNG"), Optional.of("http://127.0.0.1:8888/"), Optional.empty(),
                5, Duration.ofMillis(500), SearxngSettings.DEFAULT_MAX_RESPONSE_BYTES, Optional.of("general,news"),
                Optional.of("en"), Optional.of("1"), Optional.empty(), Optional.empty(),
                Map.of("engines", "duckduckgo"));

        try (SearchProvider p = SearchProviders.create(settings, vertx)) {
            assertThat(p.name()).isEqualTo("searxng");
            assertThat(((SearxngSearchProvider) p).settings()).isEqualTo(new SearxngSettings(
                    URI.create("http://127.0.0.1:8888"), Duration.ofMillis(500), 5,
                    SearxngSettings.DEFAULT_MAX_RESPONSE_BYTES, "general,news", "en", 1,
                    Map.of("engines", "duckduckgo")));
        }
    }

    @Test
    void createsBraveWithDefaultsFromJustAKey() {
        try (SearchProvider p = SearchProviders.create(Settings.of("brave").apiKey("BSA-secret"), vertx)) {
            var settings = ((BraveSearchProvider) p).settings();
            assertThat(settings.baseUrl()).isEqualTo(URI.create("https://api.search.brave.com/res/v1"));
            assertThat(settings.apiKey()).isEqualTo("BSA-secret");
            assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(settings.maxResults()).isEqualTo(10);
        }
    }

    @Test
    void rejectsAnUnknownKind() {
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("bing"), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bing")
                .hasMessageContaining("searxng, brave");
    }

    @Test
    void searxngNeedsABaseUrl() {
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("searxng"), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kaiwa.tools.web-search.base-url");
    }

    @Test
    void braveNeedsAKey() {
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("brave").apiKey(" "), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kaiwa.tools.web-search.api-key");
    }

    @Test
    void braveCountIsAtMostTwenty() {
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("brave").apiKey("k").maxResults(50), vertx))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 20");
    }

    @Test
    void extraParamsCannotOverrideWhatKaiwaSets() {
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("searxng").baseUrl("http://127.0.0.1:1")
                .params(Map.of("format", "html")), vertx)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format");
    }

    @Test
    void baseUrlsWithCredentialsAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> SearxngSettings.of("https://admin:hunter2@search.example.org"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("credentials")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void invalidValuesNameTheSettingButNeverEchoASecret() {
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("brave").apiKey("BSA-secret").safesearch("maybe"),
                vertx)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("safesearch")
                .hasMessageNotContaining("BSA-secret");
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("searxng").baseUrl("http://127.0.0.1:1")
                .safesearch("soon"), vertx)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kaiwa.tools.web-search.safesearch");
    }

    @Test
    void braveRefusesToSendItsKeyInClearTextToAnotherMachine() {
        assertThatThrownBy(() -> SearchProviders.create(Settings.of("brave").apiKey("k")
                .baseUrl("http://search.example/res/v1"), vertx)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https");
    }
}
