package io.kaiwa.runtime.api;

/**
 * An error the service answers itself, in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    /**
     * @param status the HTTP status
     * @param type OpenAI's error type, e.g. {@code invalid_request_error}
     * @param code a machine-readable code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param message what went wrong, for people
     */
    public ApiException(int status, String type, String code, String param, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /**
     * @param param the field at fault
     * @param message what is wrong with it
     * @return a 400
     */
    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", "invalid_value", param, message);
    }

    /**
     * @param what the kind of object, e.g. {@code Response}
     * @param id the id asked for
     * @param param the request field that named it, or {@code null} for a path
     * @return a 404, the same whether the id never existed or belongs to another tenant
     */
    public static ApiException notFound(String what, String id, String param) {
        return new ApiException(404, "invalid_request_error", "not_found", param,
                what + " with id '" + id + "' not found.");
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return OpenAI's error type */
    public String type() {
        return type;
    }

    /** @return the code, or {@code null} */
    public String code() {
        return code;
    }

    /** @return the field at fault, or {@code null} */
    public String param() {
        return param;
    }
}
