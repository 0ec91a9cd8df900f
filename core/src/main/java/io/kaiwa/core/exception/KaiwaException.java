package io.kaiwa.core.exception;

/**
 * Root of every exception Kaiwa raises. Unchecked, because failures travel as Mutiny failure events and
 * callers decide where to handle them.
 *
 * <p>
 * Two branches sit below it: {@link RetriableException} (a later identical attempt may succeed: 408, 409, 429,
 * 5xx, timeouts, connection resets) and {@link NonRetriableException} (it will not: other 4xx, malformed
 * payloads). Adapters map every upstream failure to one leaf of these branches in one place, so callers can
 * switch on the type rather than parse messages.
 */
public class KaiwaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String param;

    /**
     * Creates an exception that did not come from an HTTP answer.
     *
     * @param message what went wrong, for people; never {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public KaiwaException(String message, Throwable cause) {
        this(message, 0, null, null, cause);
    }

    /**
     * Creates an exception with the details of an upstream or API error.
     *
     * @param message what went wrong, for people; never {@code null}
     * @param status the HTTP status it came with, or {@code 0} when there was none
     * @param code the provider's machine-readable error code (e.g. {@code Throttling.RateQuota}), or {@code null}
     * @param param the request field the error is about, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public KaiwaException(String message, int status, String code, String param, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    /** @return the HTTP status this error came with, or {@code 0} when it did not come from an HTTP answer */
    public int status() {
        return status;
    }

    /** @return the provider's machine-readable error code, or {@code null} */
    public String code() {
        return code;
    }

    /** @return the request field the error is about, or {@code null} */
    public String param() {
        return param;
    }

    /** @return whether an identical later attempt may succeed */
    public boolean isRetriable() {
        return false;
    }
}
