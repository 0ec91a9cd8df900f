package io.kaiwa.core.exception;

/** The request was rejected as malformed or invalid (HTTP 400/422, DashScope {@code InvalidParameter}); {@link #param()} names the field when known. */
public class InvalidRequestException extends NonRetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidRequestException(String message, int status, String code, String param, Throwable cause) {
        super(message, status, code, param, cause);
    }
}
