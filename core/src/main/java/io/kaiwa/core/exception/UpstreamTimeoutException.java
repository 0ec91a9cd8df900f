package io.kaiwa.core.exception;

/** The provider did not answer in time: HTTP 408, a whole-request timeout, or a stream silent for longer than its idle timeout. */
public class UpstreamTimeoutException extends RetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public UpstreamTimeoutException(String message, int status, String code, Throwable cause) {
        super(message, status, code, cause);
    }
}
