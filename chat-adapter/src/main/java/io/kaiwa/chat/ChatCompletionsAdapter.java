package io.kaiwa.chat;

import java.util.List;

import io.kaiwa.chat.internal.ChatCompletionsWire;
import io.kaiwa.chat.internal.ChatEngine;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.spi.TokenEstimator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A {@link ModelAdapter} for OpenAI-compatible Chat Completions ({@code POST {base}/chat/completions}):
 * DashScope's compatible mode by default, or any OpenAI-compatible server.
 *
 * <p>
 * Chat Completions keeps no state, so every turn sends the whole history again, rebuilt from the conversation
 * through its context policy (then the adapter's): instructions first as a system message, the kept turns, then
 * the new input. Reasoning from earlier turns is not replayed unless {@link Builder#reasoningReplay} says so.
 *
 * <pre>{@code
 * try (var adapter = ChatCompletionsAdapter.builder().model("qwen-plus").build()) {
 *     Turn turn = adapter.send(conversation, List.of(MessageItem.user("Hello"))).await().indefinitely();
 * }
 * }</pre>
 *
 * <p>
 * Thread-safe; one instance serves any number of conversations. Close it to release its connections.
 */
public final class ChatCompletionsAdapter implements ModelAdapter, AutoCloseable {
    /** DashScope's OpenAI-compatible endpoint, international region. */
    public static final String DASHSCOPE_INTL = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";

    private final ChatEngine engine;

    private ChatCompletionsAdapter(ChatEngine engine) {
        this.engine = engine;
    }

    /** @return a builder; the base URL defaults to {@link #DASHSCOPE_INTL} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Uni<Turn> send(Conversation conversation, List<Item> input) {
        return engine.send(conversation, input);
    }

    @Override
    public Multi<StreamEvent> stream(Conversation conversation, List<Item> input) {
        return engine.stream(conversation, input);
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

    /** Builds a {@link ChatCompletionsAdapter}. */
    public static final class Builder extends ChatAdapterBuilder<Builder> {
        private Builder() {
            super(DASHSCOPE_INTL);
        }

        /** @return the adapter */
        public ChatCompletionsAdapter build() {
            return new ChatCompletionsAdapter(new ChatEngine(settings(), new ChatCompletionsWire()));
        }
    }
}
