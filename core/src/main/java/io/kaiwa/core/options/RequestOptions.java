package io.kaiwa.core.options;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * What one call asks of the model, beside the conversation and the new input: tools, limits, sampling, reasoning,
 * output format, cache key, metadata and provider extras. Passed with every
 * {@link io.kaiwa.core.ModelAdapter#send send} and {@link io.kaiwa.core.ModelAdapter#stream stream}, so one adapter
 * per provider serves requests that ask for different things; each adapter writes these in its own wire's names
 * ({@code max_output_tokens} is {@code max_tokens} on Chat Completions, for example).
 *
 * <p>
 * The names are the Responses API's. A field left unset ({@code null}, or empty for lists) is not sent, so the
 * provider's default (or the adapter builder's parameter of the same name) applies. Immutable and thread-safe.
 */
public final class RequestOptions {
    private static final RequestOptions NONE = builder().build();

    private final List<Tool> tools;
    private final ToolChoice toolChoice;
    private final Boolean parallelToolCalls;
    private final Integer maxToolCalls;
    private final Integer maxOutputTokens;
    private final Double temperature;
    private final Double topP;
    private final Reasoning reasoning;
    private final Boolean enableThinking;
    private final TextFormat textFormat;
    private final String verbosity;
    private final List<String> include;
    private final String promptCacheKey;
    private final Map<String, String> metadata;
    private final Boolean store;
    private final Map<String, JsonNode> extras;

