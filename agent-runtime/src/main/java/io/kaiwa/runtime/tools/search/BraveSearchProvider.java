package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.tools.search.SearchException.Kind;
import io.kaiwa.runtime.tools.search.SearchHttp.Answer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Searches through the Brave Search API: {@code GET {baseUrl}/web/search?q=...&count=...} with the subscription
 * token in the {@code X-Subscription-Token} header.
 *
 * <p>
 * Each of {@code web.results}' {@code url}, {@code title}, {@code description} (the snippet) and {@code page_age}
 * (else {@code age}) is kept, the markup Brave puts in titles and snippets ({@code <strong>}, entities) turned to
 * plain text. An answer without a {@code web} section is an empty result. Errors are read from Brave's
 * {@code {"type":"ErrorResponse","error":{"code","detail",...}}} body. Thread-safe; see {@link SearchProvider}
 * for threading and failures.
 */
public final class BraveSearchProvider implements SearchProvider {
    /** The provider's name, and its kind in {@link SearchProviders#create}. */
    public static final String NAME = "brave";

    private final BraveSettings settings;
    private final SearchHttp http;
    private final Map<String, String> headers;

    private BraveSearchProvider(Vertx vertx, BraveSettings settings) {
        this.settings = settings;
        this.http = new SearchHttp(vertx, NAME);
        this.headers = Map.of("Accept", "application/json", "X-Subscription-Token", settings.apiKey());
    }

    /**
     * @param vertx the Vert.x instance whose event loops carry the requests (inside Quarkus, Quarkus's own); the
     *        provider does not close it
     * @param settings the key and what to ask
     * @return a provider with its own connection pool; close it when done
     */
    public static BraveSearchProvider create(Vertx vertx, BraveSettings settings) {
        requireNonNull(vertx, "vertx");
        requireNonNull(settings, "settings");
        return new BraveSearchProvider(vertx, settings);
    }

    /** @return the settings it was created with */
    public BraveSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<SearchResults> search(String query, int maxResults) {
        String q = SearchProviders.checkQuery(query, maxResults);
        int limit = Math.min(maxResults, settings.maxResults());
        var params = new LinkedHashMap<String, String>();
        params.put("q", q);
        params.put("count", Integer.toString(limit));
        if (settings.country() != null) {
            params.put("country", settings.country());
        }
        if (settings.searchLang() != null) {
            params.put("search_lang", settings.searchLang());
        }
        if (settings.safesearch() != null) {
            params.put("safesearch", settings.safesearch());
        }
        params.putAll(settings.extraParams());
        var uri = SearchHttp.uri(settings.baseUrl(), "/web/search", params);
        String where = SearchHttp.location(uri);
        return http.get(uri, headers, settings.timeout(), settings.maxResponseBytes()).map(answer -> {
            if (answer.status() != 200) {
                throw failure(answer, where);
            }
            return parse(answer, q, limit, where);
        });
    }

    /** The one place a Brave HTTP status (and error body) becomes an exception. */
    static SearchException failure(Answer answer, String where) {
        int status = answer.status();
        JsonNode error = errorObject(answer);
        String code = error.path("code").isTextual() ? error.path("code").asText() : null;
        String detail = error.path("detail").isTextual() ? Text.clip(error.path("detail").asText(), 200) : null;
        String said = code == null && detail == null
                ? (answer.body().length == 0 ? "" : ": " + answer.bodyStart(200))
                : " (" + (code == null ? "" : code + (detail == null ? "" : ": ")) + (detail == null ? "" : detail)
                        + ")";
        // Brave answers 422, not 401, for a token it does not know; the error's component says which it is.
        boolean keyProblem = status == 401 || status == 403 || "SUBSCRIPTION_TOKEN_INVALID".equals(code)
                || "authentication".equals(error.path("meta").path("component").asText(""));
        if (keyProblem) {
            return new SearchException(NAME, Kind.AUTHENTICATION, "Brave Search rejected the API key with HTTP "
                    + status + said + "; check the api-key setting (sent as X-Subscription-Token) and that its "
                    + "subscription, even a free one, is active and includes web search", status, code, null, null);
        }
        if (status == 429) {
            return new SearchException(NAME, Kind.RATE_LIMITED, "Brave Search rate limit or monthly quota reached "
                    + "(HTTP 429" + said + "); search less often or raise the plan's limits", status, code,
                    SearchProviders.retryAfter(answer), null);
        }
        if (status >= 500) {
            return new SearchException(NAME, Kind.SERVER_ERROR, "Brave Search failed with HTTP " + status + said
                    + " at " + where + "; try again later", status, code, null, null);
        }
        return new SearchException(NAME, Kind.INVALID_REQUEST, "Brave Search rejected the request with HTTP " + status
                + said + " at " + where + "; check base-url, the country, search-lang, safesearch and param.* "
                + "settings, and that the query is under 400 characters and 50 words", status, code, null, null);
    }

    private static JsonNode errorObject(Answer answer) {
        try {
            JsonNode root = KaiwaJson.parse(answer.body());
            // The documented shape is "error": {...}; older examples show "errors": [{...}].
            JsonNode error = root.path("error");
            return error.isObject() ? error : root.path("errors").path(0);
        } catch (InvalidPayloadException e) {
            return MissingNode.getInstance();
        }
    }

    private static SearchResults parse(Answer answer, String query, int limit, String where) {
        JsonNode root;
        try {
            root = KaiwaJson.parse(answer.body());
        } catch (InvalidPayloadException e) {
            throw malformed(where, "not JSON (" + answer.bodyStart(80) + ")", e);
        }
        if (!root.isObject()) {
            throw malformed(where, "not a JSON object", null);
        }
        JsonNode web = root.path("web");
        if (web.isMissingNode() || web.isNull()) {
            // Brave leaves the section out when the web index has nothing for the query.
            return SearchResults.of(NAME, query, List.of());
        }
        JsonNode results = web.path("results");
        if (!web.isObject() || !results.isArray() && !results.isMissingNode()) {
            throw malformed(where, "web.results is not an array", null);
        }
        var found = new ArrayList<SearchResult>();
        for (JsonNode r : results) {
            if (found.size() == limit) {
                break;
            }
            String url = SearchProviders.webUrl(r.path("url"));
            if (url != null) {
                String published = r.path("page_age").isTextual()
                        ? r.path("page_age").asText()
                        : r.path("age").isTextual() ? r.path("age").asText() : null;
                found.add(new SearchResult(Text.fromHtml(r.path("title").asText("")), url,
                        Text.fromHtml(r.path("description").asText("")), published));
            }
        }
        return SearchResults.of(NAME, query, found);
    }

    private static SearchException malformed(String where, String what, Throwable cause) {
        return new SearchException(NAME, Kind.MALFORMED_RESPONSE, "Brave Search at " + where + " answered 200 but "
                + "the body is not its web search JSON: " + what + "; check base-url", 200, null, null, cause);
    }

    @Override
    public void close() {
        http.close();
    }
}
