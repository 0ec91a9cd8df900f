package io.kaiwa.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.chat.Fixtures.WAIT;
import static io.kaiwa.chat.Fixtures.quote;
import static io.kaiwa.chat.Fixtures.seed;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.ContentFilteredException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.FunctionTool;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.testing.UpstreamTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

class DashScopeAdapterTest extends UpstreamTest {
    private static final String TEXT = "/api/v1/services/aigc/text-generation/generation";
    private static final String MULTIMODAL = "/api/v1/services/aigc/multimodal-generation/generation";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DashScopeAdapter.Builder adapter() {
        return DashScopeAdapter.builder().baseUrl(upstream.baseUrl() + "/api/v1").apiKey("sk-test").model("qwen-plus")
                .vertx(vertx).retryPolicy(Fixtures.QUICK_RETRIES)
                .clock(Clock.fixed(Instant.parse("2026-01-22T10:00:00Z"), ZoneOffset.UTC));
    }

    /** A native answer as the API sends it with {@code result_format: message}. */
    private static String answer(String requestId, String contentJson, String reasoning, int in, int out) {
        return """
                {"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":%s%s}}]},
                 "usage":{"input_tokens":%d,"output_tokens":%d,"total_tokens":%d,
                 "prompt_tokens_details":{"cached_tokens":0}},"request_id":"%s"}"""
                .formatted(contentJson, reasoning == null ? "" : ",\"reasoning_content\":" + quote(reasoning), in, out,
                        in + out, requestId);
    }

