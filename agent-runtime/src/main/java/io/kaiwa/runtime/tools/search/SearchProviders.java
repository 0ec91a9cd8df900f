package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.tools.search.SearchHttp.Answer;
import io.vertx.core.Vertx;

/**
 * Makes the {@link SearchProvider} that {@code kaiwa.tools.web-search.*} configures, from Quarkus's typed settings.
 */
public final class SearchProviders {
    /** The kinds {@link #create} knows. */
    public static final Set<String> KINDS = Set.of(SearxngSearchProvider.NAME, BraveSearchProvider.NAME);

    private SearchProviders() {
    }

    /**
     * @param settings {@code kaiwa.tools.web-search.*}, with a provider
     * @param vertx the Vert.x instance the provider's requests run on; not closed by the provider
     * @return a new provider; close it when done
     * @throws IllegalArgumentException when the kind is unknown, a required setting is missing or a value is
     *         invalid; messages name the setting and never contain an API key
     */
    public static SearchProvider create(KaiwaConfig.WebSearch settings, Vertx vertx) {
        requireNonNull(vertx, "vertx");
        String kind = settings.provider().map(k -> k.trim().toLowerCase(Locale.ROOT)).orElse("");
        if (kind.equals(SearxngSearchProvider.NAME)) {
            URI base = settings.baseUrl().map(SearchProviders::uri).orElseThrow(() -> new IllegalArgumentException(
                    "searxng needs kaiwa.tools.web-search.base-url: the root URL of a SearXNG instance, e.g. "
                            + "http://localhost:8080"));
            return SearxngSearchProvider.create(vertx, new SearxngSettings(base, settings.timeout(),
                    settings.maxResults(), settings.maxResponseBytes(), settings.categories().orElse(null),
                    settings.language().orElse(null), settings.safesearch().map(SearchProviders::level).orElse(null),
                    settings.params()));
        }
        if (kind.equals(BraveSearchProvider.NAME)) {
            String key = settings.apiKey().filter(k -> !k.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                    "brave needs kaiwa.tools.web-search.api-key: a Brave Search API subscription token "
                            + "(https://api-dashboard.search.brave.com, API Keys)"));
            return BraveSearchProvider.create(vertx, new BraveSettings(settings.baseUrl().map(SearchProviders::uri)
                    .orElse(BraveSettings.DEFAULT_BASE_URL), key, settings.timeout(), settings.maxResults(),
                    settings.maxResponseBytes(), settings.country().orElse(null), settings.searchLang().orElse(null),
                    settings.safesearch().orElse(null), settings.params()));
        }
        throw new IllegalArgumentException("unknown web search provider '" + settings.provider().orElse("")
                + "' (kaiwa.tools.web-search.provider); known: searxng, brave");
    }

    private static URI uri(String text) {
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("kaiwa.tools.web-search.base-url is not a URL: " + e.getReason());
        }
    }

    private static Integer level(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("searxng safesearch (kaiwa.tools.web-search.safesearch) must be 0, 1 "
                    + "or 2: " + text);
        }
    }

    /** The eager argument checks every provider's {@code search} makes; returns the trimmed query. */
    static String checkQuery(String query, int maxResults) {
        requireNonNull(query, "query");
        if (query.isBlank()) {
            throw new IllegalArgumentException("query must not be blank");
        }
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1: " + maxResults);
        }
        return query.trim();
    }

    /** @return the node's text when it is an absolute http(s) URL, else {@code null} (such results are skipped) */
    static String webUrl(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        String url = node.asText().trim();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? url : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * @return the wait a 429 asked for: {@code Retry-After} in seconds, else the first (shortest-window) value of
     *         Brave's {@code X-RateLimit-Reset}; {@code null} when neither is a number
     */
    static Duration retryAfter(Answer answer) {
        String value = answer.header("Retry-After");
        if (value == null) {
            value = answer.header("X-RateLimit-Reset");
        }
        if (value == null) {
            return null;
        }
        String first = value.split(",", 2)[0].trim();
        try {
            long seconds = Long.parseLong(first);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            // An HTTP date is allowed too; too rare from these services to parse.
            return null;
        }
    }
}
