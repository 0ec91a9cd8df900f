package io.kaiwa.runtime.tools.search;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How to reach a self-hosted SearXNG instance's JSON API ({@code GET {baseUrl}/search?q=...&format=json}).
 *
 * <p>
 * The instance must list {@code json} under {@code search.formats} in its {@code settings.yml}; otherwise it
 * answers 403 (reported as {@link SearchException.Kind#JSON_FORMAT_DISABLED}). SearXNG has no result-count
 * parameter: it returns a page of results and Kaiwa keeps the first {@code maxResults}.
 *
 * @param baseUrl the instance's root, e.g. {@code http://searxng:8080}, or a sub-path it is served under; a
 *        trailing slash is dropped; never {@code null}
 * @param timeout the longest wait for the whole answer, connection included; positive
 * @param maxResults the most results a search returns, 1 to 100; a smaller per-search limit wins
 * @param maxResponseBytes the largest answer read, in bytes (at least 1024); larger answers fail with
 *        {@link SearchException.Kind#RESPONSE_TOO_LARGE}
 * @param categories comma-separated SearXNG categories (e.g. {@code general,news}), or {@code null} for the
 *        instance's default
 * @param language a language code (e.g. {@code en}, {@code de-CH}, {@code all}), or {@code null} for the instance's
 *        default
 * @param safesearch {@code 0} (off), {@code 1} (moderate) or {@code 2} (strict), or {@code null} for the instance's
 *        default
 * @param extraParams further query parameters sent as they are (e.g. {@code engines}, {@code time_range}); never
 *        {@code q} or {@code format}; {@code null} means none
 */
public record SearxngSettings(URI baseUrl, Duration timeout, int maxResults, int maxResponseBytes, String categories,
        String language, Integer safesearch, Map<String, String> extraParams) {
    /** Ten seconds: SearXNG waits for its slowest engine (its own default engine timeout is a few seconds). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Ten results. */
    public static final int DEFAULT_MAX_RESULTS = 10;
    /** Two MiB: a full page of results is rarely above 100 KiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

    private static final String KIND = "searxng";
    private static final Set<String> RESERVED = Set.of("q", "format", "categories", "language", "safesearch");

    public SearxngSettings {
        baseUrl = SettingsChecks.baseUrl(baseUrl, KIND);
        timeout = SettingsChecks.timeout(timeout, KIND);
        SettingsChecks.range(maxResults, 1, 100, "maxResults", KIND);
        SettingsChecks.range(maxResponseBytes, 1024, Integer.MAX_VALUE, "maxResponseBytes", KIND);
        categories = SettingsChecks.blankToNull(categories);
        language = SettingsChecks.blankToNull(language);
        if (safesearch != null) {
            SettingsChecks.range(safesearch, 0, 2, "safesearch", KIND);
        }
        extraParams = SettingsChecks.extraParams(extraParams, RESERVED, KIND);
    }

    /**
     * @param baseUrl the instance's root URL; never {@code null}
     * @return settings with every default: 10 s timeout, 10 results, 2 MiB cap, the instance's own categories,
     *         language and safe-search level
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL without credentials or query
     */
    public static SearxngSettings of(String baseUrl) {
        return new SearxngSettings(URI.create(baseUrl), DEFAULT_TIMEOUT, DEFAULT_MAX_RESULTS,
                DEFAULT_MAX_RESPONSE_BYTES, null, null, null, null);
    }

    /** @return a copy with this timeout */
    public SearxngSettings withTimeout(Duration timeout) {
        return new SearxngSettings(baseUrl, timeout, maxResults, maxResponseBytes, categories, language, safesearch,
                extraParams);
    }

    /** @return a copy with this result limit */
    public SearxngSettings withMaxResults(int maxResults) {
        return new SearxngSettings(baseUrl, timeout, maxResults, maxResponseBytes, categories, language, safesearch,
                extraParams);
    }

    /** @return a copy with this answer size cap */
    public SearxngSettings withMaxResponseBytes(int maxResponseBytes) {
        return new SearxngSettings(baseUrl, timeout, maxResults, maxResponseBytes, categories, language, safesearch,
                extraParams);
    }

    /** @return a copy with these categories, language and safe-search level ({@code null}s for the defaults) */
    public SearxngSettings withFilters(String categories, String language, Integer safesearch) {
        return new SearxngSettings(baseUrl, timeout, maxResults, maxResponseBytes, categories, language, safesearch,
                extraParams);
    }

    /** @return a copy with these extra query parameters */
    public SearxngSettings withExtraParams(Map<String, String> extraParams) {
        return new SearxngSettings(baseUrl, timeout, maxResults, maxResponseBytes, categories, language, safesearch,
                extraParams);
    }
}