    private static void stub(String path, String body, String contentType) {
        upstream.stubFor(post(urlEqualTo(path))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body)));
    }

    private static List<JsonNode> sent(String path) {
        return upstream.findAll(postRequestedFor(urlEqualTo(path))).stream().map(LoggedRequest::getBodyAsString)
                .map(DashScopeAdapterTest::tree).toList();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed's body plus what Kaiwa always asks for: answers as messages. */
    private static JsonNode seedWithMessageFormat(String name) {
        var body = (ObjectNode) tree(seed(name));
        if (!body.has("parameters")) {
            body.putObject("parameters").put("result_format", "message");
        }
        return body;
    }

    @Test
    void rebuildsTheSeedsTextConversation() {
        try (var adapter = adapter().build()) {
            var c = Conversation.builder().instructions("あなたは役に立つアシスタントです。").build();
            stub(TEXT, answer("r1", "\"こんにちは、私は Qwen です。\"", null, 30, 10), "application/json");
            c = c.withTurn(adapter.send(c, List.of(MessageItem.user("こんにちは"))).await().atMost(WAIT));

            Turn second = adapter.send(c, List.of(MessageItem.user("何ができますか?"))).await().atMost(WAIT);

            assertThat(sent(TEXT).get(1))
                    .isEqualTo(seedWithMessageFormat("chat/02-quickstart-dashscope-text.request.json"));
            assertThat(second.id()).isEqualTo("r1");
            assertThat(second.usage()).isEqualTo(Usage.of(30, 10));
        }
    }

    @Test
    void sendsImagesToTheMultimodalEndpointInItsContentShape() {
        try (var adapter = adapter().model("qwen3-vl-plus").build()) {
            String image = "https://help-static-aliyun-doc.aliyuncs.com/file-manage-files/zh-CN/20251031/ownrof/"
                    + "f26d201b1e3f4e62ab4a1fc82dd5c9bb.png";
            stub(MULTIMODAL, answer("m1", "[{\"text\":\"The image shows three items: a pair of light blue overalls, "
                    + "a blue and white striped short-sleeve shirt, and a pair of white sneakers.\"}]", null, 900, 30),
                    "application/json");
            var c = Conversation.create();
            Turn first = adapter.send(c, List.of(MessageItem.user(InputImage.ofUrl(image),
                    new InputText("What products are shown in the image?")))).await().atMost(WAIT);
            c = c.withTurn(first);

            adapter.send(c, List.of(MessageItem.user("What style are they?"))).await().atMost(WAIT);

            assertThat(first.outputText()).startsWith("The image shows three items");
            assertThat(sent(MULTIMODAL).get(1))
                    .isEqualTo(seedWithMessageFormat("chat/04-multimodal-dashscope.request.json"));
            assertThat(sent(TEXT)).isEmpty();
        }
    }

    private static final String THINKING_STREAM = event(1, "{\"output\":{\"choices\":[{\"message\":{\"content\":\"\","
            + "\"reasoning_content\":\"ユーザーは\",\"role\":\"assistant\"},\"finish_reason\":\"null\"}]},"
            + "\"usage\":{\"total_tokens\":25,\"input_tokens\":22,\"output_tokens\":3,"
            + "\"output_tokens_details\":{\"reasoning_tokens\":3}},\"request_id\":\"s-1\"}")
            + event(2, "{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":\"名前を聞いている。\","
                    + "\"role\":\"assistant\"},\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":30,"
                    + "\"input_tokens\":22,\"output_tokens\":8,\"output_tokens_details\":{\"reasoning_tokens\":8}},"
                    + "\"request_id\":\"s-1\"}")
            + event(3, "{\"output\":{\"choices\":[{\"message\":{\"content\":\"私は Qwen です。\",\"reasoning_content\":\"\","
                    + "\"role\":\"assistant\"},\"finish_reason\":\"null\"}]},\"usage\":{\"total_tokens\":36,"
                    + "\"input_tokens\":22,\"output_tokens\":14,\"output_tokens_details\":{\"reasoning_tokens\":8}},"
                    + "\"request_id\":\"s-1\"}")
            + event(4, "{\"output\":{\"choices\":[{\"message\":{\"content\":\"\",\"reasoning_content\":\"\","
                    + "\"role\":\"assistant\"},\"finish_reason\":\"stop\"}]},\"usage\":{\"total_tokens\":36,"
                    + "\"input_tokens\":22,\"output_tokens\":14,\"output_tokens_details\":{\"reasoning_tokens\":8}},"
                    + "\"request_id\":\"s-1\"}");

    /** One event as DashScope frames it: id, event type, the status comment, then data; no [DONE] at the end. */
    private static String event(int id, String data) {
        return "id:" + id + "\nevent:result\n:HTTP_STATUS/200\ndata:" + data + "\n\n";
    }

    @Test
    void streamsThinkingWithDashScopesFramingAndNoDoneMarker() {
        try (var adapter = adapter().enableThinking(true).build()) {
            var c = Conversation.create().withTurn(Turn.completed(List.of(MessageItem.user("Hello")),
                    List.of(ReasoningItem.ofText("greeting"),
                            MessageItem.assistant("Hello! Nice to meet you. Is there anything I can help you with?"))));
            stub(TEXT, THINKING_STREAM, "text/event-stream");

            List<StreamEvent> events = adapter.stream(c, List.of(MessageItem.user("Who are you?"))).collect().asList()
                    .await().atMost(WAIT);

            upstream.verify(postRequestedFor(urlEqualTo(TEXT)).withHeader("X-DashScope-SSE", equalTo("enable"))
                    .withHeader("Accept", equalTo("text/event-stream")));
            assertThat(sent(TEXT).get(0)).isEqualTo(tree(seed("chat/06-thinking-dashscope-stream.request.json")));
            assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("ItemAdded",
                    "ReasoningDelta", "ReasoningDelta", "ItemAdded", "TextDelta", "ItemDone", "ItemDone",
                    "UsageReported", "Completed");
            Turn turn = ((StreamEvent.Completed) events.get(events.size() - 1)).turn();
            assertThat(turn.output().get(0)).isEqualTo(ReasoningItem.ofText("ユーザーは名前を聞いている。"));
            assertThat(turn.outputText()).isEqualTo("私は Qwen です。");
            assertThat(turn.usage()).isEqualTo(new Usage(22, 14, 36, 0, 8, null));
        }
    }

    @Test
    void aStreamedTurnEqualsTheWholeOne() {
        try (var adapter = adapter().build()) {
            var c = Conversation.create();
            stub(TEXT, THINKING_STREAM, "text/event-stream");
            Turn streamed = ((StreamEvent.Completed) adapter.stream(c, List.of(MessageItem.user("Who?"))).collect()
                    .last().await().atMost(WAIT)).turn();
            stub(TEXT, """
                    {"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant",
                     "content":"私は Qwen です。","reasoning_content":"ユーザーは名前を聞いている。"}}]},
                     "usage":{"total_tokens":36,"input_tokens":22,"output_tokens":14,
                     "output_tokens_details":{"reasoning_tokens":8}},"request_id":"s-1"}""", "application/json");

            Turn whole = adapter.send(c, List.of(MessageItem.user("Who?"))).await().atMost(WAIT);

            assertThat(streamed).isEqualTo(whole);
        }
    }

    @Test
    void aRejectedStreamRequestMapsTheCodeInsideItsEventStream() {
        upstream.stubFor(post(urlEqualTo(TEXT)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "text/event-stream").withBody("id:1\nevent:error\n:HTTP_STATUS/400\n"
                        + "data:{\"code\":\"InvalidParameter\",\"message\":\"Range of input length should be [1, 30720]\","
                        + "\"request_id\":\"e-1\"}\n\n")));
        try (var adapter = adapter().build()) {
            var failure = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)).awaitFailure(WAIT).getFailure();

            assertThat(failure).isInstanceOf(io.kaiwa.core.exception.ContextWindowExceededException.class);
            assertThat(((InvalidRequestException) failure).code()).isEqualTo("InvalidParameter");
        }
    }

    @Test
    void anErrorEventMidStreamEndsWithAFailedTurn() {
        stub(TEXT, event(1, "{\"output\":{\"choices\":[{\"message\":{\"content\":\"途中\",\"role\":\"assistant\"},"
                + "\"finish_reason\":\"null\"}]},\"request_id\":\"f-1\"}")
                + "id:2\nevent:error\n:HTTP_STATUS/400\ndata:{\"code\":\"DataInspectionFailed\","
                + "\"message\":\"Output data may contain inappropriate content.\",\"request_id\":\"f-1\"}\n\n",
                "text/event-stream");
        try (var adapter = adapter().build()) {
            var events = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).collect().asList()
                    .await().atMost(WAIT);

            var failed = (StreamEvent.Failed) events.get(events.size() - 1);
            assertThat(failed.error()).isInstanceOf(ContentFilteredException.class);
            assertThat(failed.turn().status()).isEqualTo(TurnStatus.FAILED);
            assertThat(failed.turn().outputText()).isEqualTo("途中");
        }
    }

    @Test
    void writesEachCallsOptionsInsideParameters() {
        stub(TEXT, answer("r-1", "\"ok\"", null, 1, 1), "application/json");
        try (var adapter = adapter().build()) {
            adapter.send(Conversation.create(), List.of(MessageItem.user("q")), RequestOptions.builder()
                    .maxOutputTokens(32).temperature(0.5).enableThinking(false)
                    .tools(List.of(new FunctionTool("lookup", "Looks up", null)))
                    .extra("seed", JSON.getNodeFactory().numberNode(3)).build()).await().atMost(WAIT);

            assertThat(sent(TEXT).get(0).get("parameters")).isEqualTo(tree("""
                    {"result_format":"message","tools":[{"type":"function","function":{"name":"lookup",
                     "description":"Looks up"}}],"max_tokens":32,"temperature":0.5,"enable_thinking":false,
                     "seed":3}"""));
        }
    }

    @Test
    void sendsACacheMarkedMessageAsTextPartsWithItsMarkerAndNoPromptCacheKey() {
        stub(TEXT, answer("r-2", "\"ok\"", null, 1, 1), "application/json");
        try (var adapter = adapter().build()) {
            var marked = KaiwaJson.readItem("""
                    {"type":"message","role":"user","content":[{"type":"input_text","text":"a long document",
                     "cache_control":{"type":"ephemeral"}}]}""");

            adapter.send(Conversation.create(), List.of(marked, MessageItem.user("q")),
                    RequestOptions.builder().promptCacheKey("tenant-1").build()).await().atMost(WAIT);

            JsonNode sent = sent(TEXT).get(0);
            assertThat(sent.get("input").get("messages")).isEqualTo(tree("""
                    [{"role":"user","content":[{"type":"text","text":"a long document",
                      "cache_control":{"type":"ephemeral"}}]},
                     {"role":"user","content":"q"}]"""));
            assertThat(sent.get("parameters").has("prompt_cache_key")).isFalse();
        }
    }
}
