package io.kaiwa.runtime.tools.web;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Limits and permissions for {@link WebExtractor}.
 *
 * @param maxUrls how many URLs one call reads; further ones are answered with an error
 * @param maxRedirects how many redirects one URL may follow, each checked like the URL itself
 * @param maxBodyBytes the largest body read; a larger page is an error, and reading stops at the limit
 * @param timeout the whole time one URL may take: resolving, connecting, redirects and the full body
 * @param outputBudgetChars about how many characters of page text one call returns in all (shared between the pages
 *        that were read; URL and error lines come on top)
 * @param allowedPrivateCidrs address ranges fetched although they are not public, e.g. {@code 10.1.0.0/16};
 *        empty by default
 * @param allowedContentTypes the media types read (lower case, without parameters); HTML types go through
 *        main-content extraction, anything else is read as plain text
 * @param userAgent the {@code User-Agent} header sent
 */
public record FetchSettings(int maxUrls, int maxRedirects, long maxBodyBytes, Duration timeout, int outputBudgetChars,
        List<String> allowedPrivateCidrs, List<String> allowedContentTypes, String userAgent) {
    /** The media types read by default. */
    public static final List<String> DEFAULT_CONTENT_TYPES = List.of("text/html", "application/xhtml+xml",
            "text/plain");

    /**
     * @throws IllegalArgumentException when a number is out of range or a CIDR range does not parse
     * @throws NullPointerException when a reference is {@code null}
     */
    public FetchSettings {
        requireNonNull(timeout, "timeout");
        requireNonNull(userAgent, "userAgent");
        if (maxUrls < 1) {
            throw new IllegalArgumentException("maxUrls must be at least 1: " + maxUrls);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative: " + maxRedirects);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBodyBytes must be between 1 and 2^31-1: " + maxBodyBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (outputBudgetChars < 200) {
            throw new IllegalArgumentException("outputBudgetChars must be at least 200: " + outputBudgetChars);
        }
        allowedPrivateCidrs = List.copyOf(allowedPrivateCidrs);
        allowedPrivateCidrs.forEach(CidrBlock::parse);
        allowedContentTypes = allowedContentTypes.stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList();
        if (allowedContentTypes.isEmpty()) {
            throw new IllegalArgumentException("allowedContentTypes must not be empty");
        }
    }

    /**
     * @return 5 URLs, 5 redirects, 2 MiB bodies, 10 s per URL, 8,000 characters of output, no private ranges, HTML,
     *         XHTML and plain text
     */
    public static FetchSettings defaults() {
        return new FetchSettings(5, 5, 2L * 1024 * 1024, Duration.ofSeconds(10), 8_000, List.of(),
                DEFAULT_CONTENT_TYPES, "Kaiwa-WebExtractor/1.0");
    }

    /** @return these settings with {@code maxRedirects} replaced */
    public FetchSettings withMaxRedirects(int maxRedirects) {
        return new FetchSettings(maxUrls, maxRedirects, maxBodyBytes, timeout, outputBudgetChars,
                allowedPrivateCidrs, allowedContentTypes, userAgent);
    }

    /** @return these settings with {@code maxBodyBytes} replaced */
    public FetchSettings withMaxBodyBytes(long maxBodyBytes) {
        return new FetchSettings(maxUrls, maxRedirects, maxBodyBytes, timeout, outputBudgetChars,
                allowedPrivateCidrs, allowedContentTypes, userAgent);
    }

    /** @return these settings with {@code timeout} replaced */
    public FetchSettings withTimeout(Duration timeout) {
        return new FetchSettings(maxUrls, maxRedirects, maxBodyBytes, timeout, outputBudgetChars,
                allowedPrivateCidrs, allowedContentTypes, userAgent);
    }

    /** @return these settings with {@code outputBudgetChars} replaced */
    public FetchSettings withOutputBudgetChars(int outputBudgetChars) {
        return new FetchSettings(maxUrls, maxRedirects, maxBodyBytes, timeout, outputBudgetChars,
                allowedPrivateCidrs, allowedContentTypes, userAgent);
    }

    /** @return these settings with {@code allowedPrivateCidrs} replaced */
    public FetchSettings withAllowedPrivateCidrs(List<String> allowedPrivateCidrs) {
        return new FetchSettings(maxUrls, maxRedirects, maxBodyBytes, timeout, outputBudgetChars,
                allowedPrivateCidrs, allowedContentTypes, userAgent);
    }

    /** @return these settings with {@code allowedContentTypes} replaced */
    public FetchSettings withAllowedContentTypes(List<String> allowedContentTypes) {
        return new FetchSettings(maxUrls, maxRedirects, maxBodyBytes, timeout, outputBudgetChars,
                allowedPrivateCidrs, allowedContentTypes, userAgent);
    }
}
