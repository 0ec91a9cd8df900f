package io.kaiwa.runtime.provider;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.kaiwa.runtime.config.KaiwaConfig;

/**
 * A configured model provider.
 *
 * @param name the configuration name
 * @param api the API style
 * @param baseUrl the API's base URL
 * @param apiKey the key, or {@code null} when none is configured
 * @param apiKeyVariable the environment variable to name when the key is missing
 * @param models the models routed here ({@code prefix*} allowed)
 * @param responseTtl how long the provider keeps a response to chain from
 * @param hostedTools the built-in tools it runs itself
 * @param requestTimeout longest wait for an answer or a stream's first bytes
 * @param idleTimeout longest silence inside a stream
 * @param summarizerModel the model that writes compaction summaries for its conversations, or {@code null} for the
 *        conversation's own
 */
public record Provider(String name, KaiwaConfig.Api api, String baseUrl, String apiKey, String apiKeyVariable,
        List<String> models, Duration responseTtl, Set<String> hostedTools, Duration requestTimeout,
        Duration idleTimeout, String summarizerModel) {

    /** @return the key response ids from this provider are recorded with: stable across restarts */
    public String key() {
        return name + " " + baseUrl;
    }

    /**
     * @param model a model name
     * @return whether this provider lists it
     */
    public boolean serves(String model) {
        for (String m : models) {
            if (m.endsWith("*") ? model.startsWith(m.substring(0, m.length() - 1)) : m.equals(model)) {
                return true;
            }
        }
        return false;
    }
}
