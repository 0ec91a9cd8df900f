package io.kaiwa.runtime.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings, under {@code kaiwa.}; environment variables in Quarkus's usual form work. */
@ConfigMapping(prefix = "kaiwa")
public interface KaiwaConfig {

    /** @return the model providers by name ({@code kaiwa.providers.<name>.*}) */
    Map<String, Provider> providers();

    /** @return the provider asked for models no provider lists */
    @WithDefault("dashscope")
    String defaultProvider();

    /** @return who may call the service */
    Auth auth();

    /** @return background task settings */
    Tasks tasks();

    /** One model provider. */
    interface Provider {
        /** @return the API's base URL, e.g. {@code https://dashscope-intl.aliyuncs.com/compatible-mode/v1} */
        String baseUrl();

        /** @return the API key; when empty, the call fails with a 401 naming the variable to set */
        Optional<String> apiKey();

        /** @return the environment variable the key is read from, named in the error when it is missing */
        Optional<String> apiKeyVariable();

        /** @return the API style */
        @WithDefault("chat")
        Api api();

        /** @return the models routed to this provider ({@code qwen-*} matches a prefix) */
        Optional<List<String>> models();

        /** @return how long the provider keeps a response to chain from (Responses APIs; default 7 days) */
        @WithDefault("7d")
        Duration responseTtl();

        /** @return the built-in tools the provider runs itself (hosted), e.g. {@code web_search} */
        Optional<List<String>> hostedTools();

        /** @return the longest wait for a whole answer or a stream's first bytes */
        @WithDefault("10m")
        Duration requestTimeout();

        /** @return the longest silence inside a stream */
        @WithDefault("2m")
        Duration idleTimeout();
    }

    /** A provider's API style. */
    enum Api {
        /** OpenAI-compatible Chat Completions. */
        CHAT,
        /** The Responses API. */
        RESPONSES,
        /** DashScope's native generation API. */
        DASHSCOPE
    }

    /** Who may call the service. */
    interface Auth {
        /**
         * @return {@code tenant:key} pairs ({@code KAIWA_AUTH_API_KEYS=tenant:key,tenant:key}); when empty, only
         *         clients on this machine (loopback) are served, as tenant {@code local}
         */
        Optional<List<String>> apiKeys();
    }

    /** Background tasks. */
    interface Tasks {
        /** @return how long a claimed task stays with its worker without a renewal */
        @WithDefault("30s")
        Duration lease();

        /** @return how often workers look for queued tasks when nothing woke them */
        @WithDefault("1s")
        Duration pollInterval();

        /** @return how many background tasks one instance runs at once */
        @WithDefault("16")
        int concurrency();
    }
}
