package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.tools.search.SearchException.Kind;
import io.kaiwa.runtime.tools.search.SearchHttp.Answer;
import io.kaiwa.runtime.tools.text.Whitespace;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Searches through a self-hosted SearXNG instance's JSON API: {@code GET {baseUrl}/search?q=...&format=json}, plus
 * the configured {@code categories}, {@code language}, {@code safesearch} and extra parameters.
 *
 * <p>
 * Each result's {@code url}, {@code title}, {@code content} (the snippet) and {@code publishedDate} are kept;
 * results without an http(s) URL are skipped. Engines listed in {@code unresponsive_engines} become a
 * {@linkplain SearchResults#notes() note}, so the model can tell "nothing found" from "the engines failed".
 * Thread-safe; see {@link SearchProvider} for threading and failures.
 */
public final class SearxngSearchProvider implements SearchProvider {
    /** The provider's name, and its kind in {@link SearchProviders#create}. */
    public static final String NAME = "searxng";

    private final SearxngSettings settings;
    private final SearchHttp http;

    private SearxngSearchProvider(Vertx vertx, SearxngSettings settings) {
        this.settings = settings;
        this.http = new SearchHttp(vertx, NAME);
    }

    /**
     * @param vertx the Vert.x instance whose event loops carry the requests (inside Quarkus, Quarkus's own); the
     *        provider does not close it
     * @param settings where the instance is and what to ask it
     * @return a provider with its own connection pool; close it when done
     */
    public static SearxngSearchProvider create(Vertx vertx, SearxngSettings settings) {
        requireNonNull(vertx, "vertx");
        requireNonNull(settings, "settings");
        return new SearxngSearchProvider(vertx, settings);
    }

    /** @return the settings it was created with */
    public SearxngSettings settings() {
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
        params.put("format", "json");
        if (settings.categories() != null) {
            params.put("categories", settings.categories());
        }
        if (settings.language() != null) {
            params.put("language", settings.language());
        }
        if (settings.safesearch() != null) {
            params.put("safesearch", settings.safesearch().toString());
        }
        params.putAll(settings.extraParams());
        var uri = SearchHttp.uri(settings.baseUrl(), "/search", params);
        String where = SearchHttp.location(uri);
        return http.get(uri, Map.of("Accept", "application/json"), settings.timeout(), settings.maxResponseBytes())
                .map(answer -> {
                    if (answer.status() != 200) {
                        throw failure(answer, where);
                    }
                    return parse(answer, q, limit, where);
                });
    }

    /** The one place a SearXNG HTTP status becomes an exception. */
    static SearchException failure(Answer answer, String where) {
        int status = answer.status();
        String said = answer.body().length == 0 ? "" : ": " + answer.bodyStart(200);
        if (status == 403) {
            return new SearchException(NAME, Kind.JSON_FORMAT_DISABLED, "SearXNG at " + where
                    + " answered 403 Forbidden to format=json: its JSON output is not enabled. Add json to "
                    + "search.formats in the instance's settings.yml (formats: [html, json]) and restart it; if it "
                    + "already is, a proxy in front of it refused the request", status, null, null, null);
        }
        if (status == 429) {
            return new SearchException(NAME, Kind.RATE_LIMITED, "SearXNG at " + where + " answered 429 Too Many "
                    + "Requests: its limiter (bot detection) refused the request; for a private instance set "
                    + "server.limiter: false in settings.yml, or search less often", status, null,
                    SearchProviders.retryAfter(answer), null);
        }
        if (status >= 500) {
            return new SearchException(NAME, Kind.SERVER_ERROR, "SearXNG at " + where + " failed with HTTP " + status
                    + said + "; check the instance's logs", status, null, null, null);
        }
        if (status >= 300 && status < 400) {
            return new SearchException(NAME, Kind.INVALID_REQUEST, "SearXNG at " + where + " redirected (HTTP "
                    + status + ") to " + answer.header("Location") + "; set base-url to the address it redirects to",
                    status, null, null, null);
        }
        if (status == 404) {
            return new SearchException(NAME, Kind.INVALID_REQUEST, "SearXNG at " + where + " answered 404 Not Found; "
                    + "base-url must be the instance's root, where /search is served", status, null, null, null);
        }
        if (status == 401) {
            return new SearchException(NAME, Kind.AUTHENTICATION, "SearXNG at " + where + " answered 401 "
                    + "Unauthorized: something in front of the instance wants credentials Kaiwa does not send", status,
                    null, null, null);
        }
        return new SearchException(NAME, Kind.INVALID_REQUEST, "SearXNG at " + where + " rejected the search with HTTP "
                + status + said + "; check the categories, language, safesearch and param.* settings", status,
                null, null, null);
    }

    private static SearchResults parse(Answer answer, String query, int limit, String where) {
        JsonNode root;
        try {
            root = KaiwaJson.parse(answer.body());
        } catch (InvalidPayloadException e) {
            throw malformed(where, "not JSON (" + answer.bodyStart(80) + ")", e);
        }
        JsonNode results = root.path("results");
        if (!root.isObject() || !results.isArray()) {
            throw malformed(where, "no results array", null);
        }
        var found = new ArrayList<SearchResult>();
        for (JsonNode r : results) {
            if (found.size() == limit) {
                break;
            }
            String url = SearchProviders.webUrl(r.path("url"));
            if (url != null) {
                found.add(new SearchResult(Whitespace.collapse(text(r, "title")), url,
                        Whitespace.collapse(text(r, "content")),
                        text(r, "publishedDate")));
            }
        }
        return new SearchResults(NAME, query, found, notes(root.path("unresponsive_engines")));
    }

    private static List<String> notes(JsonNode unresponsive) {
        if (!unresponsive.isArray() || unresponsive.isEmpty()) {
            return List.of();
        }
        // Each entry is [engine, reason], e.g. ["google", "timeout"].
        var engines = new ArrayList<String>();
        for (JsonNode e : unresponsive) {
            if (e.isArray() && !e.isEmpty()) {
                String reason = e.size() > 1 ? e.get(1).asText("") : "";
                engines.add(e.get(0).asText("?") + (reason.isEmpty() ? "" : " (" + reason + ")"));
            } else if (e.isTextual()) {
                engines.add(e.asText());
            }
        }
        return engines.isEmpty() ? List.of() : List.of("these engines did not answer: " + String.join(", ", engines));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static SearchException malformed(String where, String what, Throwable cause) {
        return new SearchException(NAME, Kind.MALFORMED_RESPONSE, "SearXNG at " + where + " answered 200 but the body "
                + "is not SearXNG's JSON: " + what + "; check that base-url points at a SearXNG instance", 200, null,
                null, cause);
    }

    @Override
    public void close() {
        http.close();
    }
}