    private RequestOptions(Builder b) {
        this.tools = Copies.list(b.tools, "tools");
        this.toolChoice = b.toolChoice;
        this.parallelToolCalls = b.parallelToolCalls;
        this.maxToolCalls = nonNegative(b.maxToolCalls, "maxToolCalls");
        this.maxOutputTokens = positive(b.maxOutputTokens, "maxOutputTokens");
        this.temperature = range(b.temperature, 0, 2, "temperature");
        this.topP = range(b.topP, 0, 1, "topP");
        this.reasoning = b.reasoning;
        this.enableThinking = b.enableThinking;
        this.textFormat = b.textFormat;
        this.verbosity = b.verbosity;
        this.include = Copies.list(b.include, "include");
        this.promptCacheKey = b.promptCacheKey;
        this.metadata = b.metadata == null || b.metadata.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(b.metadata));
        this.store = b.store;
        this.extras = Copies.extra(b.extras);
    }

    /** @return options that ask for nothing: every provider default applies */
    public static RequestOptions none() {
        return NONE;
    }

    /** @return a builder with nothing set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these options */
    public Builder toBuilder() {
        var b = new Builder();
        b.tools = tools;
        b.toolChoice = toolChoice;
        b.parallelToolCalls = parallelToolCalls;
        b.maxToolCalls = maxToolCalls;
        b.maxOutputTokens = maxOutputTokens;
        b.temperature = temperature;
        b.topP = topP;
        b.reasoning = reasoning;
        b.enableThinking = enableThinking;
        b.textFormat = textFormat;
        b.verbosity = verbosity;
        b.include = include;
        b.promptCacheKey = promptCacheKey;
        b.metadata = metadata;
        b.store = store;
        b.extras = new LinkedHashMap<>(extras);
        return b;
    }

    /** @return the tools the model may call, in order; empty for none; never {@code null} */
    public List<Tool> tools() {
        return tools;
    }

    /** @return which tool the model must or may call ({@code tool_choice}), or {@code null} */
    public ToolChoice toolChoice() {
        return toolChoice;
    }

    /** @return whether one answer may call several tools at once ({@code parallel_tool_calls}), or {@code null} */
    public Boolean parallelToolCalls() {
        return parallelToolCalls;
    }

    /** @return the most built-in tool calls the provider makes ({@code max_tool_calls}; Responses API), or {@code null} */
    public Integer maxToolCalls() {
        return maxToolCalls;
    }

    /** @return the most tokens the answer may have ({@code max_output_tokens}), or {@code null} */
    public Integer maxOutputTokens() {
        return maxOutputTokens;
    }

    /** @return the sampling temperature, 0 to 2, or {@code null} */
    public Double temperature() {
        return temperature;
    }

    /** @return nucleus sampling's {@code top_p}, 0 to 1, or {@code null} */
    public Double topP() {
        return topP;
    }

    /** @return reasoning effort and summary, or {@code null} */
    public Reasoning reasoning() {
        return reasoning;
    }

    /** @return Qwen's {@code enable_thinking} for hybrid thinking models, or {@code null} */
    public Boolean enableThinking() {
        return enableThinking;
    }

    /** @return the answer's format ({@code text.format}), or {@code null} for plain text */
    public TextFormat textFormat() {
        return textFormat;
    }

    /** @return {@code text.verbosity} ({@code low}, {@code medium}, {@code high}; Responses API), or {@code null} */
    public String verbosity() {
        return verbosity;
    }

    /** @return extra output to include ({@code include}; Responses API), in order; never {@code null} */
    public List<String> include() {
        return include;
    }

    /** @return the key that groups requests sharing a prompt prefix for the provider's cache, or {@code null} */
    public String promptCacheKey() {
        return promptCacheKey;
    }

    /** @return key/value metadata sent with the request; unmodifiable, empty for none, never {@code null} */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * @return whether a stateful provider (the Responses API) may keep the response to chain from, or {@code null}
     *         for the adapter's own setting
     */
    public Boolean store() {
        return store;
    }

    /**
     * @return further request fields, written as they are under their own names after the ones above (e.g.
     *         {@code seed}, {@code stop}, {@code presence_penalty}); unmodifiable, in order, never {@code null}
     */
    public Map<String, JsonNode> extras() {
        return extras;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestOptions r && tools.equals(r.tools) && Objects.equals(toolChoice, r.toolChoice)
                && Objects.equals(parallelToolCalls, r.parallelToolCalls)
                && Objects.equals(maxToolCalls, r.maxToolCalls) && Objects.equals(maxOutputTokens, r.maxOutputTokens)
                && Objects.equals(temperature, r.temperature) && Objects.equals(topP, r.topP)
                && Objects.equals(reasoning, r.reasoning) && Objects.equals(enableThinking, r.enableThinking)
                && Objects.equals(textFormat, r.textFormat) && Objects.equals(verbosity, r.verbosity)
                && include.equals(r.include) && Objects.equals(promptCacheKey, r.promptCacheKey)
                && metadata.equals(r.metadata) && Objects.equals(store, r.store) && extras.equals(r.extras);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tools, toolChoice, parallelToolCalls, maxToolCalls, maxOutputTokens, temperature, topP,
                reasoning, enableThinking, textFormat, verbosity, include, promptCacheKey, metadata, store, extras);
    }

    @Override
    public String toString() {
        return "RequestOptions[tools=" + tools.size() + ", toolChoice=" + toolChoice + ", maxOutputTokens="
                + maxOutputTokens + ", temperature=" + temperature + ", extras=" + extras.keySet() + "]";
    }

    private static Integer positive(Integer value, String name) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    private static Integer nonNegative(Integer value, String name) {
        if (value != null && value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }

    private static Double range(Double value, double min, double max, String name) {
        if (value != null && (value.isNaN() || value < min || value > max)) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ": " + value);
        }
        return value;
    }

    /** Builds {@link RequestOptions}; not thread-safe. Every setter takes {@code null} to unset. */
    public static final class Builder {
        private List<Tool> tools;
        private ToolChoice toolChoice;
        private Boolean parallelToolCalls;
        private Integer maxToolCalls;
        private Integer maxOutputTokens;
        private Double temperature;
        private Double topP;
        private Reasoning reasoning;
        private Boolean enableThinking;
        private TextFormat textFormat;
        private String verbosity;
        private List<String> include;
        private String promptCacheKey;
        private Map<String, String> metadata;
        private Boolean store;
        private Map<String, JsonNode> extras = new LinkedHashMap<>();

        private Builder() {
        }

        /** @param tools the tools the model may call @return this */
        public Builder tools(List<? extends Tool> tools) {
            this.tools = tools == null ? null : List.copyOf(tools);
            return this;
        }

        /** @param choice {@code tool_choice} @return this */
        public Builder toolChoice(ToolChoice choice) {
            this.toolChoice = choice;
            return this;
        }

        /** @param parallel {@code parallel_tool_calls} @return this */
        public Builder parallelToolCalls(Boolean parallel) {
            this.parallelToolCalls = parallel;
            return this;
        }

        /** @param max {@code max_tool_calls}, 0 or more @return this */
        public Builder maxToolCalls(Integer max) {
            this.maxToolCalls = max;
            return this;
        }

        /** @param max {@code max_output_tokens}, at least 1 @return this */
        public Builder maxOutputTokens(Integer max) {
            this.maxOutputTokens = max;
            return this;
        }

        /** @param temperature 0 to 2 @return this */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** @param topP 0 to 1 @return this */
        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        /** @param reasoning effort and summary @return this */
        public Builder reasoning(Reasoning reasoning) {
            this.reasoning = reasoning;
            return this;
        }

        /** @param enable Qwen's {@code enable_thinking} @return this */
        public Builder enableThinking(Boolean enable) {
            this.enableThinking = enable;
            return this;
        }

        /** @param format the answer's format @return this */
        public Builder textFormat(TextFormat format) {
            this.textFormat = format;
            return this;
        }

        /** @param verbosity {@code text.verbosity} @return this */
        public Builder verbosity(String verbosity) {
            this.verbosity = verbosity;
            return this;
        }

        /** @param include {@code include} @return this */
        public Builder include(List<String> include) {
            this.include = include;
            return this;
        }

        /** @param key {@code prompt_cache_key} @return this */
        public Builder promptCacheKey(String key) {
            this.promptCacheKey = key;
            return this;
        }

        /** @param metadata key/value metadata sent with the request @return this */
        public Builder metadata(Map<String, String> metadata) {
            if (metadata != null) {
                metadata.forEach((k, v) -> {
                    requireNonNull(k, "metadata key");
                    requireNonNull(v, "metadata value");
                });
            }
            this.metadata = metadata;
            return this;
        }

        /** @param store whether a stateful provider may keep the response @return this */
        public Builder store(Boolean store) {
            this.store = store;
            return this;
        }

        /**
         * @param name a request field written as it is, e.g. {@code seed}
         * @param value its JSON value; {@code null} removes the field
         * @return this
         */
        public Builder extra(String name, JsonNode value) {
            requireNonNull(name, "name");
            if (value == null) {
                extras.remove(name);
            } else {
                extras.put(name, value);
            }
            return this;
        }

        /** @param extras request fields written as they are, replacing any set before @return this */
        public Builder extras(Map<String, JsonNode> extras) {
            this.extras = extras == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extras);
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException when a number is out of its range
         */
        public RequestOptions build() {
            return new RequestOptions(this);
        }
    }
}
