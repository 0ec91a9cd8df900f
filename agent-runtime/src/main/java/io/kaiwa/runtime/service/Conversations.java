package io.kaiwa.runtime.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Turn;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.persistence.ConversationStore;
import io.kaiwa.runtime.persistence.ConversationStore.StoredItem;
import io.kaiwa.runtime.persistence.ResponseRecord;
import io.smallrye.mutiny.Uni;

/**
 * What a conversation ({@code conversation} on create) means to a response: its items, as the turns before the new
 * input (each user message starts one), and, when the response completes, its input and output appended.
 */
@ApplicationScoped
public class Conversations {
    private static final Logger LOG = Logger.getLogger(Conversations.class);
    /**
     * Messages of these roles come from the client's side of a turn, as do tool outputs; the rest (the model's
     * messages and calls, and a compaction item, which is opened where a turn's output is) are the model's.
     */
    private static final Set<String> CLIENT_ROLES = Set.of("user", "system", "developer");

    @Inject
    ConversationStore store;

    /**
     * @param items a JSON array of Responses API items, as a client sends them
     * @param param the field they came in, to name in an error
     * @return them, checked, each with an id (one is given to an item without)
     */
    public static List<StoredItem> toStore(JsonNode items, String param) {
        if (items == null || items.isNull()) {
            return List.of();
        }
        if (!items.isArray()) {
            throw Errors.badRequest(param, param + " must be an array of items.");
        }
        try {
            CreateRequest.items(items);
        } catch (io.kaiwa.core.exception.InvalidRequestException e) {
            throw Errors.badRequest(e.param() == null ? param : e.param().replaceFirst("^input", param),
                    e.getMessage().replace("'input", "'" + param));
        }
        return withIds(items);
    }

    /** The items, each with an id (one is given to an item without). */
    private static List<StoredItem> withIds(JsonNode items) {
        var out = new ArrayList<StoredItem>(items.size());
        for (JsonNode item : items) {
            ObjectNode copy = ((ObjectNode) item).deepCopy();
            if (!copy.has("type")) {
                copy.put("type", "message");
            }
            if (!copy.hasNonNull("id")) {
                copy.put("id", Ids.next(Ids.prefixFor(copy.path("type").asText())));
            }
            out.add(new StoredItem(copy.path("id").asText(), copy.toString()));
        }
        return out;
    }

    /**
     * @param tenant the caller's tenant
     * @param id the conversation a request names, or {@code null}
     * @return its items as turns, oldest first (none without a conversation); fails (404 naming
     *         {@code conversation}) when it does not exist for this tenant
     */
    public Uni<List<Turn>> turns(String tenant, String id) {
        if (id == null) {
            return Uni.createFrom().item(List.of());
        }
        return store.find(tenant, id).chain(c -> {
            if (c == null) {
                throw Errors.notFound("Conversation", id, "conversation");
            }
            return store.items(id);
        }).map(Conversations::turns);
    }

    private static List<Turn> turns(List<StoredItem> stored) {
        var nodes = new ArrayList<JsonNode>(stored.size());
        int from = 0;
        for (StoredItem s : stored) {
            JsonNode node = KaiwaJson.parse(s.json());
            if ("compaction".equals(node.path("type").asText())) {
                // A compaction item (a response in the conversation made one) stands for everything before it.
                from = nodes.size();
            }
            nodes.add(node);
        }
        var turns = new ArrayList<Turn>();
        var input = new ArrayList<Item>();
        var output = new ArrayList<Item>();
        for (JsonNode node : nodes.subList(from, nodes.size())) {
            Item item = KaiwaJson.readItem(node, "item");
            boolean client = isClients(node);
            if (client && !output.isEmpty()) {
                turns.add(Turn.completed(input, output));
                input = new ArrayList<>();
                output = new ArrayList<>();
            }
            (client ? input : output).add(item);
        }
        if (!input.isEmpty() || !output.isEmpty()) {
            turns.add(Turn.completed(input, output));
        }
        return turns;
    }

    private static boolean isClients(JsonNode item) {
        String type = item.path("type").asText("message");
        return "message".equals(type)
                ? CLIENT_ROLES.contains(item.path("role").asText())
                : type.endsWith("_output") || "item_reference".equals(type);
    }

    /**
     * Appends a completed response's input and output to the conversation it was made in.
     *
     * @param finished the response as it ended
     * @param conversation the conversation it names
     * @return when they are stored; nothing for a response that did not complete
     */
    public Uni<Void> append(ResponseRecord finished, String conversation) {
        if (conversation == null || !"completed".equals(finished.status.wire())) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().deferred(() -> {
            // Checked when the request came; the output is the provider's, of whatever types it has.
            var items = new ArrayList<StoredItem>(withIds(KaiwaJson.parse(finished.input)));
            items.addAll(withIds(KaiwaJson.parse(finished.output)));
            return store.append(finished.tenant, conversation, items);
        }).onItem().invoke(found -> {
            if (!found) {
                LOG.warnf("%s completed after its conversation %s was deleted; its items were not kept", finished.id,
                        conversation);
            }
        }).onFailure().recoverWithItem(failure -> {
            // The response is answered and kept whatever happens here: a client retrying would pay twice.
            LOG.warnf("could not add %s to its conversation %s: %s", finished.id, conversation, failure.getMessage());
            return false;
        }).replaceWithVoid();
    }
}
