package io.kaiwa.runtime.tools.search;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.kaiwa.runtime.tools.search.SearchException.Kind;
import io.vertx.core.Vertx;

class BraveSearchProviderTest {
    @RegisterExtension
    static final WireMockExtension brave = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static final String KEY = "BSAq7dXk2Lr9-test-subscription-token";
    private static final String PATH = "/res/v1/web/search";

    private static Vertx vertx;
    private BraveSearchProvider provider;

    /** A Brave web search answer in its documented shape: query, mixed, and web results with their extra fields. */
    static final String ANSWER = """
            {
              "type": "search",
              "query": {
                "original": "quarkus native image",
                "show_strict_warning": false,
                "is_navigational": false,
                "is_news_breaking": false,
                "spellcheck_off": true,
                "country": "us",
                "bad_results": false,
                "should_fallback": false,
                "postal_code": "",
                "city": "",
                "header_country": "",
                "more_results_available": true,
                "state": ""
              },
              "mixed": {
                "type": "mixed",
                "main": [
                  {"type": "web", "index": 0, "all": false},
                  {"type": "web", "index": 1, "all": false},
                  {"type": "web", "index": 2, "all": false}
                ],
                "top": [],
                "side": []
              },
              "web": {
                "type": "search",
                "results": [
                  {
                    "title": "Building a <strong>Native</strong> Executable - <strong>Quarkus</strong>",
                    "url": "https://quarkus.io/guides/building-native-image",
                    "is_source_local": false,
                    "is_source_both": false,
                    "description": "This guide covers: Compiling the application to a <strong>native</strong> executable; Packaging the <strong>native</strong> executable in a container &amp; more.",
                    "page_age": "2026-03-02T08:15:00",
                    "profile": {
                      "name": "Quarkus",
                      "url": "https://quarkus.io/guides/building-native-image",
                      "long_name": "quarkus.io",
                      "img": "https://imgs.search.brave.com/Xb1c2d3e4f5/rs:fit:32:32:1:0/g:ce/aHR0cDovL2Zhdmljb24"
                    },
                    "language": "en",
                    "family_friendly": true,
                    "type": "search_result",
                    "subtype": "generic",
                    "is_live": false,
                    "meta_url": {
                      "scheme": "https",
                      "netloc": "quarkus.io",
                      "hostname": "quarkus.io",
                      "favicon": "https://imgs.search.brave.com/Xb1c2d3e4f5/rs:fit:32:32:1:0/g:ce/aHR0cDovL2Zhdmljb24",
                      "path": "› guides  › building-native-image"
                    },
                    "age": "March 2, 2026"
                  },
                  {
                    "title": "GraalVM <strong>Native</strong> <strong>Image</strong>",
                    "url": "https://www.graalvm.org/latest/reference-manual/native-image/",
                    "is_source_local": false,
                    "is_source_both": false,
                    "description": "<strong>Native</strong> <strong>Image</strong> is a technology to compile Java code ahead-of-time to a binary &#x2013; a <strong>native</strong> executable. It&#x27;s fast.",
                    "profile": {"name": "Graalvm", "url": "https://www.graalvm.org/latest/reference-manual/native-image/", "long_name": "graalvm.org", "img": "https://imgs.search.brave.com/abc/favicon"},
                    "language": "en",
                    "family_friendly": true,
                    "type": "search_result",
                    "subtype": "generic",
                    "is_live": false,
                    "meta_url": {"scheme": "https", "netloc": "graalvm.org", "hostname": "www.graalvm.org", "favicon": "https://imgs.search.brave.com/abc/favicon", "path": "› latest  › reference-manual  › native-image"},
                    "thumbnail": {"src": "https://imgs.search.brave.com/thumb/graalvm", "original": "https://www.graalvm.org/resources/img/graalvm.png", "logo": false},
                    "extra_snippets": ["Native Image builds a standalone executable.", "It starts in milliseconds."],
                    "age": "2 weeks ago"
                  },
                  {
                    "title": "Native build fails · quarkusio/quarkus · Discussion #41234",
                    "url": "https://github.com/quarkusio/quarkus/discussions/41234",
                    "is_source_local": false,
                    "is_source_both": false,
                    "description": "",
                    "profile": {"name": "GitHub", "url": "https://github.com/quarkusio/quarkus/discussions/41234", "long_name": "github.com", "img": "https://imgs.search.brave.com/gh/favicon"},
                    "language": "en",
                    "family_friendly": true,
                    "type": "search_result",
                    "subtype": "qa",
                    "is_live": false,
                    "meta_url": {"scheme": "https", "netloc": "github.com", "hostname": "github.com", "favicon": "https://imgs.search.brave.com/gh/favicon", "path": "› quarkusio  › quarkus  › discussions  › 41234"}
                  }
                ],
                "family_friendly": true
              }
            }
            """;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void closeProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    private BraveSettings settings() {
        return BraveSettings.of(KEY).withBaseUrl(URI.create(brave.baseUrl() + "/res/v1/"))
                .withTimeout(Duration.ofSeconds(5));
    }

