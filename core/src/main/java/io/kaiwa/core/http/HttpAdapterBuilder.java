package io.kaiwa.core.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.spi.TokenEstimator;
import io.vertx.core.Vertx;

/**
 * What every HTTP model adapter's builder sets (the chat adapters' and the Responses adapter's): endpoint, key,
 * model, parameters, timeouts, retries, transport.
 *
 * <p>
 * Builders are not thread-safe; the adapters they build are. Nothing is static: each adapter has its own
 * connection pool, on the Vert.x instance it is given or on a private one it closes in {@code close()}.
 *
 * @param <B> the concrete builder
 */
public abstract class HttpAdapterBuilder<B extends HttpAdapterBuilder<B>> {
    private static final ObjectMapper JSON = KaiwaJson.mapper();

    private String baseUrl;
    private String apiKey;
    private String apiKeyVariable = "DASHSCOPE_API_KEY";
    private String model;
    private static final String ENABLE_THINKING = "enable_thinking";
    private final ObjectNode parameters = JSON.createObjectNode();
    private Boolean enableThinking;
    private Function<String, ReasoningReplay> reasoningReplay = model -> ReasoningReplay.OMIT;
    private ContextPolicy contextPolicy = ContextPolicy.keepAll();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofMinutes(10);
    private Duration idleTimeout = Duration.ofMinutes(2);
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Vertx vertx;
    private int maxConnections = 64;
    private HttpTransport transport;
    private TokenEstimator tokenEstimator;
    private Clock clock = Clock.systemUTC();

    /** @param defaultBaseUrl the base URL used when none is set */
    protected HttpAdapterBuilder(String defaultBaseUrl) {
        this.baseUrl = defaultBaseUrl;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** @param baseUrl the API's base URL, e.g. {@code https://dashscope-intl.aliyuncs.com/compatible-mode/v1} @return this */
    public B baseUrl(String baseUrl) {
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
        return self();
    }

    /**
     * @param apiKey the API key; when never set, the {@code DASHSCOPE_API_KEY} environment variable is read at
     *        {@link #build()} time, and a call without any key fails with an authentication error naming it
     * @return this
     */
    public B apiKey(String apiKey) {
        this.apiKey = requireNonNull(apiKey, "apiKey");
        return self();
    }

    /** @param variable the environment variable to read the key from when none is set @return this */
    public B apiKeyFromEnvironment(String variable) {
        this.apiKeyVariable = requireNonNull(variable, "variable");
        return self();
    }

    /** @param model the model used when the conversation names none, e.g. {@code qwen-plus} @return this */
    public B model(String model) {
        this.model = model;
        return self();
    }

    /**
     * @param name a request field, e.g. {@code temperature}, {@code max_tokens}, {@code tools};
     *        {@code enable_thinking} (a boolean) is the same as {@link #enableThinking(boolean)}
     * @param value its value: anything Jackson can write (numbers, strings, maps, lists, {@link JsonNode})
     * @return this
     * @throws IllegalArgumentException for an {@code enable_thinking} that is not a boolean
     */
    public B parameter(String name, Object value) {
        JsonNode node = JSON.valueToTree(value);
        if (ENABLE_THINKING.equals(requireNonNull(name, "name"))) {
            // The wires write enable_thinking from its own setting: as a plain parameter it would be left out.
            if (!node.isBoolean()) {
                throw new IllegalArgumentException("enable_thinking must be a boolean: " + node);
            }
            return enableThinking(node.booleanValue());
        }
        parameters.set(name, node);
        return self();
    }

    /** @param parameters request fields merged into every request @return this */
    public B parameters(Map<String, ?> parameters) {
        parameters.forEach(this::parameter);
        return self();
    }

    /** @param enable sends {@code enable_thinking} for Qwen's hybrid thinking models @return this */
    public B enableThinking(boolean enable) {
        this.enableThinking = enable;
        return self();
    }

    /**
     * @param rule per model name, whether reasoning of earlier turns is sent again; the default never does, as
     *        DashScope asks; some providers require it on tool-calling turns
     * @return this
     */
    public B reasoningReplay(Function<String, ReasoningReplay> rule) {
        this.reasoningReplay = requireNonNull(rule, "rule");
        return self();
    }

    /** @param policy applied after the conversation's own policy, e.g. the model's token budget @return this */
    public B contextPolicy(ContextPolicy policy) {
        this.contextPolicy = requireNonNull(policy, "policy");
        return self();
    }

    /** @param timeout the longest wait for a connection (default 10 s) @return this */
    public B connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return self();
    }

    /**
     * @param timeout the longest non-streamed exchange, and the longest wait for a stream's first bytes (default
     *        10 min)
     * @return this
     */
    public B requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout, "requestTimeout");
        return self();
    }

    /** @param timeout the longest silence inside a stream before it fails (default 2 min) @return this */
    public B idleTimeout(Duration timeout) {
        this.idleTimeout = positive(timeout, "idleTimeout");
        return self();
    }

    /** @param policy how failed requests are retried (default: 2 retries, 0.5 s doubling) @return this */
    public B retryPolicy(RetryPolicy policy) {
        this.retryPolicy = requireNonNull(policy, "policy");
        return self();
    }

    /** @param vertx the Vert.x instance to share (inside Quarkus, inject Quarkus's) @return this */
    public B vertx(Vertx vertx) {
        this.vertx = requireNonNull(vertx, "vertx");
        return self();
    }

    /** @param max the most connections kept open to the provider (default 64) @return this */
    public B maxConnections(int max) {
        this.maxConnections = max;
        return self();
    }

    /** @param transport a transport to use instead of a Vert.x one; not closed by the adapter @return this */
    public B transport(HttpTransport transport) {
        this.transport = requireNonNull(transport, "transport");
        return self();
    }

    /**
     * @param estimator calibrated from every turn's reported {@code input_tokens}; pass the same one to
     *        {@link ContextPolicy#tokenBudget(int, TokenEstimator)}
     * @return this
     */
    public B tokenEstimator(TokenEstimator estimator) {
        this.tokenEstimator = requireNonNull(estimator, "estimator");
        return self();
    }

    /** @param clock stamps turns' start and end (tests) @return this */
    public B clock(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        return self();
    }

    /** @return the settings, with a transport made when none was given */
    protected AdapterSettings settings() {
        URI base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        if (base.getScheme() == null || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL: " + baseUrl);
        }
        String key = apiKey != null ? apiKey : System.getenv(apiKeyVariable);
        boolean own = transport == null;
        HttpTransport t = own ? VertxHttpTransport.create(vertx, connectTimeout, maxConnections) : transport;
        return new AdapterSettings(base, key == null || key.isBlank() ? null : key, apiKeyVariable, model,
                parameters.deepCopy(), enableThinking, reasoningReplay, contextPolicy, requestTimeout, idleTimeout,
                retryPolicy, t, own, tokenEstimator, clock);
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }
}
