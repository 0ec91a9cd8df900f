package io.kaiwa.runtime.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.kaiwa.core.exception.ConflictException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.openai.OpenAiEvents;
import io.kaiwa.runtime.openai.ResponseJson;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.service.CreateRequest;
import io.kaiwa.runtime.service.ResponseService;
import io.kaiwa.runtime.stream.StoredEvents;
import io.kaiwa.runtime.task.TaskService;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/responses}: creates a response and answers the whole response object, or its events when
 * {@code stream} is true. It is the service's hot path, so it is served straight from the Vert.x router rather than
 * through RESTEasy Reactive (whose per-request context capture and always-chunked streaming cost about a tenth of the
 * CPU under load): a whole answer goes out in one write with a {@code Content-Length}; events go through an
 * {@link SseWriter}. The body is read up to {@code quarkus.http.limits.max-body-size}, like every other endpoint.
 * Documented in {@code META-INF/openapi.yaml}, since no resource method describes it.
 */
@ApplicationScoped
public class CreateRoute {
    private static final String JSON_TYPE = "application/json";

    @Inject
    ResponseService service;

    @Inject
    StoredEvents events;

    @Inject
    TaskService tasks;

    @Inject
    ResponseStore store;

    /** How long a response answers for the Idempotency-Key it was made with. */
    private static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /** Keys whose first request this instance is still answering, by tenant. */
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBody;

    /** What to answer: one JSON object, or events. */
    sealed interface Reply {
        /** A whole JSON body, with headers of its own (an error's {@code Retry-After}). */
        record Whole(int status, String json, Map<String, String> headers) implements Reply {
            Whole(int status, String json) {
                this(status, json, Map.of());
            }
        }

        /** SSE frames, status 200. */
        record Events(Multi<String> frames) implements Reply {
        }

        static Reply error(Throwable failure) {
            ErrorBody error = ErrorBody.of(failure);
            return new Whole(error.status(), error.json(), ErrorBody.headers(failure));
        }
    }

    void install(@Observes Router router) {
        // After authentication (order -100 on every route), before RESTEasy Reactive's catch-all.
        router.post("/v1/responses").order(-10).handler(this::receive);
    }

