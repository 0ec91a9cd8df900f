package io.kaiwa.core.internal.store;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.exception.ConversationNotFoundException;
import io.kaiwa.core.spi.ConversationStore;
import io.smallrye.mutiny.Uni;

/**
 * A {@link ConversationStore} over a concurrent map. Conversations are immutable values, so storing one shares it
 * without copying; appends are atomic through {@link ConcurrentMap#computeIfPresent}.
 */
public final class InMemoryConversationStore implements ConversationStore {
    private final ConcurrentMap<String, Conversation> conversations = new ConcurrentHashMap<>();

    @Override
    public Uni<Conversation> save(Conversation conversation) {
        requireNonNull(conversation, "conversation");
        return Uni.createFrom().item(() -> {
            conversations.put(conversation.id(), conversation);
            return conversation;
        });
    }

    @Override
    public Uni<Conversation> find(String id) {
        requireNonNull(id, "id");
        return Uni.createFrom().item(() -> conversations.get(id));
    }

    @Override
    public Uni<Conversation> appendTurn(String id, Turn turn) {
        requireNonNull(id, "id");
        requireNonNull(turn, "turn");
        return Uni.createFrom().item(() -> conversations.computeIfPresent(id, (k, c) -> c.withTurn(turn)))
                .onItem().ifNull().failWith(() -> new ConversationNotFoundException(id));
    }

    @Override
    public Uni<Boolean> delete(String id) {
        requireNonNull(id, "id");
        return Uni.createFrom().item(() -> conversations.remove(id) != null);
    }
}
