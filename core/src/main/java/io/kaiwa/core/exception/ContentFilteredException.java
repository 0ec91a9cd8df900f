package io.kaiwa.core.exception;

/** The provider's content inspection rejected the input or output (DashScope {@code DataInspectionFailed}). */
public class ContentFilteredException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param status the HTTP status, or {@code 0}
     * @param code the provider's error code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public ContentFilteredException(String message, int status, String code, String param, Throwable cause) {
        super(message, status, code, param, cause);
    }
}
