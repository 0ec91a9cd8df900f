package io.kaiwa.runtime.tools.search;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a provider's settings from flat {@code key=value} strings (the config layer's map) and checks the values
 * every provider shares. Keys are kebab-case; {@code param.<name>} keys are extra query parameters.
 */
final class SettingsMap {
    static final String PARAM_PREFIX = "param.";

    private final String kind;
    private final Map<String, String> values;
    private final Set<String> known = new TreeSet<>();

    SettingsMap(String kind, Map<String, String> values) {
        this.kind = kind;
        this.values = values == null ? Map.of() : values;
    }

    /** @return the trimmed value, or {@code null} when absent or blank */
    String string(String key) {
        known.add(key);
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    URI uri(String key, URI fallback) {
        String v = string(key);
        if (v == null) {
            return fallback;
        }
        try {
            return new URI(v);
        } catch (URISyntaxException e) {
            throw invalid(key, v, "not a URL: " + e.getReason());
        }
    }

    Duration duration(String key, Duration fallback) {
        String v = string(key);
        if (v == null) {
            return fallback;
        }
        try {
            return parseDuration(v);
        } catch (IllegalArgumentException e) {
            throw invalid(key, v, "not a duration (e.g. 10s, 500ms, PT10S, or plain seconds)");
        }
    }

    int integer(String key, int fallback) {
        Integer v = optionalInteger(key);
        return v == null ? fallback : v;
    }

    Integer optionalInteger(String key) {
        String v = string(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "not a whole number");
        }
    }

    /** @return the {@code param.<name>} entries, by name, in the map's order */
    Map<String, String> params() {
        var params = new LinkedHashMap<String, String>();
        values.forEach((k, v) -> {
            if (k.startsWith(PARAM_PREFIX) && k.length() > PARAM_PREFIX.length() && v != null) {
                params.put(k.substring(PARAM_PREFIX.length()), v.trim());
            }
        });
        return params;
    }

    /** @throws IllegalArgumentException naming the keys no getter asked for, so a typo does not go unnoticed */
    void rejectUnknown() {
        var unknown = new TreeSet<String>();
        for (String k : values.keySet()) {
            if (!known.contains(k) && !k.startsWith(PARAM_PREFIX)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown " + kind + " web search setting(s) " + unknown + "; known: "
                    + known + " and " + PARAM_PREFIX + "<name> for extra query parameters");
        }
    }

    private IllegalArgumentException invalid(String key, String value, String why) {
        // Never echo a value that might be a secret.
        String shown = key.contains("key") ? "(hidden)" : "'" + value + "'";
        return new IllegalArgumentException(kind + " web search setting " + key + "=" + shown + " is " + why);
    }

    static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            // A bare number is seconds, as in Quarkus's own duration settings.
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration: " + text, e);
        }
    }

    // Checks shared by every provider's settings record.

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
                    kind + " base URL must not have a query or fragment (use param.<name> settings): " + url);
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
