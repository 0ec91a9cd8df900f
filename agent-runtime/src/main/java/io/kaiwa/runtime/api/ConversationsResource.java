package io.kaiwa.runtime.api;

import java.time.Instant;
import java.util.List;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.persistence.ConversationStore;
import io.kaiwa.runtime.persistence.ConversationStore.Conversation;
import io.kaiwa.runtime.persistence.ConversationStore.StoredItem;
import io.kaiwa.runtime.service.Conversations;
import io.kaiwa.runtime.service.CreateRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The Conversations API ({@code /v1/conversations}): a conversation holds items in order; a response created with
 * {@code conversation} is sent them before its input, and appends its input and output when it completes.
 * Conversations belong to their tenant: another tenant's id is a 404.
 */
@Path("/v1/conversations")
@Produces(MediaType.APPLICATION_JSON)
public class ConversationsResource {
    /** At most this many items when a conversation is created, and per request adding items (OpenAI's limit). */
    static final int MAX_ITEMS = 20;

    @Inject
    ConversationStore store;

    /**
     * @param rc the request
     * @param body {@code {"items"?: [...], "metadata"?: {...}}}
     * @return the conversation
     */
    @POST
    public Uni<Response> create(RoutingContext rc, String body) {
        return Uni.createFrom().deferred(() -> {
            JsonNode tree = body == null || body.isBlank() ? KaiwaJson.mapper().createObjectNode() : parse(body);
            List<StoredItem> items = Conversations.toStore(tree.get("items"), "items");
            if (items.size() > MAX_ITEMS) {
                throw Errors.badRequest("items", "A conversation starts with at most " + MAX_ITEMS + " items; add "
                        + "more with POST /v1/conversations/{id}/items.");
            }
            var conversation = new Conversation(Ids.next("conv"), Instant.now(), metadata(tree.get("metadata")));
            return store.create(ApiKeyAuth.tenant(rc), conversation, items).replaceWith(conversation);
        }).map(c -> ok(json(c))).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * @param rc the request
     * @param id a conversation id
     * @return the conversation
     */
    @GET
    @Path("/{id}")
    public Uni<Response> retrieve(RoutingContext rc, @PathParam("id") String id) {
        return found(rc, id).map(c -> ok(json(c))).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * @param rc the request
     * @param id a conversation id
     * @param body {@code {"metadata": {...}}}
     * @return the conversation, its metadata replaced
     */
    @POST
    @Path("/{id}")
    public Uni<Response> update(RoutingContext rc, @PathParam("id") String id, String body) {
        return Uni.createFrom().deferred(() -> {
            JsonNode tree = parse(body);
            if (!tree.has("metadata")) {
                throw Errors.badRequest("metadata", "Missing required parameter: 'metadata'.");
            }
            return store.update(ApiKeyAuth.tenant(rc), id, metadata(tree.get("metadata")));
        }).map(c -> {
            if (c == null) {
                throw Errors.notFound("Conversation", id, null);
            }
            return ok(json(c));
        }).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * Deletes a conversation and its items; responses made in it are not deleted.
     *
     * @param rc the request
     * @param id a conversation id
     * @return {@code {"id", "object": "conversation.deleted", "deleted": true}}
     */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(RoutingContext rc, @PathParam("id") String id) {
        return Uni.createFrom().deferred(() -> store.delete(ApiKeyAuth.tenant(rc), id)).map(deleted -> {
            if (!deleted) {
                throw Errors.notFound("Conversation", id, null);
            }
            return ok(KaiwaJson.mapper().createObjectNode().put("id", id).put("object", "conversation.deleted")
                    .put("deleted", true).toString());
        }).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * @param rc the request
     * @param id a conversation id
     * @param after list the items after this one
     * @param limitParam how many (1 to 100, default 20)
     * @param order {@code desc} (newest first, the default, as OpenAI has it) or {@code asc}
     * @return a list page of its items
     */
    @GET
    @Path("/{id}/items")
    public Uni<Response> items(RoutingContext rc, @PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") String limitParam, @QueryParam("order") @DefaultValue("desc") String order) {
        return Uni.createFrom().deferred(() -> {
            int limit = limit(limitParam);
            if (!order.equals("asc") && !order.equals("desc")) {
                throw Errors.badRequest("order", "order must be 'asc' or 'desc'.");
            }
            return found(rc, id).chain(c -> after == null
                    ? Uni.createFrom().voidItem()
                    : store.item(id, after).invoke(item -> {
                        if (item == null) {
                            throw Errors.badRequest("after", "after names no item of this conversation.");
                        }
                    }).replaceWithVoid()).chain(() -> store.page(id, after, limit, order.equals("asc")))
                    .map(page -> ok(list(page, limit)));
        }).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * @param rc the request
     * @param id a conversation id
     * @param body {@code {"items": [...]}}
     * @return a list of the items added, with their ids
     */
    @POST
    @Path("/{id}/items")
    public Uni<Response> addItems(RoutingContext rc, @PathParam("id") String id, String body) {
        return Uni.createFrom().deferred(() -> {
            JsonNode items = parse(body).get("items");
            if (items == null || !items.isArray() || items.isEmpty()) {
                throw Errors.badRequest("items", "items must be a non-empty array of items.");
            }
            List<StoredItem> stored = Conversations.toStore(items, "items");
            if (stored.size() > MAX_ITEMS) {
                throw Errors.badRequest("items", "At most " + MAX_ITEMS + " items are added at once.");
            }
            return store.append(ApiKeyAuth.tenant(rc), id, stored).map(appended -> {
                if (!appended) {
                    throw Errors.notFound("Conversation", id, null);
                }
                return ok(list(stored, stored.size()));
            });
        }).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * @param rc the request
     * @param id a conversation id
     * @param itemId one of its items
     * @return the item
     */
    @GET
    @Path("/{id}/items/{itemId}")
    public Uni<Response> item(RoutingContext rc, @PathParam("id") String id, @PathParam("itemId") String itemId) {
        return found(rc, id).chain(c -> store.item(id, itemId)).map(item -> {
            if (item == null) {
                throw Errors.notFound("Item", itemId, null);
            }
            return ok(item.json());
        }).onFailure().recoverWithItem(ResponsesResource::error);
    }

    /**
     * @param rc the request
     * @param id a conversation id
     * @param itemId one of its items
     * @return the conversation
     */
    @DELETE
    @Path("/{id}/items/{itemId}")
    public Uni<Response> deleteItem(RoutingContext rc, @PathParam("id") String id,
            @PathParam("itemId") String itemId) {
        return found(rc, id).chain(c -> store.deleteItem(id, itemId).map(deleted -> {
            if (!deleted) {
                throw Errors.notFound("Item", itemId, null);
            }
            return ok(json(c));
        })).onFailure().recoverWithItem(ResponsesResource::error);
    }

    private Uni<Conversation> found(RoutingContext rc, String id) {
        return Uni.createFrom().deferred(() -> store.find(ApiKeyAuth.tenant(rc), id)).map(c -> {
            if (c == null) {
                throw Errors.notFound("Conversation", id, null);
            }
            return c;
        });
    }

    private static JsonNode parse(String body) {
        JsonNode tree = ResponsesResource.body(body);
        if (tree == null) {
            throw Errors.badRequest(null, "The request body is empty; send a JSON object.");
        }
        if (!tree.isObject()) {
            throw Errors.badRequest(null, "The request body must be a JSON object.");
        }
        return tree;
    }

    private static String metadata(JsonNode metadata) {
        if (metadata == null || metadata.isNull()) {
            return "{}";
        }
        CreateRequest.checkMetadata(metadata);
        return metadata.toString();
    }

    private static int limit(String given) {
        if (given == null) {
            return 20;
        }
        try {
            int n = Integer.parseInt(given);
            if (n >= 1 && n <= 100) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // Refused below.
        }
        throw Errors.badRequest("limit", "limit must be a whole number from 1 to 100.");
    }

    private static String json(Conversation c) {
        ObjectNode out = KaiwaJson.mapper().createObjectNode().put("id", c.id()).put("object", "conversation")
                .put("created_at", c.createdAt().getEpochSecond());
        out.set("metadata", KaiwaJson.parse(c.metadata()));
        return out.toString();
    }

    private static String list(List<StoredItem> page, int limit) {
        ObjectNode out = KaiwaJson.mapper().createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        List<StoredItem> shown = page.size() > limit ? page.subList(0, limit) : page;
        shown.forEach(i -> data.add(KaiwaJson.parse(i.json())));
        out.put("first_id", shown.isEmpty() ? null : shown.get(0).id());
        out.put("last_id", shown.isEmpty() ? null : shown.get(shown.size() - 1).id());
        out.put("has_more", page.size() > limit);
        return out.toString();
    }

    private static Response ok(String json) {
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
