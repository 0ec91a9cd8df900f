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

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.chat.ChatCompletionsAdapter;
import io.kaiwa.chat.DashScopeAdapter;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.http.VertxHttpTransport;
import io.kaiwa.responses.ResponsesAdapter;
import io.kaiwa.runtime.api.ApiException;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.vertx.core.Vertx;

/**
 * The configured providers, their connection pools on Quarkus's Vert.x, and the routing of models to them.
 * Adapters carry their request's options; they share the provider's pool, and are kept per set of options.
 */
@ApplicationScoped
public class Providers {
    private final Map<String, Provider> byName = new LinkedHashMap<>();
    private final Provider fallback;
    private final Map<String, ModelAdapter> adapters = new ConcurrentHashMap<>();
    private static final int ADAPTER_CACHE = 1024;

    /**
     * @param config the service's settings
     * @param vertx Quarkus's Vert.x
     */
    @Inject
    public Providers(KaiwaConfig config, Vertx vertx) {
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
            var transport = VertxHttpTransport.create(vertx, Duration.ofSeconds(10), 256);
            byName.put(name, new Provider(name, p.api(), p.baseUrl(), key, variable, p.models().orElse(List.of()),
                    p.responseTtl(), Set.copyOf(hosted), p.requestTimeout(),
                    p.idleTimeout(), transport));
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
     * @param provider where to send
     * @param options the request's options, already in the provider API's field names
     * @param store whether the provider may keep the response (Responses APIs)
     * @return an adapter for one request
     */
    public ModelAdapter adapter(Provider provider, ObjectNode options, boolean store) {
        if (provider.apiKey() == null) {
            throw missingKey(provider);
        }
        // Most requests share their options: their adapter is made once (a handful of objects, no connection).
        String key = provider.name() + (store ? "\n1" : "\n0") + options;
        ModelAdapter cached = adapters.get(key);
        if (cached != null) {
            return cached;
        }
        if (adapters.size() >= ADAPTER_CACHE) {
            adapters.clear();
        }
        ModelAdapter made = build(provider, options, store);
        adapters.put(key, made);
        return made;
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

    private static ApiException missingKey(Provider provider) {
        return new ApiException(401, "authentication_error", "missing_api_key", null, "The provider '"
                + provider.name() + "' has no API key: set the " + provider.apiKeyVariable()
                + " environment variable and restart the service.");
    }

    private ModelAdapter build(Provider provider, ObjectNode options, boolean store) {
        if (provider.apiKey() == null) {
            throw missingKey(provider);
        }
        return switch (provider.api()) {
            case CHAT -> ChatCompletionsAdapter.builder().baseUrl(provider.baseUrl()).apiKey(provider.apiKey())
                    .transport(provider.transport()).requestTimeout(provider.requestTimeout())
                    .idleTimeout(provider.idleTimeout()).parameters(fields(options)).build();
            case DASHSCOPE -> DashScopeAdapter.builder().baseUrl(provider.baseUrl()).apiKey(provider.apiKey())
                    .transport(provider.transport()).requestTimeout(provider.requestTimeout())
                    .idleTimeout(provider.idleTimeout()).parameters(fields(options)).build();
            case RESPONSES -> {
                var b = ResponsesAdapter.builder().baseUrl(provider.baseUrl()).apiKey(provider.apiKey())
                        .transport(provider.transport()).requestTimeout(provider.requestTimeout())
                        .idleTimeout(provider.idleTimeout()).provider(provider.key())
                        .responseTtl(provider.responseTtl()).parameters(fields(options));
                if (!store) {
                    b.store(false);
                }
                yield b.build();
            }
        };
    }

    private static Map<String, Object> fields(ObjectNode options) {
        var map = new LinkedHashMap<String, Object>();
        options.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    /** Closes the connection pools. */
    @PreDestroy
    void close() {
        byName.values().forEach(p -> ((VertxHttpTransport) p.transport()).close());
    }
}
