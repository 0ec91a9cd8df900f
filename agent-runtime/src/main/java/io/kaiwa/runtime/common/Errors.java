package io.kaiwa.runtime.common;

import org.jboss.logging.Logger;

import io.kaiwa.core.TurnError;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.ResponseNotFoundException;

/**
 * The errors the service raises itself, as core's exceptions (the API layer alone turns them into HTTP), and what a
 * failure says to a client: one place for both.
 */
public final class Errors {
    private static final Logger LOG = Logger.getLogger(Errors.class);
    private static final String OWN_FAILURE = "The service failed to handle the request; the log has the details.";

    private Errors() {
    }

    /**
     * @param param the request field at fault, or {@code null}
     * @param message what is wrong with it
     * @return a 400
     */
    public static InvalidRequestException badRequest(String param, String message) {
        return new InvalidRequestException(message, 400, "invalid_value", param, null);
    }

    /**
     * @param what the kind of object, e.g. {@code Response}
     * @param id the id asked for
     * @param param the request field that named it, or {@code null} for a path
     * @return a 404, the same whether the id never existed or belongs to another tenant
     */
    public static ResponseNotFoundException notFound(String what, String id, String param) {
        return new ResponseNotFoundException(what + " with id '" + id + "' not found.", 404, "not_found", param, null);
    }

    /**
     * @param failure what went wrong
     * @return what a client is told: a provider's or Kaiwa's own message; for a failure of the service itself, a
     *         sentence that points to the log (see {@link #logOwn}), never the details
     */
    public static String message(Throwable failure) {
        if (failure instanceof InvalidPayloadException) {
            return "The provider answered with something that is not a valid answer: " + failure.getMessage();
        }
        if (failure instanceof KaiwaException) {
            return failure.getMessage();
        }
        return OWN_FAILURE;
    }

    /**
     * Writes a failure of the service itself to the log, with its stack trace; a provider's failure or a refused
     * request is not the service's and is not logged. Called once per failure, where it ends up: the HTTP error
     * mapper, or the response it ends.
     *
     * @param failure what went wrong
     */
    public static void logOwn(Throwable failure) {
        if (!(failure instanceof KaiwaException)) {
            LOG.error("request failed", failure);
        }
    }

    /**
     * @param failure what ended a response
     * @return the error it records: the failure's code, else {@code upstream_error} for a provider's failure and
     *         {@code internal_error} for the service's own (as the HTTP error for it says)
     */
    public static TurnError recorded(Throwable failure) {
        String code = failure instanceof KaiwaException k
                ? k.code() != null ? k.code() : "upstream_error"
                : "internal_error";
        return new TurnError(code, message(failure));
    }
}
