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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.LinkedHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.runtime.tools.search.SearchException.Kind;
import io.vertx.core.Vertx;

class SearxngSearchProviderTest {
    @RegisterExtension
    static final WireMockExtension searxng = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private static Vertx vertx;
    private SearxngSearchProvider provider;

    /** A SearXNG 2026 answer as the JSON format writes it: extra result fields, infoboxes, unresponsive engines. */
    static final String ANSWER = """
            {
              "query": "quarkus native image",
              "number_of_results": 0,
              "results": [
                {
                  "url": "https://quarkus.io/guides/building-native-image",
                  "title": "Building a Native Executable - Quarkus",
                  "content": "This guide covers: Compiling the application to a native executable; Packaging the native executable in a container.",
                  "publishedDate": null,
                  "thumbnail": "",
                  "engine": "duckduckgo",
                  "template": "default.html",
                  "parsed_url": ["https", "quarkus.io", "/guides/building-native-image", "", "", ""],
                  "img_src": "",
                  "priority": "",
                  "engines": ["duckduckgo", "brave", "startpage"],
                  "positions": [1, 1, 2],
                  "score": 7.5,
                  "category": "general"
                },
                {
                  "url": "https://www.graalvm.org/latest/reference-manual/native-image/",
                  "title": "Native Image",
                  "content": "Native Image is a technology to compile Java code ahead-of-time\\nto a binary – a native executable.",
                  "publishedDate": "2026-01-20T00:00:00",
                  "engine": "brave",
                  "template": "default.html",
                  "parsed_url": ["https", "www.graalvm.org", "/latest/reference-manual/native-image/", "", "", ""],
                  "engines": ["brave"],
                  "positions": [2],
                  "score": 0.5,
                  "category": "general"
                },
                {
                  "url": "https://github.com/quarkusio/quarkus/discussions/41234",
                  "title": "Native build fails with \\"Classes that should be initialized at run time\\" · Discussion #41234",
                  "content": "",
                  "engine": "startpage",
                  "template": "default.html",
                  "engines": ["startpage"],
                  "positions": [3],
                  "score": 0.33,
                  "category": "general"
                }
              ],
              "answers": [],
              "corrections": [],
              "infoboxes": [
                {
                  "infobox": "GraalVM",
                  "id": "https://en.wikipedia.org/wiki/GraalVM",
                  "content": "GraalVM is a Java Development Kit written in Java.",
                  "urls": [{"title": "Official website", "url": "https://www.graalvm.org/"}],
                  "engine": "wikipedia",
                  "engines": ["wikipedia"]
                }
              ],
              "suggestions": ["quarkus native image docker", "quarkus native build"],
              "unresponsive_engines": [["google", "timeout"], ["qwant", "CAPTCHA"]]
            }
            """;

