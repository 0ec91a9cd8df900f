package io.kaiwa.runtime.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings, under {@code kaiwa.}; environment variables in Quarkus's usual form work. */
@ConfigMapping(prefix = "kaiwa")
public interface KaiwaConfig {

    /** @return the model providers by name ({@code kaiwa.providers.<name>.*}) */
    Map<String, Provider> providers();

    /**
     * @return what Kaiwa should know of models beyond its catalogue, or instead of it
     *         ({@code kaiwa.models.<name>.*}): any model, Qwen or not
     */
    Map<String, Model> models();

    /** @return how the service keeps long conversations inside the model's window */
    Context context();

    /**
     * @return spending limits by tenant ({@code kaiwa.budgets.<tenant>.*}); a tenant without one is never refused for
     *         what it spent
     */
    Map<String, Budget> budgets();

    /**
     * @return request and token rates by tenant ({@code kaiwa.rate-limits.<tenant>.*}; the tenant {@code "*"} is
     *         every tenant without its own); a tenant with none is not limited
     */
    Map<String, RateLimit> rateLimits();

    /** @return the provider asked for models no provider lists */
    @WithDefault("dashscope")
    String defaultProvider();

    /** @return who may call the service */
    Auth auth();

    /** @return background task settings */
    Tasks tasks();

    /** @return the built-in tools Kaiwa runs itself for providers that do not host them */
    Tools tools();

    /**
     * @return an external PostgreSQL; read before Quarkus starts (see {@code EmbeddedDatabase}), declared here so that
     *         a configuration file may hold it
     */
    Database database();

    /** @return where the embedded PostgreSQL keeps its data (default {@code ./kaiwa-data}); read before Quarkus starts */
    Optional<String> dataDir();

    /** How long conversations are kept inside the model's window. */
    interface Context {
        /**
         * @return whether a request is compacted when it passes the threshold, unless it says otherwise
         *         ({@code context_management}); needs the model's window (the catalogue's, or the model's own
         *         {@code compact-threshold})
         */
        @WithDefault("true")
        boolean compaction();

        /** @return the default threshold, as a share of the model's context window (or of its max input) */
        @WithDefault("0.7")
        double threshold();

        /** @return how earlier turns are recalled */
        Recall recall();

        /**
         * @return the key that seals compaction items (32 bytes, base64); none: the first instance makes one and keeps
         *         it in the database for every instance
         */
        Optional<String> key();
    }

    /**
     * Recall: the earlier turns most like the new input, among those a request does not carry (summarised or left
     * out), are added to it, marked as recalled.
     */
    interface Recall {
        /** @return whether requests recall earlier turns unless they say otherwise ({@code context_management}) */
        @WithDefault("true")
        boolean enabled();

        /**
         * @return what embeds the turns: {@code local} (a small model run in-process; nothing leaves the machine) or
         *         a provider's name (its OpenAI-compatible {@code /embeddings}, its {@code embedding-model})
         */
        @WithDefault("local")
        String embedder();

        /** @return the most turns recalled for one request */
        @WithDefault("3")
        int topK();

        /** @return the least cosine similarity a turn needs to be recalled, from 0 to 1 */
        @WithDefault("0.35")
        double threshold();

        /** @return the most characters of a turn embedded and recalled (its beginning) */
        @WithDefault("1500")
        int maxChars();

        /**
         * @return the most turns without a vector embedded for one request (a long conversation stored before recall
         *         was on gets its vectors over several requests, the newest first)
         */
        @WithDefault("200")
        int maxEmbeddedPerRequest();

        /**
         * @return the most turns whose vectors each instance holds in memory (about 800 bytes a turn with the local
         *         model), so that a long conversation's are not read from the database on every request
         */
        @WithDefault("20000")
        int cacheTurns();
    }

    /** How fast one tenant may ask, on each instance. */
    interface RateLimit {
        /** @return the most new responses a minute */
        OptionalInt requestsPerMinute();

