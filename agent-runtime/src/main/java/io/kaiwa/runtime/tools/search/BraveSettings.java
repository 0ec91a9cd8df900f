package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How to call the Brave Search API's web search ({@code GET {baseUrl}/web/search?q=...&count=...}, the key in the
 * {@code X-Subscription-Token} header).
 *
 * @param baseUrl the API's root, {@link #DEFAULT_BASE_URL} unless testing or proxying; a trailing slash is dropped;
 *        never {@code null}
 * @param apiKey the subscription token; never {@code null} or blank. Never logged, and hidden by
 *        {@link #toString()}
 * @param timeout the longest wait for the whole answer, connection included; positive
 * @param maxResults the most results a search returns, 1 to 20 (Brave's own limit); a smaller per-search limit wins
 * @param maxResponseBytes the largest answer read, in bytes (at least 1024)
 * @param country a two-letter country code results come from (e.g. {@code us}), or {@code null} for Brave's default
 * @param searchLang the language code results are in (e.g. {@code en}), or {@code null} for Brave's default
 * @param safesearch {@code off}, {@code moderate} or {@code strict}, or {@code null} for Brave's default
 *        ({@code moderate})
 * @param extraParams further query parameters sent as they are (e.g. {@code freshness}, {@code extra_snippets});
 *        never {@code q} or {@code count}; {@code null} means none
 */
public record BraveSettings(URI baseUrl, String apiKey, Duration timeout, int maxResults, int maxResponseBytes,
        String country, String searchLang, String safesearch, Map<String, String> extraParams) {
    /** Brave's API root; the web search endpoint is {@code /web/search} below it. */
    public static final URI DEFAULT_BASE_URL = URI.create("https://api.search.brave.com/res/v1");
    /** Ten seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Ten results. */
    public static final int DEFAULT_MAX_RESULTS = 10;
    /** The most results Brave returns for one request. */
    public static final int BRAVE_MAX_COUNT = 20;
    /** Two MiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

    private static final String KIND = "brave";
    private static final Set<String> RESERVED = Set.of("q", "count", "country", "search_lang", "safesearch");
    private static final Set<String> SAFESEARCH = Set.of("off", "moderate", "strict");

    public BraveSettings {
        baseUrl = SettingsChecks.baseUrl(baseUrl, KIND);
        String host = baseUrl.getHost();
        if (!"https".equalsIgnoreCase(baseUrl.getScheme()) && !(host.equals("localhost") || host.equals("127.0.0.1")
                || host.equals("[::1]"))) {
            // The key travels in a header: in clear text only to this machine (a local proxy, a test server).
            throw new IllegalArgumentException("brave base URL must be https (or on this machine): " + baseUrl);
        }
        requireNonNull(apiKey, "apiKey");
        if (apiKey.isBlank()) {
            throw new IllegalArgumentException("brave needs an API key (its subscription token)");
        }
        apiKey = apiKey.trim();
        timeout = SettingsChecks.timeout(timeout, KIND);
        SettingsChecks.range(maxResults, 1, BRAVE_MAX_COUNT, "maxResults", KIND);
        SettingsChecks.range(maxResponseBytes, 1024, Integer.MAX_VALUE, "maxResponseBytes", KIND);
        country = SettingsChecks.blankToNull(country);
        searchLang = SettingsChecks.blankToNull(searchLang);
        safesearch = SettingsChecks.blankToNull(safesearch);
        if (safesearch != null && !SAFESEARCH.contains(safesearch)) {
            throw new IllegalArgumentException("brave safesearch must be off, moderate or strict: " + safesearch);
        }
        extraParams = SettingsChecks.extraParams(extraParams, RESERVED, KIND);
    }

    /**
     * @param apiKey the subscription token; never {@code null} or blank
     * @return settings with every default: Brave's public endpoint, 10 s timeout, 10 results, 2 MiB cap
     */
    public static BraveSettings of(String apiKey) {
        return new BraveSettings(DEFAULT_BASE_URL, apiKey, DEFAULT_TIMEOUT, DEFAULT_MAX_RESULTS,
                DEFAULT_MAX_RESPONSE_BYTES, null, null, null, null);
    }

    /** @return a copy sending requests to this root instead (a proxy, or a test server) */
    public BraveSettings withBaseUrl(URI baseUrl) {
        return new BraveSettings(baseUrl, apiKey, timeout, maxResults, maxResponseBytes, country, searchLang,
                safesearch, extraParams);
    }

    /** @return a copy with this timeout */
    public BraveSettings withTimeout(Duration timeout) {
        return new BraveSettings(baseUrl, apiKey, timeout, maxResults, maxResponseBytes, country, searchLang,
                safesearch, extraParams);
    }

    /** @return a copy with this result limit */
    public BraveSettings withMaxResults(int maxResults) {
        return new BraveSettings(baseUrl, apiKey, timeout, maxResults, maxResponseBytes, country, searchLang,
                safesearch, extraParams);
    }

    /** @return a copy with this answer size cap */
    public BraveSettings withMaxResponseBytes(int maxResponseBytes) {
        return new BraveSettings(baseUrl, apiKey, timeout, maxResults, maxResponseBytes, country, searchLang,
                safesearch, extraParams);
    }

    /** @return a copy with this country, search language and safe-search level ({@code null}s for defaults) */
    public BraveSettings withFilters(String country, String searchLang, String safesearch) {
        return new BraveSettings(baseUrl, apiKey, timeout, maxResults, maxResponseBytes, country, searchLang,
                safesearch, extraParams);
    }

    /** @return a copy with these extra query parameters */
    public BraveSettings withExtraParams(Map<String, String> extraParams) {
        return new BraveSettings(baseUrl, apiKey, timeout, maxResults, maxResponseBytes, country, searchLang,
                safesearch, extraParams);
    }

    /** @return the settings with the API key hidden, safe to log */
    @Override
    public String toString() {
        return "BraveSettings[baseUrl=" + baseUrl + ", apiKey=(hidden), timeout=" + timeout + ", maxResults="
                + maxResults + ", maxResponseBytes=" + maxResponseBytes + ", country=" + country + ", searchLang="
                + searchLang + ", safesearch=" + safesearch + ", extraParams=" + extraParams + "]";
    }
}
