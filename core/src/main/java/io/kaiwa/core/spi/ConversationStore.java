package io.kaiwa.core.spi;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.internal.store.InMemoryConversationStore;
import io.smallrye.mutiny.Uni;

/**
 * Keeps conversations between turns, requests or processes. Kaiwa ships an in-memory store; the agent runtime
 * implements this over PostgreSQL.
 *
 * <p>
 * All methods are lazy (nothing happens before subscription), never block the calling thread, and are safe for
 * concurrent use. {@link #appendTurn} is atomic per conversation: two turns appended concurrently are both kept,
 * in some order.
 */
public interface ConversationStore {

    /**
     * Stores a conversation, replacing any with the same id.
     *
     * @param conversation the conversation; never {@code null}
     * @return the stored conversation
     */
    Uni<Conversation> save(Conversation conversation);

    /**
     * @param id a conversation id; never {@code null}
     * @return the conversation, or a {@code null} item when there is none
     */
    Uni<Conversation> find(String id);

    /**
     * Appends a finished turn to a stored conversation.
     *
     * @param id the conversation's id; never {@code null}
     * @param turn the turn; never {@code null}
     * @return the conversation with the turn appended; fails with
     *         {@link io.kaiwa.core.exception.ConversationNotFoundException} when there is no such conversation
     */
    Uni<Conversation> appendTurn(String id, Turn turn);

    /**
     * @param id a conversation id; never {@code null}
     * @return whether a conversation was deleted
     */
    Uni<Boolean> delete(String id);

    /** @return a new, empty store that keeps conversations in this process's memory */
    static ConversationStore inMemory() {
        return new InMemoryConversationStore();
    }
}