        /** @return the most tokens (input and output, as the providers count them) a minute */
        OptionalLong tokensPerMinute();
    }

    /** What a tenant may spend on models, in the catalogue's prices. */
    interface Budget {
        /** @return the most it may spend in a period; once spent, its requests are refused until the next one */
        BigDecimal limit();

        /** @return the limit's currency (ISO 4217); only costs in it count */
        @WithDefault("USD")
        String currency();

        /** @return over what the limit runs: {@code month} (a calendar month, UTC) or {@code total} (for ever) */
        @WithDefault("month")
        BudgetPeriod period();
    }

    /** Over what a budget runs. */
    enum BudgetPeriod {
        /** A calendar month, UTC. */
        MONTH,
        /** Since the tenant's first request, for ever. */
        TOTAL
    }

    /** An external PostgreSQL instead of the embedded one. */
    interface Database {
        /** @return {@code postgresql://host:port/database}; when set, nothing embedded starts */
        Optional<String> url();

        /** @return the user */
        Optional<String> username();

        /** @return the password */
        Optional<String> password();
    }

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

        /**
         * @return the model that writes a compaction's summary for this provider's conversations (a cheap, fast one);
         *         none: the conversation's own model
         */
        Optional<String> summarizerModel();

        /**
         * @return the model its OpenAI-compatible {@code /embeddings} is asked for when it embeds turns for recall
         *         ({@code kaiwa.context.recall.embedder} names it)
         */
        @WithDefault("text-embedding-v4")
        String embeddingModel();

