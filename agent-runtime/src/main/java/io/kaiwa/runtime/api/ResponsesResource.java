package io.kaiwa.runtime.api;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.openai.ResponseJson;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.kaiwa.runtime.persistence.ResponseStore;
import io.kaiwa.runtime.service.CompactRequest;
import io.kaiwa.runtime.service.CreateRequest;
import io.kaiwa.runtime.service.ResponseLifecycle;
import io.kaiwa.runtime.stream.StoredEvents;
import io.kaiwa.runtime.task.TaskService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** The OpenAI Responses API: retrieve, delete, cancel, list input items ({@link CreateRoute} creates). */
@Path("/v1/responses")
public class ResponsesResource {
    private static final Map<String, List<String>> JSON_HEADERS = Map.of("Content-Type", List.of("application/json"));
    private static final Map<String, List<String>> SSE_HEADERS = Map.of("Content-Type",
            List.of("text/event-stream"), "Cache-Control", List.of("no-cache"));

    @Inject
    TaskService tasks;

    @Inject
    ResponseLifecycle lifecycle;

    @Inject
    ResponseStore store;

    @Inject
    StoredEvents events;

    /** What to answer: a status, headers and a body that may still be streaming. */
    record Reply(int status, Map<String, List<String>> headers, Multi<Buffer> body) {
        static Reply json(int status, String json) {
            return new Reply(status, JSON_HEADERS, Multi.createFrom().item(Buffer.buffer(json)));
        }

        static Reply error(Throwable failure) {
            ErrorBody error = ErrorBody.of(failure);
            var headers = new HashMap<String, List<String>>(JSON_HEADERS);
            ErrorBody.headers(failure).forEach((name, value) -> headers.put(name, List.of(value)));
            return new Reply(error.status(), headers, Multi.createFrom().item(Buffer.buffer(error.json())));
        }
    }

    /**
     * @param rc the request
     * @param id a response id
     * @param stream whether to stream a background response's events instead
     * @param startingAfter with {@code stream}, the last sequence number the client already has
     * @return the response object, or its events
     */
    @GET
    @Path("/{id}")
    public RestMulti<Buffer> retrieve(RoutingContext rc, @PathParam("id") String id,
            @QueryParam("stream") @DefaultValue("false") boolean stream,
            @QueryParam("starting_after") String startingAfter) {
        String tenant = ApiKeyAuth.tenant(rc);
        Uni<Reply> reply = Uni.createFrom().deferred(() -> {
            int after = integer("starting_after", startingAfter, -1);
            return found(rc, id).map(r -> {
                if (!stream) {
                    return Reply.json(200, ResponseJson.json(r, true));
                }
                if (!r.background) {
                    throw Errors.badRequest("stream", "Only background responses can be streamed again; this "
                            + "one was answered when it was created.");
                }
                return new Reply(200, SSE_HEADERS, events.follow(tenant, id, after).map(Buffer::buffer));
            });
        }).onFailure().recoverWithItem(Reply::error);
        return RestMulti.fromUniResponse(reply, Reply::body, Reply::headers, Reply::status);
    }

