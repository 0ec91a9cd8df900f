package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.kaiwa.it.OpenAiClientIT.chatAnswer;
import static io.kaiwa.it.OpenAiClientIT.chunk;
import static io.kaiwa.it.OpenAiClientIT.sandboxed;
import static io.kaiwa.it.OpenAiClientIT.streamedToolCall;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The playground ({@code /playground/}) in a real browser (headless Chromium, over the DevTools Protocol) against
 * the packaged service and a WireMock provider: a three-turn conversation with reasoning, a web search and code that
 * draws an image, streamed, then compacted; what a user sees is asserted, and screenshots are kept in
 * {@code integration-tests/target/playground/} (after the first turn, and after the compaction).
 */
class PlaygroundIT {
    static final String CHAT = "/chat/v1/chat/completions";
    /** A 48×48 PNG of a dot, written by the code the model runs. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAh0lEQVR42u3YwQ2AMAxDUe/FKIzOMHDl0JZQNZErfasDvFMV"
            + "W7dZBAgQoFeO82q+alDPsUSmJMo0S6mUCZZqNHGTyjRBkyo1EZOKNZ+mfUB5mrFpE1C2ZmACNAGq0fRMgAABAsRPvSeIe4ib"
            + "eg3IrgY5FkXHKu04NjjOMaaDlemkxwoLCNCfPLYyvF0fZbajAAAAAElFTkSuQmCC";
    static final ObjectMapper JSON = new ObjectMapper();
    /** An answer holding markup, which the page must show as text. */
    static final String MARKUP = "Short <img src=x onerror=\"window.pwned=1\"> and <b>sweet</b>.";

    WireMockServer upstream;
    Path folder;

