package io.kaiwa.runtime.persistence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The Conversations API's storage: conversations (per tenant, with metadata) and their items in order, as Responses
 * API item JSON. Every query names the tenant, so one tenant's conversation is another's 404.
 */
@ApplicationScoped
public class ConversationStore {
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Vertx vertx;

    /**
     * A conversation.
     *
     * @param id its id
     * @param createdAt when it was made
     * @param metadata its metadata, a JSON object
     */
    public record Conversation(String id, Instant createdAt, String metadata) {
    }

    /**
     * An item of a conversation.
     *
     * @param id its id
     * @param json the item, with its id
     */
    public record StoredItem(String id, String json) {
    }

    /**
     * @param tenant the owner
     * @param conversation the new conversation
     * @param items its first items
     * @return when it is stored
     */
    public Uni<Void> create(String tenant, Conversation conversation, List<StoredItem> items) {
        return sessions.withTransaction(s -> s.createNativeQuery("INSERT INTO kaiwa_conversation (id, tenant, "
                + "created_at, metadata) VALUES (:id, :tenant, :created, :metadata)").setParameter("id",
                        conversation.id())
                .setParameter("tenant", tenant).setParameter("created", conversation.createdAt())
                .setParameter("metadata", conversation.metadata()).executeUpdate()
                .chain(() -> insert(s, conversation.id(), items))).replaceWithVoid();
    }

    /**
     * @param tenant the caller's tenant
     * @param id a conversation id
     * @return it, or {@code null} when it does not exist for this tenant
     */
    public Uni<Conversation> find(String tenant, String id) {
        return sessions.withStatelessSession(s -> s.createNativeQuery("SELECT id, created_at, metadata FROM "
                + "kaiwa_conversation WHERE id = :id AND tenant = :tenant", Object[].class).setParameter("id", id)
                .setParameter("tenant", tenant).getResultList())
                .map(rows -> rows.isEmpty() ? null : conversation(rows.get(0)));
    }

    /**
     * @param tenant the caller's tenant
     * @param id a conversation id
     * @param metadata its new metadata
     * @return it, updated, or {@code null} when it does not exist for this tenant
     */
    public Uni<Conversation> update(String tenant, String id, String metadata) {
        return sessions.withTransaction(s -> s.createNativeQuery("UPDATE kaiwa_conversation SET metadata = "
                + ":metadata WHERE id = :id AND tenant = :tenant RETURNING id, created_at, metadata", Object[].class)
                .setParameter("metadata", metadata).setParameter("id", id).setParameter("tenant", tenant)
                .getResultList()).map(rows -> rows.isEmpty() ? null : conversation(rows.get(0)));
    }

    /**
     * @param tenant the caller's tenant
     * @param id a conversation id
     * @return whether it existed for this tenant and is now gone, with its items
     */
    public Uni<Boolean> delete(String tenant, String id) {
        return sessions.withTransaction(s -> s.createNativeQuery("DELETE FROM kaiwa_conversation WHERE id = :id AND "
                + "tenant = :tenant").setParameter("id", id).setParameter("tenant", tenant).executeUpdate())
                .map(n -> n > 0);
    }

    /**
     * @param id a conversation the caller owns (checked before)
     * @return all of its items, oldest first
     */
    public Uni<List<StoredItem>> items(String id) {
        return sessions.withStatelessSession(s -> s.createNativeQuery("SELECT id, item FROM kaiwa_conversation_item "
                + "WHERE conversation_id = :id ORDER BY position", Object[].class).setParameter("id", id)
                .getResultList()).map(ConversationStore::items);
    }

