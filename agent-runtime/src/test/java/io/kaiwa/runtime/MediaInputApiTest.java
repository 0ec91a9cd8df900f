package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.chatAnswers;
import static io.kaiwa.runtime.ResponsesApiTest.createOk;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Images, audio and files in a request's input reach each provider style in its own content shapes. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class MediaInputApiTest {
    static final String IMAGE = "data:image/png;base64,iVBORw0KGgo=";
    static final String MEDIA = """
            {"type":"message","role":"user","content":[{"type":"input_text","text":"What is in these?"},
             {"type":"input_image","image_url":"%s","detail":"high"},
             {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
             {"type":"input_file","file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}]}"""
            .formatted(IMAGE);

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    @Test
    void aChatCompletionsProviderGetsImageAudioAndFileParts() {
        chatAnswers("A picture, a sound and a document.");

        createOk("{\"model\":\"gpt-chat\",\"input\":[" + MEDIA + "]}");

        JsonNode content = sent("/chat/v1/chat/completions").get(0).at("/messages/0/content");
        assertThat(content.get(0).get("type").asText()).isEqualTo("text");
        assertThat(content.get(1).get("type").asText()).isEqualTo("image_url");
        assertThat(content.get(1).at("/image_url/url").asText()).isEqualTo(IMAGE);
        assertThat(content.get(1).at("/image_url/detail").asText()).isEqualTo("high");
        assertThat(content.get(2).get("type").asText()).isEqualTo("input_audio");
        assertThat(content.get(2).at("/input_audio/format").asText()).isEqualTo("wav");
        assertThat(content.get(3).get("type").asText()).isEqualTo("file");
        assertThat(content.get(3).at("/file/filename").asText()).isEqualTo("a.pdf");
    }

    @Test
    void theDashScopeNativeApiIsAskedOnItsMultimodalEndpointWithImageAndAudioEntries() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo(
                "/native/api/v1/services/aigc/multimodal-generation/generation")).willReturn(aResponse()
                        .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                                {"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant",
                                 "content":[{"text":"猫の写真です"}]}}]},"usage":{"input_tokens":50,"output_tokens":5},
                                 "request_id":"r2"}""")));

        createOk("""
                {"model":"qwen-plus-native","input":[{"type":"message","role":"user","content":[
                 {"type":"input_text","text":"何が写っていますか?"},{"type":"input_image","image_url":"%s"},
                 {"type":"input_audio","input_audio":{"data":"https://example.com/a.wav","format":"wav"}}]}]}"""
                .formatted(IMAGE));

        JsonNode content = sent("/native/api/v1/services/aigc/multimodal-generation/generation").get(0)
                .at("/input/messages/0/content");
        assertThat(content.toString()).contains("\"text\":\"何が写っていますか?\"").contains("\"image\":\"" + IMAGE + "\"")
                .contains("\"audio\":");
    }
}
