package io.kaiwa.core.exception;

/** The addressed object does not exist (HTTP 404). */
public class NotFoundException extends NonRetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public NotFoundException(String message, int status, String code, String param, Throwable cause) {
        super(message, status, code, param, cause);
    }
}