    /**
     * A page of a conversation's items.
     *
     * @param id a conversation the caller owns (checked before)
     * @param after the item to list after, or {@code null} from the start
     * @param limit how many, at most (one more is read to tell whether there are more)
     * @param ascending oldest first
     * @return up to {@code limit + 1} items; empty when {@code after} is not an item of it
     */
    public Uni<List<StoredItem>> page(String id, String after, int limit, boolean ascending) {
        String order = ascending ? "ASC" : "DESC";
        String from = after == null
                ? ""
                : " AND position " + (ascending ? ">" : "<") + " (SELECT position FROM "
                        + "kaiwa_conversation_item WHERE conversation_id = :id AND id = :after)";
        return sessions.withStatelessSession(s -> {
            var q = s.createNativeQuery("SELECT id, item FROM kaiwa_conversation_item WHERE conversation_id = :id"
                    + from + " ORDER BY position " + order + " LIMIT :limit", Object[].class).setParameter("id", id)
                    .setParameter("limit", limit + 1);
            if (after != null) {
                q.setParameter("after", after);
            }
            return q.getResultList();
        }).map(ConversationStore::items);
    }

    /**
     * @param id a conversation the caller owns (checked before)
     * @param itemId an item id
     * @return the item, or {@code null}
     */
    public Uni<StoredItem> item(String id, String itemId) {
        return sessions.withStatelessSession(s -> s.createNativeQuery("SELECT id, item FROM kaiwa_conversation_item "
                + "WHERE conversation_id = :id AND id = :item", Object[].class).setParameter("id", id)
                .setParameter("item", itemId).getResultList())
                .map(rows -> rows.isEmpty() ? null : items(rows).get(0));
    }

    /**
     * @param id a conversation the caller owns (checked before)
     * @param itemId an item id
     * @return whether the item existed and is gone
     */
    public Uni<Boolean> deleteItem(String id, String itemId) {
        return sessions.withTransaction(s -> s.createNativeQuery("DELETE FROM kaiwa_conversation_item WHERE "
                + "conversation_id = :id AND id = :item").setParameter("id", id).setParameter("item", itemId)
                .executeUpdate()).map(n -> n > 0);
    }

    /**
     * Adds items at a conversation's end, on a database context of its own (the caller may be a provider's
     * connection when a response ends). An item whose id the conversation already holds is not added again.
     *
     * @param tenant the caller's tenant
     * @param id a conversation id
     * @param items items to add at its end
     * @return whether the conversation exists for this tenant (and now holds them)
     */
    public Uni<Boolean> append(String tenant, String id, List<StoredItem> items) {
        return SafeContext.apart(vertx, () -> sessions.withTransaction(s -> s.createNativeQuery("SELECT 1 FROM "
                + "kaiwa_conversation WHERE id = :id AND tenant = :tenant FOR UPDATE", Integer.class)
                .setParameter("id", id).setParameter("tenant", tenant).getResultList()
                .chain(found -> found.isEmpty()
                        ? Uni.createFrom().item(false)
                        : insert(s, id, items).replaceWith(true))));
    }

    private static Uni<Void> insert(Mutiny.Session s, String conversation, List<StoredItem> items) {
        Uni<Void> done = Uni.createFrom().voidItem();
        // One statement per item, in order: the position column numbers them as they come.
        for (StoredItem item : items) {
            done = done.chain(() -> s.createNativeQuery("INSERT INTO kaiwa_conversation_item (conversation_id, id, "
                    + "item) VALUES (:conversation, :id, :item) ON CONFLICT (conversation_id, id) DO NOTHING")
                    .setParameter("conversation", conversation)
                    .setParameter("id", item.id()).setParameter("item", item.json()).executeUpdate())
                    .replaceWithVoid();
        }
        return done;
    }

    private static Conversation conversation(Object[] row) {
        Object created = row[1];
        Instant at = created instanceof OffsetDateTime o ? o.toInstant() : (Instant) created;
        return new Conversation((String) row[0], at, (String) row[2]);
    }

    private static List<StoredItem> items(List<Object[]> rows) {
        var out = new ArrayList<StoredItem>(rows.size());
        for (Object[] row : rows) {
            out.add(new StoredItem((String) row[0], (String) row[1]));
        }
        return out;
    }
}
