package io.kaiwa.chat;

import io.kaiwa.chat.internal.ChatCompletionsWire;
import io.kaiwa.chat.internal.ChatEngine;
import io.kaiwa.core.http.HttpAdapterBuilder;

/**
 * A {@link io.kaiwa.core.ModelAdapter} for OpenAI-compatible Chat Completions ({@code POST {base}/chat/completions}):
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
public final class ChatCompletionsAdapter extends ChatAdapter {
    /** DashScope's OpenAI-compatible endpoint, international region. */
    public static final String DASHSCOPE_INTL = "https://dashscope-intl.aliyuncs.com/compatible-mode/v1";

    private ChatCompletionsAdapter(ChatEngine engine) {
        super(engine);
    }

    /** @return a builder; the base URL defaults to {@link #DASHSCOPE_INTL} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ChatCompletionsAdapter}. */
    public static final class Builder extends HttpAdapterBuilder<Builder> {
        private Builder() {
            super(DASHSCOPE_INTL);
        }

        /** @return the adapter */
        public ChatCompletionsAdapter build() {
            return new ChatCompletionsAdapter(new ChatEngine(settings(), new ChatCompletionsWire()));
        }
    }
}
