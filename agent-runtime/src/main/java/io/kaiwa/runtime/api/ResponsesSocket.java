package io.kaiwa.runtime.api;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.RateLimitException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.openai.OpenAiEvents;
import io.kaiwa.runtime.service.CreateRequest;
import io.kaiwa.runtime.service.ResponseService;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Responses API's WebSocket mode on {@code /v1/responses}: the client sends {@code response.create} messages (a
 * create body without {@code stream} or {@code background}) and gets each response's events back as messages, one
 * response at a time per connection. The upgrade is authenticated like any request. A {@code store: false} response
 * is kept on its connection, for as long as it lasts (the most recent {@value #KEPT} of them), so that the next
 * {@code response.create} can continue it with {@code previous_response_id} and only its new input; an id neither
 * kept there nor stored is {@code previous_response_not_found}, and a continuation that fails forgets the response
 * it continued.
 */
@ApplicationScoped
public class ResponsesSocket {
    private static final Logger LOG = Logger.getLogger(ResponsesSocket.class);
    /** How many {@code store: false} responses a connection keeps for continuation. */
    static final int KEPT = 64;
    /** How many {@code response.create} messages may wait for the one running. */
    static final int WAITING = 16;

    @Inject
    ResponseService service;

    void install(@Observes Router router) {
        // After authentication (order -100 on every route); a GET without an upgrade goes on to the REST layer.
        router.get("/v1/responses").order(-10).handler(this::upgrade);
    }

    private void upgrade(RoutingContext rc) {
        if (!"websocket".equalsIgnoreCase(rc.request().getHeader(HttpHeaders.UPGRADE))) {
            rc.next();
            return;
        }
        String tenant = ApiKeyAuth.tenant(rc);
        rc.request().toWebSocket().onSuccess(ws -> new Connection(tenant, ws).open())
                .onFailure(e -> LOG.debugf("WebSocket upgrade failed: %s", e.getMessage()));
    }

    /** One client's socket: its queue of {@code response.create} messages and the responses it keeps. */
    private final class Connection {
        private final String tenant;
        private final ServerWebSocket ws;
        private final Queue<String> waiting = new ArrayDeque<>();
        /** {@code store: false} responses by id: the items a continuation of each carries before its new input. */
        private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
                return size() > KEPT;
            }
        };
        /** The connection's event loop, where all of its state is read and written. */
        private final Context context;
        private Cancellable running;
        private boolean closed;

        Connection(String tenant, ServerWebSocket ws) {
            this.tenant = tenant;
            this.ws = ws;
            this.context = Vertx.currentContext();
        }

        void open() {
            ws.textMessageHandler(message -> {
                if (waiting.size() >= WAITING) {
                    // A client that sends faster than its responses are made is told, rather than queued without end.
                    error(new RateLimitException("More than " + WAITING + " response.create "
                            + "messages are waiting on this connection; send the next once one has ended.", 429,
                            "too_many_waiting", null));
                    return;
                }
                waiting.add(message);
                if (running == null) {
                    next();
                }
            });
            ws.binaryMessageHandler(ignored -> error(Errors.badRequest(null,
                    "Send response.create events as text messages.")));
            ws.closeHandler(ignored -> {
                closed = true;
                waiting.clear();
                if (running != null) {
                    // The client left mid-response: the work behind it stops, as for an abandoned stream.
                    running.cancel();
                }
            });
        }

        /** Starts the next waiting response; runs on the connection's event loop. */
        private void next() {
            running = null;
            Pending next = null;
            while (next == null) {
                String message = waiting.poll();
                if (message == null || closed) {
                    return;
                }
                try {
                    next = turn(message);
                } catch (RuntimeException e) {
                    error(e);
                }
            }
            Pending turn = next;
            // A one-element holder: the subscription is known only once subscribe() returns, and may end before.
            Cancellable[] self = new Cancellable[1];
            running = () -> {
                if (self[0] != null) {
                    self[0].cancel();
                }
            };
            self[0] = service.events(tenant, turn.request()).onItem().transformToMulti(events -> events)
                    .subscribe().with(batch -> context.runOnContext(ignored -> batch.forEach(e -> send(turn, e))),
                            failure -> context.runOnContext(ignored -> {
                                turn.failed();
                                error(failure);
                                next();
                            }),
                            () -> context.runOnContext(ignored -> next()));
        }

        private void send(Pending turn, OpenAiEvents.Event event) {
            if (closed) {
                return;
            }
            ws.writeTextMessage(event.json());
            switch (event.type()) {
                case "response.completed", "response.incomplete" -> turn.ended(event.json());
                case "response.failed", "error" -> turn.failed();
                default -> {
                }
            }
        }

        /** An {@code error} event in the WebSocket mode's shape (it carries the HTTP status the request would get). */
        private void error(Throwable failure) {
            if (closed) {
                return;
            }
            ws.writeTextMessage(ErrorBody.socketEvent(failure));
        }

        /** Reads a {@code response.create} message, continuing a response kept here when it names one. */
        private Pending turn(String message) {
            JsonNode parsed;
            try {
                parsed = KaiwaJson.parse(message);
            } catch (InvalidPayloadException e) {
                throw Errors.badRequest(null, "The message is not valid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof ObjectNode body) || !"response.create".equals(body.path("type").asText())) {
                throw Errors.badRequest("type", "Send {\"type\":\"response.create\", ...} with the body of a create "
                        + "request.");
            }
            body.remove("type");
            if (body.path("background").asBoolean(false)) {
                throw Errors.badRequest("background", "background is not available in WebSocket mode: each response "
                        + "streams on its connection.");
            }
            body.put("stream", true);
            ArrayNode input = inputItems(body.get("input"));
            String previous = body.path("previous_response_id").asText(null);
            Kept history = previous == null ? null : kept.get(previous);
            if (history != null) {
                if (body.hasNonNull("conversation")) {
                    throw Errors.badRequest("conversation", "conversation and previous_response_id cannot be used "
                            + "together: a response continues one or the other.");
                }
                try {
                    checkToolOutputs(history.items(), input);
                } catch (RuntimeException e) {
                    // A failed continuation forgets what it continued, as when the provider refuses it.
                    kept.remove(previous);
                    throw e;
                }
                ArrayNode all = history.items().deepCopy();
                all.addAll(input);
                body.set("input", all);
                if (history.storedParent() != null) {
                    // What comes before the kept turns is in the store: the request continues that from there.
                    body.put("previous_response_id", history.storedParent());
                } else {
                    body.remove("previous_response_id");
                }
            }
            CreateRequest request = CreateRequest.parse(body);
            ArrayNode sent = history == null ? input : (ArrayNode) body.get("input");
            return new Pending(request, previous, sent);
        }

        /** What one response is and does to what the connection keeps. */
        private final class Pending {
            private final CreateRequest request;
            private final String continued;
            private final ArrayNode sent;

            Pending(CreateRequest request, String continued, ArrayNode sent) {
                this.request = request;
                this.continued = continued;
                this.sent = sent;
            }

            CreateRequest request() {
                return request;
            }

            void ended(String terminal) {
                if (request.store()) {
                    // Stored, it is continued from the store.
                    return;
                }
                JsonNode response = KaiwaJson.parse(terminal).path("response");
                ArrayNode history = sent.deepCopy();
                response.path("output").forEach(history::add);
                kept.put(response.path("id").asText(), new Kept(request.previousResponseId(), history));
            }

            void failed() {
                if (continued != null) {
                    kept.remove(continued);
                }
            }
        }
    }

    /**
     * A {@code store: false} response kept on its connection.
     *
     * @param storedParent the stored response the kept turns continue, or {@code null} when they begin the history
     * @param items the turns' input and output, its own last
     */
    private record Kept(String storedParent, ArrayNode items) {
    }

    /** The input as items: a string is one user message. */
    private static ArrayNode inputItems(JsonNode input) {
        ArrayNode items = KaiwaJson.mapper().createArrayNode();
        if (input == null || input.isNull()) {
            return items;
        }
        if (input.isTextual()) {
            items.addObject().put("type", "message").put("role", "user").put("content", input.asText());
        } else if (input.isArray()) {
            items.addAll((ArrayNode) input);
        } else {
            throw Errors.badRequest("input", "input must be a string or an array of items.");
        }
        return items;
    }

    /**
     * A tool's output answers a call the conversation holds: otherwise the provider would be sent an answer to no
     * question (most refuse it, some make something of it).
     */
    private static void checkToolOutputs(ArrayNode history, ArrayNode input) {
        Set<String> calls = new HashSet<>();
        List.of(history, input).forEach(items -> items.forEach(item -> {
            if ("function_call".equals(item.path("type").asText())) {
                calls.add(item.path("call_id").asText());
            }
        }));
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if ("function_call_output".equals(item.path("type").asText())
                    && !calls.contains(item.path("call_id").asText())) {
                throw Errors.badRequest("input[" + i + "].call_id", "No function call with call_id '"
                        + item.path("call_id").asText() + "' was found in the conversation.");
            }
        }
    }
}
