package io.kaiwa.core.exception;

/** The connection to the provider failed or was reset before an answer was complete. */
public class ConnectionException extends RetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public ConnectionException(String message, int status, String code, Throwable cause) {
        super(message, status, code, cause);
    }
}
