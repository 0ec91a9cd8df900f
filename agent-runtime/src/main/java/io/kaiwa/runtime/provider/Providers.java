package io.kaiwa.runtime.provider;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.chat.ChatCompletionsAdapter;
import io.kaiwa.chat.DashScopeAdapter;
import io.kaiwa.chat.OpenAiEmbedder;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.exception.NonRetriableException;
import io.kaiwa.core.http.HttpTransport;
import io.kaiwa.core.http.VertxHttpTransport;
import io.kaiwa.core.spi.Embedder;
import io.kaiwa.responses.ResponsesAdapter;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.vertx.core.Vertx;

/**
 * The configured providers, each with one adapter (and its connection pool on Quarkus's Vert.x) that serves every
 * request, and the routing of models to them. Each call carries its own options.
 */
@ApplicationScoped
public class Providers {
    private final Map<String, Provider> byName = new LinkedHashMap<>();
    private final Provider fallback;
    private final Map<String, ModelAdapter> adapters = new LinkedHashMap<>();
    private final Map<String, VertxHttpTransport> transports = new LinkedHashMap<>();
    private final Map<String, Embedder> embedders = new ConcurrentHashMap<>();
    private final KaiwaConfig config;

    /**
     * @param config the service's settings
     * @param vertx Quarkus's Vert.x
     */
    @Inject
    public Providers(KaiwaConfig config, Vertx vertx) {
        this.config = config;
        config.providers().forEach((name, p) -> {
            String key = p.apiKey().filter(k -> !k.isBlank()).orElse(null);
            String variable = p.apiKeyVariable().orElse(apiKeyVariable(name));
            List<String> hosted = p.hostedTools().orElse(List.of());
            if (!hosted.isEmpty() && p.api() != KaiwaConfig.Api.RESPONSES) {
                throw new IllegalStateException("kaiwa.providers." + name + ".hosted-tools: only a provider with api="
                        + "responses can host built-in tools; Kaiwa runs them itself for a " + p.api().name()
                                .toLowerCase(Locale.ROOT)
                        + " provider, so leave the setting out.");
            }
            var provider = new Provider(name, p.api(), p.baseUrl(), key, variable, p.models().orElse(List.of()),
                    p.responseTtl(), Set.copyOf(hosted), p.requestTimeout(), p.idleTimeout(),
                    p.summarizerModel().orElse(null));
            byName.put(name, provider);
            if (key != null) {
                var transport = VertxHttpTransport.create(vertx, Duration.ofSeconds(10), 256);
                transports.put(name, transport);
                adapters.put(name, build(provider, transport));
            }
        });
        fallback = byName.get(config.defaultProvider());
        if (fallback == null) {
            throw new IllegalStateException("kaiwa.default-provider names '" + config.defaultProvider()
                    + "', which is not configured; configured: " + byName.keySet());
        }
    }

    /** @return every provider, by name */
    public Map<String, Provider> all() {
        return byName;
    }

    /**
     * @param model the requested model
     * @return the provider listing it, else the default provider
     */
    public Provider route(String model) {
        for (Provider p : byName.values()) {
            if (p.serves(model)) {
                return p;
            }
        }
        return fallback;
    }

    /**
     * @param provider a configured provider
     * @return its adapter, which serves every request to it
     * @throws NonRetriableException (500) when the provider has no key, naming the variable that sets it
     */
    public ModelAdapter adapter(Provider provider) {
        ModelAdapter adapter = adapters.get(provider.name());
        if (adapter == null) {
            // The service's configuration is at fault, not the caller's key: never a 401.
            throw new NonRetriableException("The provider '" + provider.name() + "' has no API key: set the "
                    + provider.apiKeyVariable() + " environment variable and restart the service.", 500,
                    "provider_not_configured", null, null);
        }
        return adapter;
    }

    /**
     * @param name a configured provider's name
     * @return its OpenAI-compatible {@code /embeddings} with its {@code embedding-model}, on its connection pool
     * @throws IllegalStateException when no such provider is configured, or its API has no {@code /embeddings}
     * @throws NonRetriableException (500) when the provider has no key, naming the variable that sets it
     */
    public Embedder embedder(String name) {
        Provider provider = byName.get(name);
        if (provider == null) {
            throw new IllegalStateException("kaiwa.context.recall.embedder names '" + name + "', which is neither "
                    + "'local' nor a configured provider; configured: " + byName.keySet());
        }
        if (provider.api() == KaiwaConfig.Api.DASHSCOPE) {
            throw new IllegalStateException("kaiwa.context.recall.embedder: the provider '" + name + "' speaks "
                    + "DashScope's native API, which has no OpenAI-compatible /embeddings; name a chat provider "
                    + "(DashScope's compatible-mode base URL) instead.");
        }
        adapter(provider);
        return embedders.computeIfAbsent(name, n -> {
            KaiwaConfig.Provider p = config.providers().get(n);
            var b = OpenAiEmbedder.builder().baseUrl(provider.baseUrl()).apiKey(provider.apiKey())
                    .transport(transports.get(n)).model(p.embeddingModel())
                    .requestTimeout(provider.requestTimeout());
            p.embeddingDimensions().ifPresent(b::dimensions);
            return b.build();
        });
    }

    /**
     * @param name a provider's name
     * @return the environment variable that sets its key, as Quarkus reads it: {@code qwen-responses} is
     *         {@code KAIWA_PROVIDERS_QWEN_RESPONSES_API_KEY}; a name with a dot (which only double underscores give in
     *         environment variables) is quoted with them again
     */
    static String apiKeyVariable(String name) {
        String upper = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9.]", "_");
        return upper.contains(".")
                ? "KAIWA_PROVIDERS__" + upper.replace('.', '_') + "__API_KEY"
                : "KAIWA_PROVIDERS_" + upper + "_API_KEY";
    }

    private static ModelAdapter build(Provider provider, HttpTransport transport) {
        // An adapter given its transport leaves it open when closed: close() below closes the pools.
        return switch (provider.api()) {
            case CHAT -> ChatCompletionsAdapter.builder().baseUrl(provider.baseUrl()).apiKey(provider.apiKey())
                    .transport(transport).requestTimeout(provider.requestTimeout())
                    .idleTimeout(provider.idleTimeout()).build();
            case DASHSCOPE -> DashScopeAdapter.builder().baseUrl(provider.baseUrl()).apiKey(provider.apiKey())
                    .transport(transport).requestTimeout(provider.requestTimeout())
                    .idleTimeout(provider.idleTimeout()).build();
            case RESPONSES -> ResponsesAdapter.builder().baseUrl(provider.baseUrl()).apiKey(provider.apiKey())
                    .transport(transport).requestTimeout(provider.requestTimeout())
                    .idleTimeout(provider.idleTimeout()).provider(provider.key())
                    .responseTtl(provider.responseTtl()).build();
        };
    }

    /** Closes the connection pools. */
    @PreDestroy
    void close() {
        transports.values().forEach(VertxHttpTransport::close);
    }
}