        /** @return the vectors' length, for an embedding model that offers several; none: the model's default */
        Optional<Integer> embeddingDimensions();
    }

    /**
     * A model's entry in the catalogue: each setting given replaces the catalogue's figure for that model (a model
     * the catalogue does not know starts from nothing known: multi-turn, text in and out).
     */
    interface Model {
        /** @return input and output tokens together */
        Optional<Integer> contextWindow();

        /** @return the most input tokens a request may carry */
        Optional<Integer> maxInputTokens();

        /** @return the most tokens an answer may have */
        Optional<Integer> maxOutputTokens();

        /** @return what it takes: {@code text}, {@code image}, {@code audio}, {@code video} */
        Optional<List<String>> input();

        /** @return what it gives */
        Optional<List<String>> output();

        /** @return {@code none}, {@code optional} or {@code always} */
        Optional<String> thinking();

        /** @return whether its reasoning is sent back with the history: {@code omit} or {@code keep} */
        Optional<String> reasoningReplay();

        /** @return whether it holds a conversation; a single-turn model is sent only the new input */
        Optional<Boolean> multiTurn();

        /** @return whether the provider caches its prompt prefixes */
        Optional<Boolean> contextCache();

        /** @return past how many input tokens a request to it is compacted (default: a share of its window) */
        Optional<Integer> compactThreshold();

        /**
         * @return how many recent turns a request to it sends at least when it does not say (default: every turn since
         *         the latest compaction)
         */
        Optional<Integer> lastTurns();

        /** @return how many older turns are left out at once with {@code last-turns} (default: half of them) */
        Optional<Integer> lastTurnsBlock();

        /** @return its prices: given, they replace the catalogue's (one tier, whatever the input length) */
        Price price();

        /** @return the price of one call of a built-in tool the provider runs and bills, by tool */
        Map<String, BigDecimal> toolCallPrice();
    }

    /** A model's prices per million tokens. */
    interface Price {
        /** @return the currency (ISO 4217) */
        @WithDefault("USD")
        String currency();

        /** @return per million input tokens not read from the context cache */
        Optional<BigDecimal> input();

        /** @return per million input tokens read from the context cache (default: the input price) */
        Optional<BigDecimal> cachedInput();

        /** @return per million output tokens */
        Optional<BigDecimal> output();

        /** @return per million output tokens of an answer that thought (default: the output price) */
        Optional<BigDecimal> thinkingOutput();
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

        /**
         * @return how often a client following a background response's stream looks at the database when no
         *         notification came (one can be missed while the listening connection is re-established)
         */
        @WithDefault("2s")
        Duration followCheck();
    }

    /** The built-in tools Kaiwa runs itself, and the limits of a response's tool loop. */
    interface Tools {
        /** @return the longest one tool call may take */
        @WithDefault("60s")
        Duration timeout();

        /** @return the most time one response's tool calls may take together */
        @WithDefault("5m")
        Duration budget();

        /** @return the most tool calls one response makes (a request's {@code max_tool_calls} may lower it) */
        @WithDefault("20")
        int maxCalls();

        /** @return the most model calls one response makes while it runs tools */
        @WithDefault("10")
        int maxSteps();

        /** @return {@code web_search} */
        WebSearch webSearch();

        /** @return {@code web_extractor} */
        WebExtractor webExtractor();

        /** @return {@code code_interpreter} */
        CodeInterpreter codeInterpreter();
    }

    /** The search provider behind {@code web_search}. */
    interface WebSearch {
        /** @return {@code searxng} or {@code brave}; none configured means the tool is unavailable */
        Optional<String> provider();

        /** @return the provider's base URL (SearXNG: required; Brave: its public API by default) */
        Optional<String> baseUrl();

        /** @return the provider's API key (Brave) */
        Optional<String> apiKey();

        /** @return how many results the model sees */
        @WithDefault("5")
        int maxResults();

        /** @return the longest wait for the provider */
        @WithDefault("10s")
        Duration timeout();

        /** @return the largest answer read from the provider, in bytes */
        @WithDefault("2097152")
        int maxResponseBytes();

        /** @return SearXNG: comma-separated categories (e.g. {@code general,news}); the instance's by default */
        Optional<String> categories();

        /** @return SearXNG: the language results are in (e.g. {@code en}, {@code all}); the instance's by default */
        Optional<String> language();

        /**
         * @return the safe-search level: SearXNG {@code 0}, {@code 1} or {@code 2}; Brave {@code off},
         *         {@code moderate} or {@code strict}; the provider's by default
         */
        Optional<String> safesearch();

        /** @return Brave: the two-letter country results come from (e.g. {@code us}) */
        Optional<String> country();

        /** @return Brave: the language results are in (e.g. {@code en}) */
        Optional<String> searchLang();

        /** @return further query parameters sent as they are ({@code kaiwa.tools.web-search.params.<name>}) */
        Map<String, String> params();
    }

    /** {@code web_extractor}: fetching pages, safely. */
    interface WebExtractor {
        /** @return whether the tool is offered */
        @WithDefault("true")
        boolean enabled();

        /** @return private address ranges (CIDR) that may be fetched anyway; none by default */
        Optional<List<String>> allowPrivate();

        /** @return the largest page read, in bytes */
        @WithDefault("2097152")
        long maxBytes();

        /** @return the longest wait for one page, redirects included */
        @WithDefault("15s")
        Duration timeout();

        /** @return how many characters of text the model gets back per call */
        @WithDefault("8000")
        int budget();
    }

    /** {@code code_interpreter}: Python in a bubblewrap sandbox. */
    interface CodeInterpreter {
        /** @return whether the tool is offered (it is unavailable anyway where no sandbox can start) */
        @WithDefault("true")
        boolean enabled();

        /** @return the bubblewrap executable */
        @WithDefault("/usr/bin/bwrap")
        String bwrap();

        /** @return the Python interpreter (inside the sandbox's read-only view of {@code /usr}) */
        @WithDefault("/usr/bin/python3")
        String python();

        /** @return CPU time per run */
        @WithDefault("10s")
        Duration cpu();

        /** @return wall time per run */
        @WithDefault("30s")
        Duration wall();

        /** @return address space per run, in bytes */
        @WithDefault("536870912")
        long memory();

        /** @return processes per run (each may use {@link #memory()}) */
        @WithDefault("16")
        int processes();

        /** @return stdout and stderr kept per run, each, in bytes */
        @WithDefault("65536")
        int output();
    }
}