    /**
     * Compacts a conversation now: its older part folded into a summary, sealed in a {@code compaction} item to pass
     * back as input in place of what it stands for. Nothing is stored.
     *
     * @param rc the request
     * @param body {@code {"model", "input", "previous_response_id", "instructions"}}
     * @return {@code {"object":"response.compaction","output":[...],"usage":{...}}}
     */
    @POST
    @Path("/compact")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> compact(RoutingContext rc, String body) {
        return Uni.createFrom().deferred(() -> {
            return lifecycle.compact(ApiKeyAuth.tenant(rc), CompactRequest.parse(body(body)));
        }).map(c -> ok(ResponseJson.compaction(c.id(), c.model(), c.createdAt(), c.item(), c.usageJson())))
                .onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * Counts the input tokens a create request with this body would send now ({@code POST
     * /v1/responses/input_tokens}): its instructions, the chain {@code previous_response_id} names or the
     * conversation's items (from the latest compaction on, as a request reads them), its input and its tools, by
     * Kaiwa's estimator (which errs high). Nothing is sent to a provider and nothing is stored.
     *
     * @param rc the request
     * @param body a create request's body
     * @return {@code {"object":"response.input_tokens","input_tokens":N}}
     */
    @POST
    @Path("/input_tokens")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> inputTokens(RoutingContext rc, String body) {
        return Uni.createFrom().deferred(() -> {
            return lifecycle.countInputTokens(ApiKeyAuth.tenant(rc), CreateRequest.parse(body(body)));
        }).map(n -> ok("{\"object\":\"response.input_tokens\",\"input_tokens\":" + n + "}"))
                .onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * Cancels a background response: at once when it is still queued, else at its worker's next lease renewal
     * (immediately when the worker runs on this instance). Waits up to two seconds for the outcome.
     *
     * @param rc the request
     * @param id a background response id
     * @return the response object as it then stands
     */
    @POST
    @Path("/{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> cancel(RoutingContext rc, @PathParam("id") String id) {
        String tenant = ApiKeyAuth.tenant(rc);
        return found(rc, id).chain(r -> tasks.cancel(r).chain(() -> waitForEnd(tenant, id, 40)))
                .map(r -> ok(ResponseJson.json(r, true))).onFailure().recoverWithItem(ResponsesResource::error);
    }

    private Uni<ResponseRecord> waitForEnd(String tenant, String id, int triesLeft) {
        return store.find(tenant, id).chain(r -> {
            if (r == null) {
                throw Errors.notFound("Response", id, null);
            }
            if (triesLeft == 0 || r.status.isFinal()) {
                return Uni.createFrom().item(r);
            }
            return Uni.createFrom().voidItem().onItem().transformToUni(v -> Uni.createFrom().<Void>emitter(e -> {
                io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
                context.owner().setTimer(50, t -> context.runOnContext(ignored -> e.complete(null)));
            })).chain(() -> waitForEnd(tenant, id, triesLeft - 1));
        });
    }

    /**
     * @param rc the request
     * @param id a response id
     * @return the deletion confirmation
     */
    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> delete(RoutingContext rc, @PathParam("id") String id) {
        return Uni.createFrom().deferred(() -> store.delete(ApiKeyAuth.tenant(rc), known(id))).map(deleted -> {
            if (!deleted) {
                throw Errors.notFound("Response", id, null);
            }
            return ok(write(g -> {
                g.writeStartObject();
                g.writeStringField("id", id);
                g.writeStringField("object", "response.deleted");
                g.writeBooleanField("deleted", true);
                g.writeEndObject();
            }));
        }).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * @param rc the request
     * @param id a response id
     * @param after list items after this item id
     * @param limitParam how many (1 to 100, default 20)
     * @param order {@code asc} or {@code desc} (default)
     * @return the response's input items, as a list page
     */
    @GET
    @Path("/{id}/input_items")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> inputItems(RoutingContext rc, @PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") String limitParam, @QueryParam("order") @DefaultValue("desc") String order) {
        int limit;
        try {
            limit = integer("limit", limitParam, 20);
        } catch (InvalidRequestException e) {
            return Uni.createFrom().item(error(e));
        }
        if (limit < 1 || limit > 100) {
            return Uni.createFrom().item(error(Errors.badRequest("limit", "limit must be from 1 to 100.")));
        }
        if (!order.equals("asc") && !order.equals("desc")) {
            return Uni.createFrom().item(error(Errors.badRequest("order", "order must be 'asc' or 'desc'.")));
        }
        return found(rc, id).map(r -> ok(InputItems.page(r, after, limit, order.equals("asc"))));
    }

    /** An id that cannot be a response's is not found, without a query (a NUL byte would fail one). */
    private static String known(String id) {
        if (!Ids.isResponseId(id)) {
            throw Errors.notFound("Response", id, null);
        }
        return id;
    }

    /** A whole-number query parameter; RESTEasy would answer a malformed one 404, as if the path did not exist. */
    private static int integer(String field, String value, int fallback) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Errors.badRequest(field, field + " must be an integer.");
        }
    }

    private Uni<ResponseRecord> found(RoutingContext rc, String id) {
        return Uni.createFrom().deferred(() -> store.find(ApiKeyAuth.tenant(rc), known(id))).map(r -> {
            if (r == null) {
                throw Errors.notFound("Response", id, null);
            }
            return r;
        });
    }

    static Response ok(String json) {
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * @param body a request body, as received
     * @return its JSON, or {@code null} when it is empty (the request's own checks then say what is missing)
     * @throws io.kaiwa.core.exception.InvalidRequestException when it is not JSON
     */
    static JsonNode body(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return KaiwaJson.parse(body);
        } catch (InvalidPayloadException e) {
            throw Errors.badRequest(null, "The request body is not valid JSON: " + e.getMessage());
        }
    }

    static Response error(Throwable failure) {
        ErrorBody error = ErrorBody.of(failure);
        Response.ResponseBuilder r = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error.json());
        ErrorBody.headers(failure).forEach(r::header);
        return r.build();
    }

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static String write(Body body) {
        var out = new StringWriter(256);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

}
