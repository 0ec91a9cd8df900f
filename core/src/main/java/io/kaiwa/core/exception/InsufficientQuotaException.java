package io.kaiwa.core.exception;

/** The account cannot pay for the call (DashScope {@code Arrearage}, OpenAI {@code insufficient_quota}). */
public class InsufficientQuotaException extends NonRetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public InsufficientQuotaException(String message, int status, String code, String param, Throwable cause) {
        super(message, status, code, param, cause);
    }
}
