package io.kaiwa.core.exception;

/** A stored provider response (a {@code previous_response_id}) is unknown or has expired. */
public class ResponseNotFoundException extends NotFoundException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public ResponseNotFoundException(String message, int status, String code, String param, Throwable cause) {
        super(message, status, code, param, cause);
    }
}
