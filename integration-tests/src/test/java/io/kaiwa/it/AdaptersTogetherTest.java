package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.kaiwa.chat.ChatCompletionsAdapter;
import io.kaiwa.core.Chaining;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.responses.ResponsesAdapter;
import io.kaiwa.testing.UpstreamTest;

/**
 * The library modules used together, as a user who imports both adapters does: one conversation moves between
 * the Chat Completions and Responses adapters. (Neither adapter depends on the other, so this lives here.)
 */
class AdaptersTogetherTest extends UpstreamTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "qwen3-max-2026-01-23";
    static final String CHAT_PATH = "/compatible-mode/v1/chat/completions";
    static final String RESPONSES_PATH = "/api/v2/apps/protocols/compatible-mode/v1";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-22T12:00:00Z"), ZoneOffset.UTC);
    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aConversationStartedOnChatCompletionsContinuesOnResponsesAndGoesBack() {
        upstream.stubFor(post(urlEqualTo(CHAT_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(
                        """
                                {"id":"chatcmpl-1","object":"chat.completion","created":1769084048,"model":"qwen-plus",
                                 "choices":[{"index":0,"message":{"role":"assistant","content":"覚えました。"},
                                 "finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}""")));
        responsesAnswer(Scenario.STARTED, "second", response("resp_1", "田中さんです。", 30, 5));
        responsesAnswer("second", "third", response("resp_2", "東京です。", 50, 4));
        try (var chat = ChatCompletionsAdapter.builder().baseUrl(upstream.baseUrl() + "/compatible-mode/v1")
                .apiKey("sk-test").model(MODEL).vertx(vertx).clock(CLOCK).build();
                var responses = ResponsesAdapter.builder().baseUrl(upstream.baseUrl() + RESPONSES_PATH)
                        .apiKey("sk-test").model(MODEL).vertx(vertx).clock(CLOCK).build()) {
            var c = Conversation.create();
            c = c.withTurn(chat.send(c, List.of(MessageItem.user("私は田中です。"))).await().atMost(WAIT));
            c = c.withTurn(responses.send(c, List.of(MessageItem.user("私の名前は?"))).await().atMost(WAIT));
            c = c.withTurn(responses.send(c, List.of(MessageItem.user("首都は?"))).await().atMost(WAIT));
            c = c.withTurn(chat.send(c, List.of(MessageItem.user("ありがとう"))).await().atMost(WAIT));

            List<JsonNode> sent = sent(RESPONSES_PATH + "/responses");
            assertThat(sent.get(0)).isEqualTo(tree("""
                    {"model":"qwen3-max-2026-01-23","input":[%s,
                     {"type":"message","role":"assistant","status":"completed",
                      "content":[{"type":"output_text","text":"覚えました。","annotations":[]}]},
                     %s]}""".formatted(userMessage("私は田中です。"), userMessage("私の名前は?"))));
            assertThat(c.turns().get(1).chaining().mode()).isEqualTo(Chaining.Mode.NO_PREVIOUS_RESPONSE);
            assertThat(sent.get(1)).isEqualTo(tree("""
                    {"model":"qwen3-max-2026-01-23","input":"首都は?","previous_response_id":"resp_1"}"""));
            assertThat(sent(CHAT_PATH).get(1)).isEqualTo(tree("""
                    {"model":"qwen3-max-2026-01-23","messages":[
                     {"role":"user","content":"私は田中です。"},{"role":"assistant","content":"覚えました。"},
                     {"role":"user","content":"私の名前は?"},{"role":"assistant","content":"田中さんです。"},
                     {"role":"user","content":"首都は?"},{"role":"assistant","content":"東京です。"},
                     {"role":"user","content":"ありがとう"}]}"""));
            assertThat(c.totals().inputTokens()).isEqualTo(10 + 30 + 50 + 10);
        }
    }

    private static void responsesAnswer(String state, String next, String body) {
        upstream.stubFor(post(urlEqualTo(RESPONSES_PATH + "/responses")).inScenario("calls")
                .whenScenarioStateIs(state).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(body))
                .willSetStateTo(next));
    }

    private static String response(String id, String text, int inputTokens, int outputTokens) {
        return """
                {"id":"%s","object":"response","created_at":1769084048,"status":"completed","model":"%s",
                 "output":[{"id":"msg_%s","type":"message","role":"assistant","status":"completed",
                  "content":[{"type":"output_text","text":"%s","annotations":[]}]}],
                 "usage":{"input_tokens":%d,"output_tokens":%d,"total_tokens":%d}}"""
                .formatted(id, MODEL, id, text, inputTokens, outputTokens, inputTokens + outputTokens);
    }

    private static List<JsonNode> sent(String path) {
        return upstream.findAll(postRequestedFor(urlEqualTo(path))).stream().map(LoggedRequest::getBodyAsString)
                .map(AdaptersTogetherTest::tree).toList();
    }

    private static String userMessage(String text) {
        return "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"" + text
                + "\"}]}";
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
