package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * What a {@code @QuarkusTest} runs against: a real PostgreSQL (embedded, fresh per run) and one WireMock upstream
 * on loopback serving a provider of every API style under its own path, a SearXNG and web pages, with two
 * tenants' keys.
 */
public class TestUpstreams implements QuarkusTestResourceLifecycleManager {
    /** The upstream every provider points at; stub it per test. */
    public static WireMockServer upstream;
    /** The service's database, for tests that look at it or write to it as another instance would. */
    public static String jdbcUrl;
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        String base = "http://127.0.0.1:" + upstream.port();
        String db = "127.0.0.1:" + postgres.getPort() + "/postgres";
        jdbcUrl = "jdbc:postgresql://" + db;
        return Map.ofEntries(Map.entry("quarkus.datasource.reactive.url", "postgresql://" + db),
                Map.entry("quarkus.datasource.jdbc.url", "jdbc:postgresql://" + db),
                Map.entry("quarkus.datasource.username", "postgres"),
                Map.entry("quarkus.datasource.password", ""),
                Map.entry("kaiwa.auth.api-keys",
                        "acme:sk-acme-test,globex:sk-globex-test,initech:sk-initech-test,umbrella:sk-umbrella-test,"
                                + "hooli:sk-hooli-test,stark:sk-stark-test,wayne:sk-wayne-test"),
                Map.entry("kaiwa.providers.chat.base-url", base + "/chat/v1"),
                Map.entry("kaiwa.providers.chat.api", "chat"),
                Map.entry("kaiwa.providers.chat.api-key", "sk-upstream-chat"),
                Map.entry("kaiwa.providers.chat.models", "gpt-chat,chat-*"),
                Map.entry("kaiwa.providers.resp.base-url", base + "/resp/v1"),
                Map.entry("kaiwa.providers.resp.api", "responses"),
                Map.entry("kaiwa.providers.resp.api-key", "sk-upstream-resp"),
                Map.entry("kaiwa.providers.resp.models", "qwen3-max-2026-01-23"),
                Map.entry("kaiwa.providers.resp.hosted-tools", "web_search,web_extractor,code_interpreter"),
                Map.entry("kaiwa.tools.web-search.provider", "searxng"),
                Map.entry("kaiwa.tools.timeout", "3s"),
                Map.entry("kaiwa.tools.web-search.base-url", base + "/searxng"),
                // The test pages are served on loopback, which web_extractor refuses unless allowed.
                Map.entry("kaiwa.tools.web-extractor.allow-private", "127.0.0.1/32"),
                Map.entry("kaiwa.providers.native.base-url", base + "/native/api/v1"),
                Map.entry("kaiwa.providers.native.api", "dashscope"),
                Map.entry("kaiwa.providers.native.api-key", "sk-upstream-native"),
                Map.entry("kaiwa.providers.native.models", "qwen-plus-native"),
                Map.entry("kaiwa.providers.nokey.base-url", base + "/nokey/v1"),
                Map.entry("kaiwa.providers.nokey.api-key-variable", "NOKEY_API_KEY"),
                Map.entry("kaiwa.providers.nokey.models", "nokey-model"),
                // A provider nothing listens for (port 1 on loopback refuses at once).
                Map.entry("kaiwa.providers.down.base-url", "http://127.0.0.1:1/v1"),
                Map.entry("kaiwa.providers.down.api-key", "sk-upstream-down"),
                Map.entry("kaiwa.providers.down.models", "down-model"),
                Map.entry("kaiwa.default-provider", "chat"),
                // A model the catalogue does not know, described and priced here (routed to chat by chat-*).
                Map.entry("kaiwa.models.chat-priced.context-window", "8192"),
                Map.entry("kaiwa.models.chat-priced.max-output-tokens", "1024"),
                Map.entry("kaiwa.models.chat-priced.price.input", "1"),
                Map.entry("kaiwa.models.chat-priced.price.cached-input", "0.1"),
                Map.entry("kaiwa.models.chat-priced.price.output", "2"),
                // Recall only where a test asks for it (RecallApiTest): elsewhere the requests sent stay as written.
                Map.entry("kaiwa.context.recall.enabled", "${kaiwa-test.recall-on:false}"),
                // A model that sends only its recent turns unless a request says otherwise.
                Map.entry("kaiwa.models.chat-recent.last-turns", "2"),
                Map.entry("kaiwa.models.chat-recent.last-turns-block", "1"),
                // Budgets: chat-priced costs 0.000016 USD a call as chatAnswer() answers it.
                Map.entry("kaiwa.budgets.initech.limit", "0.00003"),
                Map.entry("kaiwa.budgets.umbrella.limit", "0.00001"),
                Map.entry("kaiwa.budgets.umbrella.period", "total"),
                Map.entry("kaiwa.budgets.hooli.limit", "1"),
                // Rate limits: two requests a minute; twenty tokens a minute (chatAnswer() uses 13 a call).
                Map.entry("kaiwa.rate-limits.stark.requests-per-minute", "2"),
                Map.entry("kaiwa.rate-limits.wayne.tokens-per-minute", "20"),
                // A catalogue model, overridden here.
                Map.entry("kaiwa.models.qwen-flash.max-output-tokens", "2048"),
                // Followers of a stored stream must be woken by notifications: a test that relied on the periodic
                // look at the database would take a minute.
                Map.entry("kaiwa.tasks.follow-check", "60s"));
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.stop();
        }
        try {
            if (postgres != null) {
                postgres.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
