package io.kaiwa.chat;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.kaiwa.chat.internal.ChatEngine;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.spi.TokenEstimator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * What the two chat adapters share: a stateless API, so every turn sends the history again, rebuilt from the
 * conversation through its context policy (then the adapter's). Thread-safe; one instance serves any number of
 * conversations. Close it to release its connections.
 */
public abstract sealed class ChatAdapter implements ModelAdapter, AutoCloseable
        permits ChatCompletionsAdapter, DashScopeAdapter {
    private final ChatEngine engine;

    ChatAdapter(ChatEngine engine) {
        this.engine = engine;
    }

    @Override
    public Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options) {
        return engine.send(conversation, input, requireNonNull(options, "options"));
    }

    @Override
    public Multi<StreamEvent> stream(Conversation conversation, List<Item> input, RequestOptions options) {
        return engine.stream(conversation, input, requireNonNull(options, "options"));
    }

    /** @return the estimator this adapter calibrates, or {@code null} when none was configured */
    public TokenEstimator tokenEstimator() {
        return engine.settings().tokenEstimator();
    }

    /** Closes the connection pool, and the private Vert.x instance if the adapter started one. */
    @Override
    public void close() {
        engine.close();
    }
}