    static final String EMPTY = """
            {"query": "zqxjv wvpt kaiwa", "number_of_results": 0, "results": [], "answers": [], "corrections": [],
             "infoboxes": [], "suggestions": [], "unresponsive_engines": []}
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

    private SearxngSearchProvider provider(SearxngSettings settings) {
        provider = SearxngSearchProvider.create(vertx, settings);
        return provider;
    }

    private SearxngSettings settings() {
        return SearxngSettings.of(searxng.baseUrl()).withTimeout(Duration.ofSeconds(5));
    }

    @Nested
    class Results {
        @Test
        void parsesResultsInRankOrderKeepingTitleUrlSnippetAndDate() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(ANSWER)));

            SearchResults found = Await.results(provider(settings()).search("quarkus native image", 10));

            assertThat(found.provider()).isEqualTo("searxng");
            assertThat(found.query()).isEqualTo("quarkus native image");
            assertThat(found.results()).containsExactly(
                    new SearchResult("Building a Native Executable - Quarkus",
                            "https://quarkus.io/guides/building-native-image",
                            "This guide covers: Compiling the application to a native executable; Packaging the "
                                    + "native executable in a container.",
                            null),
                    new SearchResult("Native Image", "https://www.graalvm.org/latest/reference-manual/native-image/",
                            "Native Image is a technology to compile Java code ahead-of-time to a binary – a native "
                                    + "executable.",
                            "2026-01-20T00:00:00"),
                    new SearchResult(
                            "Native build fails with \"Classes that should be initialized at run time\" · Discussion "
                                    + "#41234",
                            "https://github.com/quarkusio/quarkus/discussions/41234", "", null));
            assertThat(found.notes())
                    .containsExactly("these engines did not answer: google (timeout), qwant (CAPTCHA)");
        }

        @Test
        void sendsTheQueryWithFormatJsonAndOnlyTheConfiguredFilters() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(EMPTY)));

            Await.results(provider(settings()).search("  quarkus native image & más  ", 5));

            searxng.verify(getRequestedFor(urlPathEqualTo("/search"))
                    .withQueryParam("q", equalTo("quarkus native image & más"))
                    .withQueryParam("format", equalTo("json")).withQueryParam("categories", absent())
                    .withQueryParam("language", absent()).withQueryParam("safesearch", absent())
                    .withHeader("Accept", equalTo("application/json")));
        }

        @Test
        void sendsCategoriesLanguageSafesearchAndExtraParams() {
            searxng.stubFor(get(urlPathEqualTo("/searxng/search")).willReturn(okJson(EMPTY)));
            var extra = new LinkedHashMap<String, String>();
            extra.put("engines", "duckduckgo,brave");
            extra.put("time_range", "month");
            var settings = SearxngSettings.of(searxng.baseUrl() + "/searxng/").withFilters("general,it", "de-CH", 2)
                    .withExtraParams(extra);

            Await.results(provider(settings).search("vert.x", 5));

            searxng.verify(getRequestedFor(urlPathEqualTo("/searxng/search")).withQueryParam("q", equalTo("vert.x"))
                    .withQueryParam("format", equalTo("json")).withQueryParam("categories", equalTo("general,it"))
                    .withQueryParam("language", equalTo("de-CH")).withQueryParam("safesearch", equalTo("2"))
                    .withQueryParam("engines", equalTo("duckduckgo,brave"))
                    .withQueryParam("time_range", equalTo("month")));
        }

        @Test
        void nothingIsSentBeforeSubscription() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(EMPTY)));

            var search = provider(settings()).search("quarkus", 5);

            assertThat(searxng.getAllServeEvents()).isEmpty();
            Await.results(search);
            assertThat(searxng.getAllServeEvents()).hasSize(1);
        }

        @Test
        void keepsAtMostTheRequestedNumberOfResults() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(ANSWER)));

            SearchResults found = Await.results(provider(settings()).search("quarkus native image", 2));

            assertThat(found.results()).extracting(SearchResult::url).containsExactly(
                    "https://quarkus.io/guides/building-native-image",
                    "https://www.graalvm.org/latest/reference-manual/native-image/");
        }

        @Test
        void capsTheRequestedNumberAtTheConfiguredMaximum() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(ANSWER)));

            SearchResults found = Await.results(provider(settings().withMaxResults(1)).search("quarkus", 10));

            assertThat(found.results()).hasSize(1);
        }

        @Test
        void skipsResultsWithoutAWebUrl() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson("""
                    {"query": "ubuntu iso", "number_of_results": 0, "results": [
                      {"title": "No URL at all", "content": "x", "engine": "bt4g"},
                      {"url": "magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056", "title": "ubuntu.iso",
                       "content": "", "engine": "bt4g", "template": "torrent.html"},
                      {"url": "https://ubuntu.com/download", "title": "Download Ubuntu", "content": "Get Ubuntu.",
                       "engine": "duckduckgo"}
                    ], "answers": [], "corrections": [], "infoboxes": [], "suggestions": [],
                    "unresponsive_engines": []}
                    """)));

            SearchResults found = Await.results(provider(settings()).search("ubuntu iso", 10));

            assertThat(found.results()).extracting(SearchResult::url).containsExactly("https://ubuntu.com/download");
        }

        @Test
        void anEmptyResultListIsASuccess() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(EMPTY)));

            SearchResults found = Await.results(provider(settings()).search("zqxjv wvpt kaiwa", 10));

            assertThat(found.isEmpty()).isTrue();
            assertThat(found.notes()).isEmpty();
            assertThat(found.render()).isEqualTo("No results for \"zqxjv wvpt kaiwa\".");
            assertThat(found.action().query()).isEqualTo("zqxjv wvpt kaiwa");
            assertThat(found.action().sources()).isEmpty();
        }

        @Test
        void resultsBecomeTheSearchActionsSources() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(ANSWER)));

            SearchResults found = Await.results(provider(settings()).search("quarkus native image", 10));

            assertThat(found.action().query()).isEqualTo("quarkus native image");
            assertThat(found.action().sources())
                    .extracting(WebSearchCallItem.Source::type, WebSearchCallItem.Source::url)
                    .containsExactly(tuple("url", "https://quarkus.io/guides/building-native-image"),
                            tuple("url",
                                    "https://www.graalvm.org/latest/reference-manual/native-image/"),
                            tuple("url",
                                    "https://github.com/quarkusio/quarkus/discussions/41234"));
        }
    }

    @Nested
    class Errors {
        @Test
        void forbiddenMeansTheJsonFormatIsNotEnabled() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(403)
                    .withHeader("Content-Type", "text/html; charset=utf-8").withBody(
                            """
                                    <!doctype html>
                                    <html lang=en>
                                    <title>403 Forbidden</title>
                                    <h1>Forbidden</h1>
                                    <p>You don&#39;t have the permission to access the requested resource. It is either read-protected or not readable by the server.</p>
                                    """)));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.JSON_FORMAT_DISABLED);
            assertThat(e.provider()).isEqualTo("searxng");
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains("403", "search.formats", "settings.yml", "json");
        }

        @Test
        void tooManyRequestsIsTheLimiterAndRetriable() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(429)
                    .withHeader("Retry-After", "30").withBody("Too Many Requests")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
            assertThat(e.getMessage()).contains("429", "server.limiter");
        }

        @ParameterizedTest
        @ValueSource(ints = {500, 502, 503, 504})
        void serverErrorsAreRetriable(int status) {
            searxng.stubFor(get(urlPathEqualTo("/search"))
                    .willReturn(aResponse().withStatus(status).withBody("Internal Server Error")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR);
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.getMessage()).contains("HTTP " + status, searxng.baseUrl() + "/search");
        }

        @Test
        void notFoundSaysBaseUrlIsWrong() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(404)));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
            assertThat(e.getMessage()).contains("404", "base-url");
        }

        @Test
        void redirectsAreNotFollowed() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(
                    aResponse().withStatus(301).withHeader("Location", "https://search.example.org/search")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
            assertThat(e.getMessage()).contains("301", "https://search.example.org/search");
        }

        @Test
        void malformedJsonIsReported() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"query\": \"quarkus\", \"results\": [")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage()).contains("not JSON");
        }

        @Test
        void anHtmlPageInsteadOfJsonIsMalformed() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "text/html")
                    .withBody("<!DOCTYPE html><html><body>SearXNG</body></html>")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains("base-url");
        }

        @Test
        void jsonWithoutAResultsArrayIsMalformed() {
            searxng.stubFor(
                    get(urlPathEqualTo("/search")).willReturn(okJson("{\"query\": \"quarkus\", \"results\": {}}")));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
            assertThat(e.getMessage()).contains("no results array");
        }

        @Test
        void aSlowAnswerTimesOut() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(EMPTY).withFixedDelay(3_000)));
            var settings = settings().withTimeout(Duration.ofMillis(300));

            long start = System.nanoTime();
            SearchException e = Await.failure(provider(settings).search("quarkus", 5));

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.getMessage()).contains("300 ms");
        }

        @Test
        void aBodyThatDribblesIsCutOffByTheSameDeadline() {
            searxng.stubFor(get(urlPathEqualTo("/search"))
                    .willReturn(okJson(ANSWER).withChunkedDribbleDelay(20, 3_000)));

            SearchException e = Await.failure(provider(settings().withTimeout(Duration.ofMillis(400))).search("q", 5));

            assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        }

        @Test
        void aRefusedConnectionIsUnreachable() {
            var settings = SearxngSettings.of("http://127.0.0.1:" + Await.closedPort())
                    .withTimeout(Duration.ofSeconds(5));

            SearchException e = Await.failure(provider(settings).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.getMessage()).contains("cannot connect", "base-url");
        }

        @Test
        void aConnectionResetMidAnswerIsUnreachable() {
            searxng.stubFor(
                    get(urlPathEqualTo("/search")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

            SearchException e = Await.failure(provider(settings()).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        }

        @Test
        void anAnswerAboveTheDeclaredSizeCapIsNotRead() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(ANSWER)));

            SearchException e = Await.failure(provider(settings().withMaxResponseBytes(1024)).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
            assertThat(e.getMessage()).contains("1024-byte cap");
        }

        @Test
        void aChunkedAnswerIsCutOffAtTheSizeCap() {
            searxng.stubFor(get(urlPathEqualTo("/search")).willReturn(okJson(ANSWER).withChunkedDribbleDelay(8, 200)));

            SearchException e = Await.failure(provider(settings().withMaxResponseBytes(1024)).search("quarkus", 5));

            assertThat(e.kind()).isEqualTo(Kind.RESPONSE_TOO_LARGE);
        }

        @Test
        void argumentsAreCheckedBeforeSubscription() {
            var p = provider(settings());

            assertThatThrownBy(() -> p.search(" ", 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> p.search("quarkus", 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> p.search(null, 5)).isInstanceOf(NullPointerException.class);
            assertThat(searxng.getAllServeEvents()).isEmpty();
        }
    }
}
