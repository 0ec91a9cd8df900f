package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class StreamingApiTest {

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    static void chatStream(String body) {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body)));
    }

    /** @return the events of an SSE body, as JSON */
    static List<JsonNode> events(String sse) {
        var out = new ArrayList<JsonNode>();
        for (String block : sse.split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data: ")) {
                    out.add(tree(line.substring(6)));
                }
            }
        }
        return out;
    }

    @Test
    void aRefusalStreamsAsARefusalPartWithItsOwnEvents() {
        chatStream(chunk("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't \"}", null)
                + chunk("{\"refusal\":\"help with that.\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n");

        Response r = acme().body("{\"model\":\"gpt-chat\",\"input\":\"x\",\"stream\":true}").post("/v1/responses");

        List<JsonNode> events = events(r.asString());
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("response.created",
                "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.refusal.delta", "response.refusal.delta", "response.refusal.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(events.get(3).at("/part/type").asText()).isEqualTo("refusal");
        assertThat(events.get(6).get("refusal").asText()).isEqualTo("I can't help with that.");
        JsonNode part = events.get(9).at("/response/output/0/content/0");
        assertThat(part.get("type").asText()).isEqualTo("refusal");
        assertThat(part.get("refusal").asText()).isEqualTo("I can't help with that.");
    }

    @Test
    void streamsOpenAiEventsWithRisingSequenceNumbersAndStoresTheResponse() {
        chatStream(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + chunk("{\"content\":\"Hel\"}", null)
                + chunk("{\"content\":\"lo\"}", null) + chunk("{}", "stop")
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}\n\n"
                + "data: [DONE]\n\n");

        Response r = acme().body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"stream\":true}").post("/v1/responses");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/event-stream");
        List<JsonNode> events = events(r.asString());
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("response.created",
                "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
        }
        String itemId = events.get(2).at("/item/id").asText();
        assertThat(events).filteredOn(e -> e.has("item_id")).allSatisfy(e -> assertThat(e.get("item_id").asText())
                .isEqualTo(itemId));
        JsonNode done = events.get(events.size() - 1).get("response");
        assertThat(done.at("/output/0/id").asText()).isEqualTo(itemId);
        assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("Hello");
        assertThat(done.at("/usage/total_tokens").asInt()).isEqualTo(6);
        assertThat(tree(acme().get("/v1/responses/" + done.get("id").asText()).asString())).isEqualTo(done);
        assertThat(tree(TestUpstreams.upstream.getAllServeEvents().get(0).getRequest().getBodyAsString())
                .get("stream").asBoolean()).isTrue();
    }

    @Test
    void aProviderRefusalBeforeTheFirstEventIsAnHttpErrorNotAStream() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(429).withHeader("x-should-retry", "false").withBody("""
                        {"error":{"message":"Slow down","type":"requests","code":"rate_limit_exceeded"}}""")));

        Response r = acme().body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"stream\":true}").post("/v1/responses");

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void aStreamCutMidwayEndsWithResponseFailedAndIsStoredAsFailed() {
        chatStream(chunk("{\"role\":\"assistant\",\"content\":\"Hal\"}", null));

        Response r = acme().body("{\"model\":\"gpt-chat\",\"input\":\"hi\",\"stream\":true}").post("/v1/responses");

        List<JsonNode> events = events(r.asString());
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.get("type").asText()).isEqualTo("response.failed");
        assertThat(last.at("/response/status").asText()).isEqualTo("failed");
        assertThat(last.at("/response/error/message").asText()).contains("ended before");
        Response stored = acme().get("/v1/responses/" + last.at("/response/id").asText());
        assertThat(stored.jsonPath().getString("status")).isEqualTo("failed");
    }
    @Test
    void aClientThatLeavesMidStreamStopsTheResponseAndNothingIsStored() throws Exception {
        var body = new StringBuilder(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (int i = 0; i < 20; i++) {
            body.append(chunk("{\"content\":\"t" + i + " \"}", null));
        }
        body.append(chunk("{}", "stop")).append("data: [DONE]\n\n");
        // The provider takes two seconds to send its answer.
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body.toString())
                .withChunkedDribbleDelay(22, 2_000)));
        String request = "{\"model\":\"gpt-chat\",\"input\":\"hi\",\"stream\":true}";

        String line = readStreamUntil("sk-acme-test", request, "\"response.created\"");
        String id = tree(line.substring(line.indexOf('{'))).at("/response/id").asText();

        // Had the stream gone on without the client, the response would be stored once the provider finished.
        Thread.sleep(3_000);
        assertThat(acme().get("/v1/responses/" + id).statusCode()).isEqualTo(404);
    }

    /**
     * Streams a create over a raw connection, reads until a line containing {@code marker}, and hangs up: a client
     * that leaves midway.
     *
     * @return the line
     */
    static String readStreamUntil(String key, String request, String marker) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
            socket.getOutputStream().write(("POST /v1/responses HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + request.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + request)
                    .getBytes(StandardCharsets.UTF_8));
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.contains(marker));
            assertThat(line).as("a line with " + marker).isNotNull();
            return line;
        }
    }
}
