package io.kaiwa.core.exception;

/**
 * A failure that an identical later attempt may not repeat: rate limits, server errors, timeouts and
 * connection failures. Adapters retry these with backoff before they reach the caller (never once a stream
 * has delivered its first event).
 */
public class RetriableException extends KaiwaException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public RetriableException(String message, int status, String code, Throwable cause) {
        super(message, status, code, null, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
