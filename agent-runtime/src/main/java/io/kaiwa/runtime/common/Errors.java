package io.kaiwa.runtime.common;

import org.jboss.logging.Logger;

import io.kaiwa.core.TurnError;
import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.PermissionDeniedException;
import io.kaiwa.core.exception.ResponseNotFoundException;
import io.kaiwa.core.exception.UpstreamTimeoutException;

/**
 * The errors the service raises itself, as core's exceptions (the API layer alone turns them into HTTP), and what a
 * failure says to a client: one place for both.
 */
public final class Errors {
    private static final Logger LOG = Logger.getLogger(Errors.class);
    /** The code of a provider's refusal of the service's key: a 502, never the caller's 401. */
    public static final String UPSTREAM_AUTHENTICATION = "upstream_authentication_failed";
    /** What a client is told when the database is out of reach. */
    public static final String DATABASE_DOWN = "The service's database is out of reach; retry in a few seconds.";
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
        return new ResponseNotFoundException(what + " with id '" + Ids.shown(id) + "' not found.", 404, "not_found",
                param, null);
    }

    /**
     * @param failure what went wrong
     * @return what a client is told: a provider's or Kaiwa's own message; for a failure of the service itself, a
     *         sentence that points to the log (see {@link #logOwn}), never the details
     */
    public static String message(Throwable failure) {
        if (!(failure instanceof KaiwaException) && DatabaseOutage.noted(failure)) {
            return DATABASE_DOWN;
        }
        if (providerRefusedKey(failure)) {
            return "The model provider refused this service's credentials for it; the service's operator must check "
                    + "its API key (the log has the provider's status and code).";
        }
        if (failure instanceof ConnectionException && failure.getCause() != null) {
            // A network failure: the transport's message names the provider's address and the network library's
            // exception. (One without a cause, a stream cut short, says only that.)
            return "The model provider could not be reached; try again later.";
        }
        if (failure instanceof UpstreamTimeoutException) {
            return "The model provider did not answer in time; try again later.";
        }
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
        if (providerRefusedKey(failure)) {
            KaiwaException k = (KaiwaException) failure;
            // Its message may quote a masked key: the status and code are enough to act on.
            LOG.warnf("a provider refused the service's API key: HTTP %d, code %s", k.status(), k.code());
        } else if (failure instanceof ConnectionException || failure instanceof UpstreamTimeoutException) {
            LOG.warnf("a provider call failed: %s", failure.getMessage());
        } else if (!(failure instanceof KaiwaException) && DatabaseOutage.noted(failure)) {
            // Every request fails alike while it lasts: one line each, no stack trace.
            LOG.warnf("the database is out of reach: %s", failure.toString());
        } else if (!(failure instanceof KaiwaException)) {
            LOG.error("request failed", failure);
        }
    }

    /**
     * @param failure what went wrong
     * @return whether it is a provider's 401 or 403: the service's key for it, not the caller's, was refused (the
     *         caller's own key is checked before anything runs, and answered there)
     */
    public static boolean providerRefusedKey(Throwable failure) {
        return failure instanceof AuthenticationException || failure instanceof PermissionDeniedException;
    }

    /**
     * @param failure what ended a response
     * @return the error it records: the failure's code, else {@code upstream_error} for a provider's failure and
     *         {@code internal_error} for the service's own (as the HTTP error for it says)
     */
    public static TurnError recorded(Throwable failure) {
        String code = providerRefusedKey(failure)
                ? UPSTREAM_AUTHENTICATION
                : failure instanceof KaiwaException k
                        ? k.code() != null ? k.code() : "upstream_error"
                        : DatabaseOutage.noted(failure) ? DatabaseOutage.CODE : "internal_error";
        return new TurnError(code, message(failure));
    }
}
