package io.kaiwa.core.exception;

/** Too many requests (HTTP 429, DashScope {@code Throttling.*}). Adapters honour {@code Retry-After}. */
public class RateLimitException extends RetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public RateLimitException(String message, int status, String code, Throwable cause) {
        super(message, status, code, cause);
    }
}
