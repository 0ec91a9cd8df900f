package io.kaiwa.core.exception;

/**
 * JSON that does not have the shape Kaiwa's model requires: malformed JSON, a field of the wrong type, or a
 * required field missing. {@link #path()} names the field (e.g. {@code output[2].content[0].text}) so the fault
 * can be found without a debugger.
 *
 * <p>
 * Raised when reading upstream answers (the adapter reports what the provider sent) and when reading client
 * input (the service answers 400 with {@code param} set to the path).
 */
public class InvalidPayloadException extends NonRetriableException {
    private static final long serialVersionUID = 1L;

    private final String path;

    /**
     * @param path the JSON path of the offending field, {@code ""} for the document itself; never {@code null}
     * @param problem what is wrong with it, e.g. {@code "expected a string, got number"}
     * @param cause the parser's exception, or {@code null}
     */
    public InvalidPayloadException(String path, String problem, Throwable cause) {
        super(path.isEmpty() ? problem : path + ": " + problem, 0, "invalid_payload", path.isEmpty() ? null : path,
                cause);
        this.path = path;
    }

    /** @return the JSON path of the offending field, {@code ""} for the whole document */
    public String path() {
        return path;
    }
}
