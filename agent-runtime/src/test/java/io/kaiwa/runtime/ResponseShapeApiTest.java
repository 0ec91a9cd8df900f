package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswers;
import static io.kaiwa.runtime.ResponsesApiTest.create;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The response object as strict clients (the Open Responses schemas) read it. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class ResponseShapeApiTest {

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    @Test
    void everyFieldTheResponseObjectRequiresIsThereWithOpenAisDefaultsOrTheRequestsValues() {
        chatAnswers("hi", "hi");
        JsonNode plain = tree(create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\"}").asString());
        assertThat(plain.get("presence_penalty").asDouble()).isZero();
        assertThat(plain.get("frequency_penalty").asDouble()).isZero();
        assertThat(plain.get("top_logprobs").isInt()).isTrue();
        assertThat(plain.get("service_tier").asText()).isEqualTo("default");
        assertThat(plain.get("safety_identifier").isNull()).isTrue();
        assertThat(plain.get("prompt_cache_key").isNull()).isTrue();
        assertThat(plain.get("tools").isArray()).isTrue();

        JsonNode given = tree(create(acme(), """
                {"model":"gpt-chat","input":"x","presence_penalty":0.5,"frequency_penalty":-0.5,"top_logprobs":3,
                 "safety_identifier":"user-7","prompt_cache_key":"k1","service_tier":"flex",
                 "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"},"x_extra":1}]}""")
                .asString());
        assertThat(given.get("presence_penalty").asDouble()).isEqualTo(0.5);
        assertThat(given.get("frequency_penalty").asDouble()).isEqualTo(-0.5);
        assertThat(given.get("top_logprobs").asInt()).isEqualTo(3);
        assertThat(given.get("safety_identifier").asText()).isEqualTo("user-7");
        assertThat(given.get("prompt_cache_key").asText()).isEqualTo("k1");
        // The tier served, not the one asked for: Kaiwa has one.
        assertThat(given.get("service_tier").asText()).isEqualTo("default");
        JsonNode tool = given.at("/tools/0");
        assertThat(tool.get("name").asText()).isEqualTo("get_weather");
        assertThat(tool.get("description").isNull()).isTrue();
        assertThat(tool.get("strict").isNull()).isTrue();
        assertThat(tool.get("parameters").get("type").asText()).isEqualTo("object");
        assertThat(tool.get("x_extra").asInt()).isEqualTo(1);
    }

    @Test
    void includeTakesWhatTheResponsesApiOffersAndRefusesAnythingElseNamingIt() {
        chatAnswers("hi");
        assertThat(create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"include\":["
                + "\"web_search_call.action.sources\",\"code_interpreter_call.outputs\",\"reasoning.encrypted_content\"]}")
                .statusCode()).isEqualTo(200);

        var refused = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"include\":["
                + "\"code_interpreter_call.outputs\",\"everything\"]}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.jsonPath().getString("error.param")).isEqualTo("include[1]");
        assertThat(refused.jsonPath().getString("error.message")).contains("'everything'")
                .contains("'reasoning.encrypted_content'");
        assertThat(create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"include\":\"all\"}").jsonPath()
                .getString("error.param")).isEqualTo("include");
    }

    @Test
    void logprobsAskedForWithIncludeReachAChatProviderAndComeBackOnTheText() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"id":"c","object":"chat.completion","created":1,"model":"gpt-chat","choices":[{"index":0,
                         "message":{"role":"assistant","content":"Hi"},"finish_reason":"stop","logprobs":{"content":[
                         {"token":"Hi","logprob":-0.01,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.01,
                         "bytes":[72,105]},{"token":"Hey","logprob":-4.2,"bytes":[72,101,121]}]}]}}],
                         "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""")));

        JsonNode r = tree(create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"top_logprobs\":2,"
                + "\"include\":[\"message.output_text.logprobs\"]}").asString());

        JsonNode sent = ResponsesApiTest.sent("/chat/v1/chat/completions").get(0);
        assertThat(sent.get("logprobs").asBoolean()).isTrue();
        assertThat(sent.get("top_logprobs").asInt()).isEqualTo(2);
        assertThat(sent.has("include")).isFalse();
        JsonNode logprobs = r.at("/output/0/content/0/logprobs");
        assertThat(logprobs).hasSize(1);
        assertThat(logprobs.at("/0/token").asText()).isEqualTo("Hi");
        assertThat(logprobs.at("/0/top_logprobs/1/token").asText()).isEqualTo("Hey");
    }

    @Test
    void aProvidersNullLogprobsOnOutputTextAreLeftOut() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/resp/v1/responses")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"id":"resp-up-1","object":"response","created_at":1769417481.0,"status":"completed",
                         "model":"qwen3-max-2026-01-23","output":[{"id":"msg_1","type":"message","role":"assistant",
                         "status":"completed","content":[{"type":"output_text","text":"hi","annotations":[],
                         "logprobs":null}]}],"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}""")));

        JsonNode r = tree(create(acme(), "{\"model\":\"qwen3-max-2026-01-23\",\"input\":\"x\"}").asString());

        JsonNode part = r.at("/output/0/content/0");
        assertThat(part.get("text").asText()).isEqualTo("hi");
        assertThat(part.has("logprobs")).isFalse();
    }
}