    @BeforeEach
    void start() throws IOException {
        Extras.assume(Chromium.find().isPresent(), "needs Chromium (Debian's chromium package; .ci/run installs it, "
                + "KAIWA_CHROMIUM names another)");
        Extras.assume(sandboxed(),
                "needs the code_interpreter sandbox (bubblewrap and python3; .ci/run installs them)");
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        folder = Files.createTempDirectory(Path.of("target"), "it-playground").toAbsolutePath();
        Files.createDirectories(folder.resolve("config"));
        // A small window, prices and an early compaction, so that three turns show all of it.
        Files.writeString(folder.resolve("config/application.properties"), """
                kaiwa.models.gpt-chat.context-window=8000
                kaiwa.models.gpt-chat.compact-threshold=1500
                kaiwa.models.gpt-chat.price.input=0.4
                kaiwa.models.gpt-chat.price.cached-input=0.08
                kaiwa.models.gpt-chat.price.output=1.2
                """);
    }

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.stop();
        }
    }

    static String usage(int prompt, int cached, int completion) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":"
                + cached + "}}}\n\n";
    }

    /** An answer streamed a few words at a time, then its usage. */
    static String streamed(String text, int prompt, int cached, int completion) {
        var sse = new StringBuilder(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String words : text.split("(?<=\\G.{40})")) {
            sse.append(chunk("{\"content\":" + JSON.valueToTree(words) + "}", null));
        }
        return sse + chunk("{}", "stop") + usage(prompt, cached, completion) + "data: [DONE]\n\n";
    }

    static String longAnswer(String marker, int sentences) {
        return marker + " " + "Kaiwa keeps the conversation in PostgreSQL and replays it for every provider. "
                .repeat(sentences);
    }

    void answersInOrder(String... bodies) {
        String state = STARTED;
        for (int i = 0; i < bodies.length; i++) {
            String next = "call " + (i + 1);
            upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(5).inScenario("turns").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                            .withBody(bodies[i]))
                    .willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void aConversationIsStreamedWithItsToolsCostAndContextAndKeptAcrossAReload() throws Exception {
        upstream.stubFor(get(urlPathEqualTo("/searxng/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"query":"kaiwa playground","results":[{"url":"https://example.org/kaiwa","title":"Kaiwa",
                         "content":"Conversations for Java.","engine":"brave"}],"answers":[],"infoboxes":[]}""")));
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(1)
                .withRequestBody(containing("You keep the memory of a conversation"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(chatAnswer("The user asked about Kaiwa and its playground."))));
        String code = "import base64\\nopen('dot.png','wb').write(base64.b64decode('" + PNG
                + "'))\\nprint('made dot.png')";
        answersInOrder(
                chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"The user wants Kaiwa. \"}",
                        null) + chunk("{\"reasoning_content\":\"I should search first.\"}", null)
                        + streamedToolCall("call_s", "web_search", "{\"query\":\"kaiwa playground\"}"),
                streamedToolCall("call_c", "code_interpreter", "{\"code\":\"" + code + "\"}"),
                streamed(longAnswer("FIRST.", 30), 420, 0, 640),
                streamed(longAnswer("SECOND.", 80), 1100, 400, 640),
                streamed(MARKUP, 700, 0, 5));

        Path profile = Files.createTempDirectory(folder, "chromium");
        try (var service = ServiceProcess.start("playground",
                ServiceProcess.environment(folder.resolve("data"), "http://127.0.0.1:" + upstream.port()), folder);
                var browser = Chromium.launch(Chromium.find().orElseThrow(), profile, 1280, 900)) {
            browser.open(service.baseUrl() + "/playground/");
            // Keys are configured, so without one the page says it is not connected, in the API's own words.
            browser.waitFor("$('connection-status').textContent.includes('Not connected')", Duration.ofSeconds(10));
            assertThat(browser.eval("$('connection-status').textContent").asText()).contains("Missing bearer");

            browser.eval("$('api-key').value = 'sk-acme-it'; $('connect').click()");
            browser.waitFor("$('connection-status').textContent.startsWith('Connected')", Duration.ofSeconds(10));
            browser.eval("""
                    $('model').value = 'gpt-chat';
                    document.querySelectorAll('#tools input').forEach(c => c.checked = c.value !== 'web_extractor');
                    window.changes = 0;
                    new MutationObserver(m => window.changes += m.length)
                        .observe($('transcript'), {subtree: true, childList: true, characterData: true});
                    """);

            say(browser, "Tell me about Kaiwa, and draw a dot.", 1);
            assertThat(browser.eval("window.changes").asInt()).as("answers appear as they stream").isGreaterThan(20);
            assertThat(browser.eval("document.querySelector('details.reasoning').open").asBoolean()).isFalse();
            assertThat(browser.eval("document.querySelector('details.reasoning').textContent").asText())
                    .contains("The user wants Kaiwa. I should search first.");
            List<String> tools = texts(browser, ".turn .tool .head");
            assertThat(tools).containsExactly("Searched the web: \u201ckaiwa playground\u201d", "Ran code");
            assertThat(browser.eval("document.querySelector('.tool a').href").asText())
                    .isEqualTo("https://example.org/kaiwa");
            assertThat(browser.eval("document.querySelector('.tool pre.code').textContent").asText())
                    .contains("open('dot.png','wb')");
            assertThat(browser.eval("document.querySelector('.tool pre.output').textContent").asText())
                    .contains("made dot.png");
            assertThat(browser.eval("document.querySelector('.tool img').src").asText())
                    .startsWith("data:image/png;base64,");
            assertThat(browser.eval("document.querySelector('.tool img').naturalWidth").asInt()).isEqualTo(48);
            assertThat(texts(browser, ".bubble.assistant").get(0)).startsWith("FIRST. Kaiwa keeps");
            // Three model calls in the turn: their usage added up, and priced.
            String meta = texts(browser, ".meta").get(0);
            assertThat(meta).contains("in (0 cached)").contains("640 out").contains("$").contains("gpt-chat");
            assertThat(browser.eval("$('context-label').textContent").asText()).contains("of 8,000 tokens");
            Files.createDirectories(Path.of("target", "playground"));
            browser.eval("$('transcript').scrollTop = 0");
            Files.write(Path.of("target", "playground", "first-turn.png"), browser.screenshot());

            say(browser, "And its memory?", 2);
            assertThat(texts(browser, ".meta").get(1)).contains("1,100 in (400 cached)").contains("conversation $");
            // The second turn continued the first: the provider was sent its question and answer.
            assertThat(upstream.findAll(postRequestedFor(urlEqualTo(CHAT))).get(3).getBodyAsString())
                    .contains("Tell me about Kaiwa").contains("FIRST. Kaiwa keeps");

            say(browser, "Thanks!", 3);
            assertThat(texts(browser, ".notice")).containsExactly(
                    "Earlier turns were folded into a summary here, to stay inside the context window.");
            assertThat(browser.eval("$('context-label').textContent").asText()).contains("compacted at turn 3")
                    .contains("2 turns summarized");
            assertThat(browser.eval("parseFloat($('context-fill').style.width)").asDouble()).isPositive();
            assertThat(texts(browser, ".bubble.assistant")).last().isEqualTo(MARKUP);
            assertThat(browser.eval("document.querySelectorAll('.bubble img, .bubble b').length").asInt()).isZero();
            assertThat(browser.eval("window.pwned === undefined").asBoolean()).isTrue();
            Files.write(Path.of("target", "playground", "compacted.png"), browser.screenshot());

            // A reload finds the conversation listed and its turns as they were.
            browser.open(service.baseUrl() + "/playground/");
            browser.waitFor("document.querySelectorAll('.turn').length === 3", Duration.ofSeconds(10));
            assertThat(texts(browser, ".conversation .title"))
                    .containsExactly("Tell me about Kaiwa, and draw a dot.");
            assertThat(browser.eval("document.querySelectorAll('.tool img').length").asInt()).isEqualTo(1);
            assertThat(browser.pageErrors()).isEmpty();
        }
    }

    /** Types a message, sends it and waits until the turn has ended. */
    static void say(Chromium browser, String text, int turns) {
        browser.eval("$('prompt').value = " + JSON.valueToTree(text) + "; $('send').click()");
        browser.waitFor("document.body.dataset.turns === '" + turns + "'", Duration.ofSeconds(30));
        assertThat(browser.eval("document.querySelectorAll('.turn .error').length").asInt())
                .as(browser.eval("document.body.innerText").asText()).isZero();
    }

    static List<String> texts(Chromium browser, String selector) {
        var list = browser.eval("[...document.querySelectorAll('" + selector + "')].map(e => e.textContent)");
        return JSON.convertValue(list, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }
}
