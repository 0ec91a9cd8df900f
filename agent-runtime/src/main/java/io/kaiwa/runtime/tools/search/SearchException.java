package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

import io.kaiwa.core.exception.KaiwaException;

/**
 * A web search that failed: the provider refused it, was unreachable or slow, or answered with something that is
 * not a search result. The message says which provider, what happened and what to change; it never contains an
 * API key or the query string.
 *
 * <p>
 * Callers switch on {@link #kind()} rather than parse the message. {@link #isRetriable()} is derived from the kind:
 * rate limits, server errors, timeouts and unreachable hosts may pass; the rest will not until the configuration
 * changes. An empty result list is not a failure and never raises this.
 */
public final class SearchException extends KaiwaException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as a closed set a caller can switch on. */
    public enum Kind {
        /** The API key is missing, wrong, revoked or has no active plan (401, 403, Brave's token 422). */
        AUTHENTICATION(false),
        /** Too many requests, or the plan's quota is spent (429). */
        RATE_LIMITED(true),
        /** SearXNG refused {@code format=json} (403): JSON output is not enabled in its {@code settings.yml}. */
        JSON_FORMAT_DISABLED(false),
        /** The provider rejected the request's parameters or path (other 4xx, a redirect). */
        INVALID_REQUEST(false),
        /** The provider failed (5xx). */
        SERVER_ERROR(true),
        /** No complete answer within the configured timeout. */
        TIMEOUT(true),
        /** No connection: refused, unknown host, TLS failure or reset. */
        UNREACHABLE(true),
        /** A success status with a body that is not the provider's JSON. */
        MALFORMED_RESPONSE(false),
        /** The answer was larger than the configured cap and was not read. */
        RESPONSE_TOO_LARGE(false);

        private final boolean retriable;

        Kind(boolean retriable) {
            this.retriable = retriable;
        }

        /** @return whether an identical later search may succeed */
        public boolean retriable() {
            return retriable;
        }
    }

    private final String provider;
    private final Kind kind;
    private final Duration retryAfter;

    /**
     * @param provider the provider's name, e.g. {@code searxng}; never {@code null}
     * @param kind what went wrong; never {@code null}
     * @param message what went wrong and what to change, for people; never {@code null}
     * @param status the HTTP status, or {@code 0} when there was no answer
     * @param code the provider's machine-readable error code (e.g. {@code RATE_LIMITED}), or {@code null}
     * @param retryAfter how long the provider asked to wait, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public SearchException(String provider, Kind kind, String message, int status, String code, Duration retryAfter,
            Throwable cause) {
        super(requireNonNull(message, "message"), status, code, null, cause);
        this.provider = requireNonNull(provider, "provider");
        this.kind = requireNonNull(kind, "kind");
        this.retryAfter = retryAfter;
    }

    /** @return the provider's name, e.g. {@code searxng} or {@code brave} */
    public String provider() {
        return provider;
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }

    /** @return how long the provider asked to wait before the next search, when it said */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public boolean isRetriable() {
        return kind.retriable();
    }
}
