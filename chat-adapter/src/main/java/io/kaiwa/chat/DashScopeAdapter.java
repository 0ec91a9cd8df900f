package io.kaiwa.chat;

import java.util.List;

import io.kaiwa.chat.internal.ChatEngine;
import io.kaiwa.chat.internal.DashScopeWire;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.spi.TokenEstimator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A {@link ModelAdapter} for DashScope's native API: {@code .../services/aigc/text-generation/generation}, and
 * {@code .../multimodal-generation/generation} when a request carries images or audio (Qwen-VL, Qwen-Audio).
 *
 * <p>
 * Like Chat Completions the native API keeps no state: every turn sends the history again, rebuilt from the
 * conversation through its context policy, with {@code result_format: message}. Streams use
 * {@code X-DashScope-SSE: enable} and {@code incremental_output}.
 *
 * <p>
 * Thread-safe; one instance serves any number of conversations. Close it to release its connections.
 */
public final class DashScopeAdapter implements ModelAdapter, AutoCloseable {
    /** DashScope's native API, international region. */
    public static final String DASHSCOPE_INTL = "https://dashscope-intl.aliyuncs.com/api/v1";

    private final ChatEngine engine;

    private DashScopeAdapter(ChatEngine engine) {
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

    /** Builds a {@link DashScopeAdapter}. */
    public static final class Builder extends ChatAdapterBuilder<Builder> {
        private Builder() {
            super(DASHSCOPE_INTL);
        }

        /** @return the adapter */
        public DashScopeAdapter build() {
            return new DashScopeAdapter(new ChatEngine(settings(), new DashScopeWire()));
        }
    }
}
