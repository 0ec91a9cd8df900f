package io.kaiwa.runtime.api;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;

import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.ConflictException;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.InsufficientQuotaException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.NotFoundException;
import io.kaiwa.core.exception.PermissionDeniedException;
import io.kaiwa.core.exception.RateLimitException;
import io.kaiwa.core.exception.UpstreamTimeoutException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.DatabaseOutage;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.service.RateLimits;

/**
 * The service's one error mapper: any failure to an HTTP status and OpenAI's error JSON. Core exceptions keep their
 * status and code (a provider's, or the one the service gave its own); failures of the service itself are 500s whose
 * details go to the log, not the client. Only this package knows HTTP.
 *
 * @param status the HTTP status
 * @param type OpenAI's error type
 * @param code the code, or {@code null}
 * @param param the field at fault, or {@code null}
 * @param message what went wrong
 */
public record ErrorBody(int status, String type, String code, String param, String message) {
    /**
     * @param failure what went wrong: a core exception (raised by the service itself or a provider's, mapped by its
     *        adapter) keeps its status, code and field; anything else is the service's own failure
     * @return how to answer it
     */
    public static ErrorBody of(Throwable failure) {
        if (Errors.providerRefusedKey(failure)) {
            // An SDK reads a 401 or 403 as "your key is wrong"; here it was the service's key for the provider.
            Errors.logOwn(failure);
            return new ErrorBody(502, "server_error", Errors.UPSTREAM_AUTHENTICATION, null, Errors.message(failure));
        }
        if (failure instanceof KaiwaException k) {
            if (k instanceof ConnectionException || k instanceof UpstreamTimeoutException) {
                Errors.logOwn(failure);
            }
            return kaiwa(k);
        }
        if (failure instanceof jakarta.ws.rs.WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            return new ErrorBody(status, "invalid_request_error", status == 404 ? "not_found" : null, null,
                    w.getMessage());
        }
        Errors.logOwn(failure);
        if (DatabaseOutage.noted(failure)) {
            return new ErrorBody(503, "server_error", DatabaseOutage.CODE, null, Errors.DATABASE_DOWN);
        }
        return new ErrorBody(500, "server_error", "internal_error", null, Errors.message(failure));
    }

    /**
     * @param failure what went wrong
     * @return the headers that go with its answer: {@code Retry-After} (and a rate limit's {@code x-ratelimit-*})
     *         when waiting helps; else none
     */
    public static Map<String, String> headers(Throwable failure) {
        if (failure instanceof RateLimits.Limited limited) {
            return limited.headers();
        }
        if (failure instanceof KaiwaException k && DatabaseOutage.CODE.equals(k.code())
                || !(failure instanceof KaiwaException) && DatabaseOutage.suspected()
                        && DatabaseOutage.noted(failure)) {
            return Map.of("Retry-After", String.valueOf(DatabaseOutage.RETRY_AFTER_SECONDS));
        }
        return Map.of();
    }

    private static ErrorBody kaiwa(KaiwaException e) {
        int status = e.status() >= 400 && e.status() <= 599 ? e.status() : statusOf(e);
        String type = switch (status) {
            case 400, 404, 409, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> e instanceof InsufficientQuotaException ? "insufficient_quota" : "rate_limit_error";
            default -> "server_error";
        };
        return new ErrorBody(status, type, e.code(), e.param(), Errors.message(e));
    }

    private static int statusOf(KaiwaException e) {
        if (e instanceof RateLimitException || e instanceof InsufficientQuotaException) {
            return 429;
        }
        if (e instanceof AuthenticationException) {
            return 401;
        }
        if (e instanceof PermissionDeniedException) {
            return 403;
        }
        if (e instanceof NotFoundException) {
            return 404;
        }
        if (e instanceof ConflictException) {
            return 409;
        }
        if (e instanceof UpstreamTimeoutException) {
            return 504;
        }
        if (e instanceof InvalidRequestException) {
            return 400;
        }
        // A connection failure, an unreadable answer or a failure the provider reported mid-answer.
        return 502;
    }

    /** @param g where to write {@code {"error":{...}}} @throws IOException when the generator fails */
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("error");
        g.writeStringField("message", message);
        g.writeStringField("type", type);
        g.writeStringField("param", param);
        g.writeStringField("code", code);
        g.writeEndObject();
        g.writeEndObject();
    }

    /**
     * The same failure as an {@code error} message of the WebSocket mode: {@code {"type":"error","status":N,
     * "error":{"type","code","message","param"}}}, where a code is always given and a previous response that is
     * not there is {@code previous_response_not_found} (400), as OpenAI's socket says it.
     *
     * @param failure what went wrong
     * @return the message
     */
    public static String socketEvent(Throwable failure) {
        ErrorBody body = of(failure);
        boolean missingPrevious = failure instanceof NotFoundException && "previous_response_id".equals(body.param);
        var out = new StringWriter(256);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeNumberField("status", missingPrevious ? 400 : body.status);
            g.writeObjectFieldStart("error");
            g.writeStringField("type", body.type);
            g.writeStringField("code", missingPrevious
                    ? "previous_response_not_found"
                    : body.code != null ? body.code : body.type);
            g.writeStringField("message", body.message);
            g.writeStringField("param", body.param);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** @return {@code {"error":{...}}} */
    public String json() {
        var out = new StringWriter(256);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