    private BraveSearchProvider provider(BraveSettings settings) {
        provider = BraveSearchProvider.create(vertx, settings);
        return provider;
    }

    private static String error(int status, String code, String detail, String meta) {
        return """
                {"type": "ErrorResponse", "error": {"id": "5d832250-9396-4f6e-b84a-2a1fe524cd7d", "status": %d,
                 "code": "%s", "detail": "%s", "meta": %s}, "time": 1719241245}
                """.formatted(status, code, detail, meta);
    }

    @Nested
    class Results {
        @Test
        void parsesWebResultsAndTurnsTheirMarkupToText() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER)));

            SearchResults found = Await.results(provider(settings()).search("quarkus native image", 10));

            assertThat(found.provider()).isEqualTo("brave");
            assertThat(found.results()).containsExactly(
                    new SearchResult("Building a Native Executable - Quarkus",
                            "https://quarkus.io/guides/building-native-image",
                            "This guide covers: Compiling the application to a native executable; Packaging the "
                                    + "native executable in a container & more.",
                            "2026-03-02T08:15:00"),
                    new SearchResult("GraalVM Native Image",
                            "https://www.graalvm.org/latest/reference-manual/native-image/",
                            "Native Image is a technology to compile Java code ahead-of-time to a binary – a native "
                                    + "executable. It's fast.",
                            "2 weeks ago"),
                    new SearchResult("Native build fails · quarkusio/quarkus · Discussion #41234",
                            "https://github.com/quarkusio/quarkus/discussions/41234", "", null));
        }

        @Test
        void sendsTheKeyInTheSubscriptionTokenHeaderAndTheCountAsAParameter() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER)));

            Await.results(provider(settings()).search("quarkus native image", 3));

            brave.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("q", equalTo("quarkus native image"))
                    .withQueryParam("count", equalTo("3")).withQueryParam("country", absent())
                    .withQueryParam("search_lang", absent()).withQueryParam("safesearch", absent())
                    .withHeader("X-Subscription-Token", equalTo(KEY))
                    .withHeader("Accept", equalTo("application/json")));
        }

        @Test
        void theCountIsCappedAtTheConfiguredMaximum() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER)));

            SearchResults found = Await.results(provider(settings().withMaxResults(2)).search("quarkus", 20));

            brave.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("count", equalTo("2")));
            assertThat(found.results()).hasSize(2);
        }

        @Test
        void sendsCountrySearchLangSafesearchAndExtraParams() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER)));
            var settings = settings().withFilters("de", "de", "strict")
                    .withExtraParams(Map.of("freshness", "pw"));

            Await.results(provider(settings).search("Quarkus Tutorial", 5));

            brave.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("q", equalTo("Quarkus Tutorial"))
                    .withQueryParam("country", equalTo("de")).withQueryParam("search_lang", equalTo("de"))
                    .withQueryParam("safesearch", equalTo("strict")).withQueryParam("freshness", equalTo("pw")));
        }

        @Test
        void anAnswerWithoutAWebSectionIsEmpty() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("""
                    {"type": "search", "query": {"original": "zqxjv wvpt kaiwa", "more_results_available": false},
                     "mixed": {"type": "mixed", "main": [], "top": [], "side": []}}
                    """)));

            SearchResults found = Await.results(provider(settings()).search("zqxjv wvpt kaiwa", 5));

            assertThat(found.isEmpty()).isTrue();
            assertThat(found.render()).isEqualTo("No results for \"zqxjv wvpt kaiwa\".");
        }

        @Test
        void anEmptyWebResultsListIsEmpty() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson("""
                    {"type": "search", "query": {"original": "zqxjv"},
                     "web": {"type": "search", "results": [], "family_friendly": true}}
                    """)));

            assertThat(Await.results(provider(settings()).search("zqxjv", 5)).results()).isEmpty();
        }
    }

    @Nested
    class Errors {
        @Test
        void anInvalidTokenIsAnAuthenticationFailureEvenAs422() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(422)
                    .withHeader("Content-Type", "application/json").withBody(error(422, "SUBSCRIPTION_TOKEN_INVALID",
                            "The provided subscription token is invalid.", "{\"component\": \"authentication\"}"))));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.code()).isEqualTo("SUBSCRIPTION_TOKEN_INVALID");
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains("rejected the API key", "api-key", "X-Subscription-Token",
                    "The provided subscription token is invalid.");
        }

        @ParameterizedTest
        @ValueSource(ints = {401, 403})
        void unauthorizedAndForbiddenAreAuthenticationFailures(int status) {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(status)
                    .withHeader("Content-Type", "application/json").withBody(error(status, "SUBSCRIPTION_NOT_FOUND",
                            "No subscription found.", "{\"component\": \"subscriptions\"}"))));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains("HTTP " + status, "SUBSCRIPTION_NOT_FOUND");
        }

        @Test
        void aValidationErrorIsAnInvalidRequest() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody(error(422, "VALIDATION", "Unable to validate request parameter(s)",
                            "{\"errors\": [{\"type\": \"less_than_equal\", \"loc\": [\"query\", \"count\"], "
                                    + "\"msg\": \"Input should be less than or equal to 20\", \"input\": \"50\", "
                                    + "\"ctx\": {\"le\": 20}}]}"))));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
            assertThat(e.code()).isEqualTo("VALIDATION");
            assertThat(e.getMessage()).contains("422", "Unable to validate request parameter(s)");
        }

        @Test
        void rateLimitedIsRetriableAfterTheShortestReset() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(429)
                    .withHeader("Content-Type", "application/json").withHeader("X-RateLimit-Limit", "1, 2000")
                    .withHeader("X-RateLimit-Remaining", "0, 1943").withHeader("X-RateLimit-Reset", "1, 1419704")
                    .withBody(error(429, "RATE_LIMITED", "Request rate limit exceeded for plan.",
                            "{\"plan\": \"Free\", \"rate_limit\": 1, \"rate_current\": 2, \"quota_limit\": 2000, "
                                    + "\"quota_current\": 57, \"component\": \"rate_limiter\"}"))));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.code()).isEqualTo("RATE_LIMITED");
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
            assertThat(e.getMessage()).contains("429", "Request rate limit exceeded for plan.");
        }

        @ParameterizedTest
        @ValueSource(ints = {500, 502, 503})
        void serverErrorsAreRetriable(int status) {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(status)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>Bad Gateway</body></html>")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.isRetriable()).isTrue();
        }

        @Test
        void malformedJsonIsReported() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody("{\"type\": \"search\", \"web\": {")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        }

        @Test
        void webResultsThatAreNotAnArrayAreMalformed() {
            brave.stubFor(get(urlPathEqualTo(PATH))
                    .willReturn(okJson("{\"type\": \"search\", \"web\": {\"type\": \"search\", \"results\": 3}}")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains("web.results");
        }

        @Test
        void aSlowAnswerTimesOut() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(okJson(ANSWER).withFixedDelay(3_000)));

            SearchException e = Await.failure(provider(settings().withTimeout(Duration.ofMillis(300))).search("q", 5));

            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        }

        @Test
        void aRefusedConnectionIsUnreachable() {
            var settings = settings().withBaseUrl(URI.create("http://127.0.0.1:" + Await.closedPort() + "/res/v1"));

            SearchException e = Await.failure(provider(settings).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        }

        @Test
        void theKeyAppearsInNoMessageAndNoSettingsText() {
            brave.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(401)
                    .withBody(error(401, "SUBSCRIPTION_TOKEN_INVALID", "The provided subscription token is invalid.",
                            "{\"component\": \"authentication\"}"))));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.getMessage()).doesNotContain(KEY);
            assertThat(settings().toString()).doesNotContain(KEY).contains("apiKey=(hidden)");
        }
    }
}
