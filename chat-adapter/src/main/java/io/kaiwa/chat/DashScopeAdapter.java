package io.kaiwa.chat;

import io.kaiwa.chat.internal.ChatEngine;
import io.kaiwa.chat.internal.DashScopeWire;
import io.kaiwa.core.http.HttpAdapterBuilder;

/**
 * A {@link io.kaiwa.core.ModelAdapter} for DashScope's native API: {@code .../services/aigc/text-generation/generation}, and
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
public final class DashScopeAdapter extends ChatAdapter {
    /** DashScope's native API, international region. */
    public static final String DASHSCOPE_INTL = "https://dashscope-intl.aliyuncs.com/api/v1";

    private DashScopeAdapter(ChatEngine engine) {
        super(engine);
    }

    /** @return a builder; the base URL defaults to {@link #DASHSCOPE_INTL} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link DashScopeAdapter}. */
    public static final class Builder extends HttpAdapterBuilder<Builder> {
        private Builder() {
            super(DASHSCOPE_INTL);
        }

        /** @return the adapter */
        public DashScopeAdapter build() {
            return new DashScopeAdapter(new ChatEngine(settings(), new DashScopeWire()));
        }
    }
}
