package io.kaiwa.responses;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

import io.kaiwa.core.Chaining;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.http.AdapterSettings;
import io.kaiwa.core.http.HttpAdapterBuilder;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.spi.TokenEstimator;
import io.kaiwa.responses.internal.ResponsesEngine;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * A {@link ModelAdapter} for the Responses API ({@code POST {base}/responses}): DashScope's by default, or any
 * OpenAI-compatible server.
 *
 * <p>
 * The provider keeps each response, so a turn normally sends only its new input with {@code previous_response_id}
 * set to the last turn's response. The history is rebuilt from the conversation (through its context policy, then
 * the adapter's) and sent instead when chaining cannot work: on the first turn, after turns made by another adapter
 * or provider, once the last response has outlived {@link Builder#responseTtl}, with {@code store: false}, and, once
 * and transparently, when the provider answers that it no longer knows the id. {@link Turn#chaining()} records which
 * happened. A conversation can therefore move between this adapter and the chat adapters in either direction.
 *
 * <pre>{@code
 * try (var adapter = ResponsesAdapter.builder().model("qwen3-max").build()) {
 *     Turn first = adapter.send(conversation, List.of(MessageItem.user("My name is Tanaka."))).await().indefinitely();
 *     conversation = conversation.withTurn(first);
 *     Turn second = adapter.send(conversation, List.of(MessageItem.user("What is my name?"))).await().indefinitely();
 * }
 * }</pre>
 *
 * <p>
 * Built-in tools ({@code web_search}, {@code code_interpreter}, {@code web_extractor}, or any other) and function
 * tools are given per call in {@link RequestOptions#tools()} (or for every call with the builder's
 * {@code parameter("tools", ...)}), and written as the Responses API names them, as are the other options. Their
 * output items arrive as core items; function calls are answered with
 * {@link io.kaiwa.core.item.FunctionCallOutputItem}s as the next turn's input. A call's
 * {@link RequestOptions#store()} overrides the builder's {@link Builder#store}. Thread-safe; one instance serves any
 * number of conversations. Close it to release its connections.
 */
public final class ResponsesAdapter implements ModelAdapter, AutoCloseable {
    /** DashScope's Responses endpoint, international region: the current path. */
    public static final String DASHSCOPE_INTL = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";
    /** DashScope's Responses endpoint, international region: the path of the original documentation. */
    public static final String DASHSCOPE_INTL_APPS = "https://dashscope-intl.aliyuncs.com/api/v2/apps/protocols/compatible-mode/v1";
    /** How long DashScope keeps a response to chain from. */
    public static final Duration DASHSCOPE_RESPONSE_TTL = Duration.ofDays(7);

    private final ResponsesEngine engine;

    private ResponsesAdapter(ResponsesEngine engine) {
        this.engine = engine;
    }

    /** @return a builder; the base URL defaults to {@link #DASHSCOPE_INTL} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options) {
        return engine.send(conversation, input, requireNonNull(options, "options"));
    }

    @Override
    public Multi<StreamEvent> stream(Conversation conversation, List<Item> input, RequestOptions options) {
        return engine.stream(conversation, input, requireNonNull(options, "options"));
    }

    /** @return the key this adapter records with response ids, and chains only from */
    public String provider() {
        return engine.provider();
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

    /** Builds a {@link ResponsesAdapter}. */
    public static final class Builder extends HttpAdapterBuilder<Builder> {
        private String provider;
        private Duration responseTtl = DASHSCOPE_RESPONSE_TTL;
        private Boolean store;

        private Builder() {
            super(DASHSCOPE_INTL);
        }

        /**
         * @param key what response ids are recorded with; a turn chains only from an id with the same key. Defaults
         *        to the base URL: give two adapters the same key only when they reach the same stored responses
         *        (same provider and account)
         * @return this
         */
        public Builder provider(String key) {
            this.provider = requireNonNull(key, "key");
            return this;
        }

        /**
         * @param ttl how long the provider keeps a response (default 7 days, DashScope's); older ids are not chained
         *        from, the history is sent instead
         * @return this
         */
        public Builder responseTtl(Duration ttl) {
            if (ttl == null || ttl.isZero() || ttl.isNegative()) {
                throw new IllegalArgumentException("responseTtl must be positive");
            }
            this.responseTtl = ttl;
            return this;
        }

        /** The provider keeps responses until they are deleted: ids never expire on Kaiwa's side. @return this */
        public Builder responsesNeverExpire() {
            this.responseTtl = null;
            return this;
        }

        /**
         * @param store sent as {@code store}; with {@code false} the provider keeps nothing, so every turn sends the
         *        history ({@link Chaining.Mode#STORE_DISABLED}). Unset, the field is left out (the provider keeps)
         * @return this
         */
        public Builder store(boolean store) {
            this.store = store;
            return this;
        }

        /** @return the adapter */
        public ResponsesAdapter build() {
            AdapterSettings settings = settings();
            return new ResponsesAdapter(new ResponsesEngine(settings,
                    provider != null ? provider : settings.baseUri().toString(), responseTtl, store));
        }
    }
}
