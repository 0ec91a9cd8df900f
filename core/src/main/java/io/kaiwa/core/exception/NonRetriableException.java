package io.kaiwa.core.exception;

/** A failure that an identical later attempt would repeat: the request, the credentials or the payload is wrong. */
public class NonRetriableException extends KaiwaException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public NonRetriableException(String message, int status, String code, String param, Throwable cause) {
        super(message, status, code, param, cause);
    }
}
