package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

/**
 * One web page a search found, as plain text whatever the provider's format.
 *
 * @param title the page's title as plain text, {@code ""} when the provider gave none; never {@code null}
 * @param url the page's absolute URL; never {@code null} or blank
 * @param snippet the provider's excerpt as plain text (markup removed), {@code ""} when none; never {@code null}
 * @param published when the page was published or last changed, in the provider's own format (an ISO date, or
 *        "2 days ago"), or {@code null} when unknown
 */
public record SearchResult(String title, String url, String snippet, String published) {
    public SearchResult {
        requireNonNull(url, "url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("url must not be blank");
        }
        title = title == null ? "" : title;
        snippet = snippet == null ? "" : snippet;
        if (published != null && published.isBlank()) {
            published = null;
        }
    }

    /**
     * @param title the title, or {@code null}
     * @param url the absolute URL; never {@code null} or blank
     * @param snippet the excerpt, or {@code null}
     * @return a result with no publication date
     */
    public static SearchResult of(String title, String url, String snippet) {
        return new SearchResult(title, url, snippet, null);
    }
}
