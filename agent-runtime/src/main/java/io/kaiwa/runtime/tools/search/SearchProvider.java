package io.kaiwa.runtime.tools.search;

import io.smallrye.mutiny.Uni;

/**
 * A web search service the {@code web_search} tool can ask: SearXNG, Brave Search, or one a test supplies.
 *
 * <p>
 * Implementations are thread-safe and never block the calling thread: a search is an HTTP request on Vert.x, and
 * its {@code Uni} completes on a Vert.x event-loop thread, so subscribers must not block either. Nothing is sent
 * before subscription; cancelling the subscription abandons the request and frees its connection.
 *
 * <p>
 * Failures travel as {@link SearchException} failure events saying which provider, what happened and what to
 * change. A query that matches nothing is a success with an empty result list.
 */
public interface SearchProvider extends AutoCloseable {
    /** @return a short, stable name for logs, metrics and error messages, e.g. {@code searxng} */
    String name();

    /**
     * Searches the web.
     *
     * @param query what to search for, in the provider's query syntax; never {@code null} or blank
     * @param maxResults the most results wanted, at least 1; the provider's configured maximum caps it
     * @return the results, best first, on subscription; fails with {@link SearchException}
     * @throws IllegalArgumentException at once, before subscription, when the query is blank or
     *         {@code maxResults} is below 1
     * @throws NullPointerException at once when the query is {@code null}
     */
    Uni<SearchResults> search(String query, int maxResults);

    /** Releases the provider's connections; searches in flight may fail. Closing twice does nothing. */
    @Override
    void close();
}
