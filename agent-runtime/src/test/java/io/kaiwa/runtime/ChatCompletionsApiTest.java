package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswers;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static io.kaiwa.runtime.StreamingApiTest.chatStream;
import static io.kaiwa.runtime.StreamingApiTest.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@code POST /v1/chat/completions}, served through the Responses API's providers, policies and store. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class ChatCompletionsApiTest {
    static final String CHAT = "/chat/v1/chat/completions";

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    static Response complete(String body) {
        return acme().body(body).post("/v1/chat/completions");
    }

    @Test
    void aConversationWithAToolRoundIsSentAsTheProviderExpectsAndAnsweredAsAChatCompletion() {
        chatAnswers("It is sunny in Paris.");

        Response r = complete("""
                {"model":"gpt-chat","temperature":0.2,"max_tokens":50,"messages":[
                 {"role":"system","content":"Be brief."},
                 {"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                  "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"sunny"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}""");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode completion = tree(r.asString());
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("id").asText()).startsWith("chatcmpl-");
        assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("It is sunny in Paris.");
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(completion.at("/usage/prompt_tokens").asInt()).isEqualTo(10);
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(3);

        JsonNode upstream = sent(CHAT).get(0);
        assertThat(upstream.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(upstream.get("max_tokens").asInt()).isEqualTo(50);
        JsonNode messages = upstream.get("messages");
        assertThat(messages).extracting(m -> m.get("role").asText()).containsExactly("system", "user", "assistant",
                "tool");
        assertThat(messages.get(2).at("/tool_calls/0/function/name").asText()).isEqualTo("get_weather");
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(upstream.at("/tools/0/function/name").asText()).isEqualTo("get_weather");
        // Chat Completions does not store unless asked.
        String responseId = "resp_" + completion.get("id").asText().substring("chatcmpl-".length());
        assertThat(acme().get("/v1/responses/" + responseId).statusCode()).isEqualTo(404);
    }

    @Test
    void aToolCallComesBackAsToolCallsAndAStoredCompletionIsAResponse() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1,"model":"gpt-chat","choices":[{"index":0,
                         "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function",
                         "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Oslo\\"}"}}]},
                         "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":5,"completion_tokens":2,
                         "total_tokens":7}}""")));

        JsonNode completion = tree(complete("""
                {"model":"gpt-chat","store":true,"messages":[{"role":"user","content":"Weather in Oslo?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}""")
                .asString());

        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(completion.at("/choices/0/message/content").isNull()).isTrue();
        JsonNode call = completion.at("/choices/0/message/tool_calls/0");
        assertThat(call.get("id").asText()).isEqualTo("call_9");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(call.at("/function/arguments").asText()).isEqualTo("{\"city\":\"Oslo\"}");
        String responseId = "resp_" + completion.get("id").asText().substring("chatcmpl-".length());
        assertThat(acme().get("/v1/responses/" + responseId).statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamedCompletionSendsChunksThenTheUsageChunkThenDone() {
        chatStream(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + chunk("{\"content\":\"Hel\"}", null)
                + chunk("{\"content\":\"lo\"}", null) + chunk("{}", "stop")
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}\n\n"
                + "data: [DONE]\n\n");

        Response r = complete("{\"model\":\"gpt-chat\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(r.contentType()).startsWith("text/event-stream");
        String body = r.asString();
        assertThat(body).endsWith("data: [DONE]\n\n");
        List<JsonNode> chunks = StreamingApiTest.events(body.replace("data: [DONE]\n\n", ""));
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        var text = new StringBuilder();
        chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
        assertThat(text.toString()).isEqualTo("Hello");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/total_tokens").asInt()).isEqualTo(6);
        assertThat(chunks).extracting(c -> c.get("id").asText()).containsOnly(chunks.get(0).get("id").asText());
    }

    @Test
    void aResponsesProviderServesAChatCompletionsClient() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/resp/v1/responses")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"resp-up-9","object":"response","created_at":1769417481,"status":"completed",
                         "model":"qwen3-max-2026-01-23","output":[{"id":"msg_1","type":"message","role":"assistant",
                         "status":"completed","content":[{"type":"output_text","text":"Bonjour","annotations":[]}]}],
                         "usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}""")));

        JsonNode completion = tree(complete("{\"model\":\"qwen3-max-2026-01-23\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Say hello in French\"}]}").asString());

        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("Bonjour");
        JsonNode input = sent("/resp/v1/responses").get(0).get("input");
        assertThat(input.toString()).contains("Say hello in French");
    }

    @Test
    void theDashScopeNativeApiServesAChatCompletionsClientWithItsExtras() {
        ResponsesApiTest.nativeAnswer();

        JsonNode completion = tree(complete("{\"model\":\"qwen-plus-native\",\"enable_thinking\":false,"
                + "\"messages\":[{\"role\":\"system\",\"content\":\"丁寧に\"},{\"role\":\"user\",\"content\":\"やあ\"}]}")
                .asString());

        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("はい");
        JsonNode sent = sent("/native/api/v1/services/aigc/text-generation/generation").get(0);
        assertThat(sent.at("/input/messages/0/role").asText()).isEqualTo("system");
        assertThat(sent.at("/input/messages/1/content").asText()).isEqualTo("やあ");
        assertThat(sent.at("/parameters/enable_thinking").booleanValue()).isFalse();
    }

    @Test
    void logprobsAndStopReachTheProviderAndTheTokensComeBackOnTheChoice() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1,"model":"gpt-chat","choices":[{"index":0,
                         "message":{"role":"assistant","content":"Hi"},"finish_reason":"stop","logprobs":{"content":[
                         {"token":"Hi","logprob":-0.01,"bytes":[72,105],"top_logprobs":[]}]}}],
                         "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""")));

        JsonNode completion = tree(complete("{\"model\":\"gpt-chat\",\"logprobs\":true,\"top_logprobs\":1,"
                + "\"stop\":[\"END\"],\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").asString());

        JsonNode sent = sent(CHAT).get(0);
        assertThat(sent.get("logprobs").asBoolean()).isTrue();
        assertThat(sent.get("top_logprobs").asInt()).isEqualTo(1);
        assertThat(sent.at("/stop/0").asText()).isEqualTo("END");
        assertThat(completion.at("/choices/0/logprobs/content/0/token").asText()).isEqualTo("Hi");
    }

    @Test
    void aBadRequestIsRefusedNamingTheChatCompletionsField() {
        assertThat(complete("{\"model\":\"gpt-chat\"}").jsonPath().getString("error.param")).isEqualTo("messages");
        assertThat(complete("{\"model\":\"gpt-chat\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
                .jsonPath().getString("error.param")).isEqualTo("messages[0].role");
        assertThat(complete("{\"model\":\"gpt-chat\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}")
                .jsonPath().getString("error.param")).isEqualTo("n");
        assertThat(complete("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").jsonPath()
                .getString("error.param")).isEqualTo("model");
        assertThat(complete("{\"model\":\"gpt-chat\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"video\"}]}]}").jsonPath().getString("error.param")).isEqualTo("messages[0].content[0].type");
        assertThat(sent(CHAT)).isEmpty();
    }
}
