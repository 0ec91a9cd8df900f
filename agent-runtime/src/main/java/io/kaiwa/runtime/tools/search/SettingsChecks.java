package io.kaiwa.runtime.tools.search;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The checks every search provider's settings record makes. Messages never hold a value that may be a secret. */
final class SettingsChecks {
    private SettingsChecks() {
    }

    static URI baseUrl(URI url, String kind) {
        if (url == null) {
            throw new IllegalArgumentException(kind + " needs a base URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException(kind + " base URL must be an absolute http(s) URL: " + url);
        }
        if (url.getRawUserInfo() != null) {
            // Credentials in the URL would be printed in every error message.
            throw new IllegalArgumentException(kind + " base URL must not contain credentials");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    kind + " base URL must not have a query or fragment (use kaiwa.tools.web-search.params.<name>): "
                            + url);
        }
        String s = url.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return URI.create(s);
    }

    static Duration timeout(Duration timeout, String kind) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(kind + " timeout must be positive: " + timeout);
        }
        return timeout;
    }

    static int range(int value, int min, int max, String what, String kind) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(kind + " " + what + " must be between " + min + " and " + max + ": "
                    + value);
        }
        return value;
    }

    static Map<String, String> extraParams(Map<String, String> params, Set<String> reserved, String kind) {
        if (params == null) {
            return Map.of();
        }
        for (var e : params.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException(kind + " extra parameters need a name and a value: " + e);
            }
            if (reserved.contains(e.getKey())) {
                throw new IllegalArgumentException(kind + " extra parameter '" + e.getKey()
                        + "' is set by Kaiwa itself; use the dedicated setting instead");
            }
        }
        // Map.copyOf would lose the order; the order shows in the query string.
        return Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
