package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.tools.search.SearchHttp.Answer;
import io.vertx.core.Vertx;

/**
 * Makes a {@link SearchProvider} from configuration strings: the entry point for the config layer.
 *
 * <pre>{@code
 * SearchProvider searxng = SearchProviders.create("searxng", Map.of("base-url", "http://searxng:8080"), vertx);
 * SearchProvider brave = SearchProviders.create("brave", Map.of("api-key", key, "max-results", "5"), vertx);
 * }</pre>
 *
 * Keys per kind are listed on {@link SearxngSettings#fromMap} and {@link BraveSettings#fromMap}; unknown keys are
 * rejected so a typo does not silently fall back to a default.
 */
public final class SearchProviders {
    /** The kinds {@link #create} knows. */
    public static final Set<String> KINDS = Set.of(SearxngSearchProvider.NAME, BraveSearchProvider.NAME);

    private SearchProviders() {
    }

    /**
     * @param kind {@code searxng} or {@code brave} (case-insensitive)
     * @param settings that kind's settings by key; {@code null} means none
     * @param vertx the Vert.x instance the provider's requests run on; not closed by the provider
     * @return a new provider; close it when done
     * @throws IllegalArgumentException when the kind is unknown, a required setting is missing, a value is invalid
     *         or a key unknown; messages never contain an API key
     */
    public static SearchProvider create(String kind, Map<String, String> settings, Vertx vertx) {
        requireNonNull(kind, "kind");
        requireNonNull(vertx, "vertx");
        String k = kind.trim().toLowerCase(Locale.ROOT);
        if (k.equals(SearxngSearchProvider.NAME)) {
            return SearxngSearchProvider.create(vertx, SearxngSettings.fromMap(settings));
        }
        if (k.equals(BraveSearchProvider.NAME)) {
            return BraveSearchProvider.create(vertx, BraveSettings.fromMap(settings));
        }
        throw new IllegalArgumentException("unknown web search provider '" + kind + "'; known: searxng, brave");
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