    private void receive(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (rc.body().available() || request.isEnded()) {
            // A body handler ahead of this route (an extension may install one) has read it already.
            Buffer read = rc.body().available() ? rc.body().buffer() : null;
            create(rc, read == null ? Buffer.buffer() : read, rc.vertx().getOrCreateContext());
            return;
        }
        long limit = maxBody.asLongValue();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = declared == null ? -1 : parseLength(declared);
        if (length > limit) {
            tooLarge(rc, limit);
            return;
        }
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            // The client waits for this before it sends the body (curl does for larger bodies).
            rc.response().writeContinue();
        }
        Buffer body = Buffer.buffer(length > 0 ? (int) length : 512);
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                refused[0] = true;
                tooLarge(rc, limit);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ignored -> {
            if (!refused[0]) {
                create(rc, body, rc.vertx().getOrCreateContext());
            }
        });
        request.resume();
    }

    private static long parseLength(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void tooLarge(RoutingContext rc, long limit) {
        // Answered at once. What is left of the body is read and dropped rather than left unread: closing a
        // connection with unread data resets it, and the client could lose the answer. The client is asked to close.
        rc.response().putHeader(HttpHeaders.CONNECTION, "close");
        var error = new ErrorBody(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than " + limit + " bytes (quarkus.http.limits.max-body-size).");
        send(rc, new Reply.Whole(error.status(), error.json()), rc.vertx().getOrCreateContext());
    }

    private void create(RoutingContext rc, Buffer body, Context context) {
        String key = rc.request().getHeader("Idempotency-Key");
        Uni.createFrom().deferred(() -> reply(ApiKeyAuth.tenant(rc), body, key))
                .onFailure().recoverWithItem(Reply::error)
                .subscribe()
                .with(reply -> send(rc, reply, context), failure -> send(rc, Reply.error(failure), context));
    }

    private Uni<Reply> reply(String tenant, Buffer body, String key) {
        CreateRequest request = CreateRequest.parse(parse(body));
        if (key == null) {
            return start(tenant, request);
        }
        checkKey(key);
        String held = tenant + '\n' + key;
        // Claimed before the lookup: a retry arriving as the first one ends finds either the claim or its row.
        if (inFlight.putIfAbsent(held, Boolean.TRUE) != null) {
            // An SDK retries a 409 after a pause; by then the first has its answer to give back.
            throw new ConflictException("A request with this Idempotency-Key is still being answered; retry once it "
                    + "has finished.", 409, "idempotency_key_in_use", null);
        }
        return store.findByIdempotencyKey(tenant, key, Instant.now().minus(IDEMPOTENCY_WINDOW)).chain(first -> {
            if (first != null) {
                inFlight.remove(held);
                return Uni.createFrom().item(replay(tenant, first, request.stream()));
            }
            return start(tenant, request.withIdempotencyKey(key)).map(reply -> {
                if (reply instanceof Reply.Events e) {
                    return (Reply) new Reply.Events(e.frames().onTermination().invoke(() -> inFlight.remove(held)));
                }
                inFlight.remove(held);
                return reply;
            });
        }).onFailure().invoke(() -> inFlight.remove(held)).onCancellation().invoke(() -> inFlight.remove(held));
    }

    private static void checkKey(String key) {
        if (key.isEmpty() || key.length() > 255 || key.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw Errors.badRequest("Idempotency-Key", "The Idempotency-Key header must be 1 to 255 printable "
                    + "characters.");
        }
    }

    /** What the request its key first came with made: the response as stored, or its events. */
    private Reply replay(String tenant, ResponseRecord first, boolean stream) {
        if (!stream) {
            return new Reply.Whole(200, ResponseJson.json(first, true));
        }
        if (first.background) {
            return new Reply.Events(events.follow(tenant, first.id, -1));
        }
        // A streamed answer's deltas are not kept: its start and its whole end are.
        var openAi = new OpenAiEvents(first, true);
        return new Reply.Events(Multi.createFrom().items(openAi.lifecycle("response.created").sse(),
                openAi.finished(first).sse()));
    }

    private Uni<Reply> start(String tenant, CreateRequest request) {
        if (request.background()) {
            return tasks.enqueue(tenant, request).map(r -> request.stream()
                    ? new Reply.Events(events.follow(tenant, r.id, -1))
                    : new Reply.Whole(200, ResponseJson.json(r, true)));
        }
        if (request.stream()) {
            return service.stream(tenant, request).map(Reply.Events::new);
        }
        return service.create(tenant, request).map(r -> new Reply.Whole(200, ResponseJson.json(r, request.store())));
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(Buffer body) {
        if (body.length() == 0) {
            throw Errors.badRequest(null, "The request body is empty; send a JSON object.");
        }
        try {
            return KaiwaJson.parse(body.getBytes());
        } catch (InvalidPayloadException e) {
            throw Errors.badRequest(null, "The request body is not valid JSON: " + e.getMessage());
        }
    }

    private static void send(RoutingContext rc, Reply reply, Context context) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            if (reply instanceof Reply.Events events) {
                // The client left before the first event: stop the work behind the stream.
                events.frames().subscribe().with(ignored -> {
                }, ignored -> {
                }).cancel();
            }
            return;
        }
        if (reply instanceof Reply.Whole whole) {
            whole.headers().forEach(response::putHeader);
            response.setStatusCode(whole.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON_TYPE).end(whole.json());
        } else if (reply instanceof Reply.Events events) {
            response.setStatusCode(200).setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            events.frames().subscribe().withSubscriber(new SseWriter(context, response));
        }
    }
}
