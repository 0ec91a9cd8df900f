package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static io.kaiwa.runtime.StreamingApiTest.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** The Responses API's WebSocket mode on {@code /v1/responses}. */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class WebSocketApiTest {
    static final String CHAT = "/chat/v1/chat/completions";

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    /** Each chat call answers the next text, streamed. */
    static void chatStreams(String... texts) {
        String state = "Started";
        for (int i = 0; i < texts.length; i++) {
            String next = "answer " + (i + 1);
            TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).inScenario("ws").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                            .withBody(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
                                    + chunk("{\"content\":\"" + texts[i] + "\"}", null) + chunk("{}", "stop")
                                    + "data: [DONE]\n\n"))
                    .willSetStateTo(next));
            state = next;
        }
    }

    /** A client's socket, its messages kept in order. */
    static final class Client implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final StringBuilder partial = new StringBuilder();
        final WebSocket socket;

        Client(String key) {
            var builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (key != null) {
                builder.header("Authorization", "Bearer " + key);
            }
            socket = builder.buildAsync(URI.create("ws://localhost:" + RestAssured.port + "/v1/responses"), this)
                    .join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String json) {
            socket.sendText(json, true).join();
        }

        /** @return the events of one response, up to its terminal event or an error */
        List<JsonNode> untilEnd() throws InterruptedException {
            var events = new ArrayList<JsonNode>();
            while (true) {
                String m = messages.poll(20, TimeUnit.SECONDS);
                assertThat(m).as("a message within 20 s after " + events).isNotNull();
                JsonNode e = tree(m);
                events.add(e);
                if (e.path("type").asText().matches("response\\.(completed|failed|incomplete)|error")) {
                    return events;
                }
            }
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    static JsonNode last(List<JsonNode> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void aResponseCreateMessageStreamsItsEventsBackOnTheSocket() throws Exception {
        chatStreams("Hello");
        try (var client = new Client("sk-acme-test")) {
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"input\":\"hi\"}");
            List<JsonNode> events = client.untilEnd();

            assertThat(events).extracting(e -> e.get("type").asText()).startsWith("response.created",
                    "response.in_progress").contains("response.output_text.delta").endsWith("response.completed");
            for (int i = 0; i < events.size(); i++) {
                assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
            }
            JsonNode response = last(events).get("response");
            assertThat(response.at("/output/0/content/0/text").asText()).isEqualTo("Hello");
            // Stored by default, like an HTTP create: retrievable and continued over HTTP.
            assertThat(acme().get("/v1/responses/" + response.get("id").asText()).statusCode()).isEqualTo(200);
            JsonNode sent = sent(CHAT).get(0);
            assertThat(sent.get("stream").asBoolean()).isTrue();
            assertThat(sent.has("type")).isFalse();
        }
    }

    @Test
    void responsesOnOneConnectionRunInTurnAndAStoreFalseOneIsContinuedFromTheConnection() throws Exception {
        chatStreams("one", "two", "cobalt");
        try (var client = new Client("sk-acme-test")) {
            // Sent together: the second waits for the first.
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,"
                    + "\"input\":\"Remember the code word: cobalt.\"}");
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,\"input\":\"other\"}");
            JsonNode first = last(client.untilEnd()).get("response");
            JsonNode second = last(client.untilEnd()).get("response");
            assertThat(first.at("/output/0/content/0/text").asText()).isEqualTo("one");
            assertThat(second.at("/output/0/content/0/text").asText()).isEqualTo("two");

            client.send(
                    "{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,\"previous_response_id\":\""
                            + first.get("id").asText() + "\",\"input\":\"What is the code word?\"}");
            JsonNode third = last(client.untilEnd()).get("response");

            assertThat(third.get("status").asText()).isEqualTo("completed");
            JsonNode messages = sent(CHAT).get(2).get("messages");
            assertThat(messages).extracting(m -> m.get("content").asText()).containsExactly(
                    "Remember the code word: cobalt.", "one", "What is the code word?");
            // Not stored: only its connection knows it.
            assertThat(acme().get("/v1/responses/" + first.get("id").asText()).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void aStoreFalseResponseContinuingAStoredOneIsKeptAndContinuedWithBoth() throws Exception {
        chatStreams("stored", "kept", "both");
        try (var client = new Client("sk-acme-test")) {
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"input\":\"one\"}");
            String stored = last(client.untilEnd()).at("/response/id").asText();
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,"
                    + "\"previous_response_id\":\"" + stored + "\",\"input\":\"two\"}");
            String kept = last(client.untilEnd()).at("/response/id").asText();
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,"
                    + "\"previous_response_id\":\"" + kept + "\",\"input\":\"three\"}");
            assertThat(last(client.untilEnd()).at("/response/status").asText()).isEqualTo("completed");
        }
        assertThat(sent(CHAT).get(2).get("messages")).extracting(m -> m.get("content").asText())
                .containsExactly("one", "stored", "two", "kept", "three");
    }

    @Test
    void aStoreFalseResponseOfAnotherConnectionIsPreviousResponseNotFound() throws Exception {
        chatStreams("OK", "recovered");
        String id;
        try (var client = new Client("sk-acme-test")) {
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,\"input\":\"a\"}");
            id = last(client.untilEnd()).at("/response/id").asText();
        }
        try (var client = new Client("sk-acme-test")) {
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,"
                    + "\"previous_response_id\":\"" + id + "\",\"input\":\"b\"}");
            JsonNode error = last(client.untilEnd());
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("status").asInt()).isEqualTo(400);
            assertThat(error.at("/error/code").asText()).isEqualTo("previous_response_not_found");
            assertThat(error.at("/error/param").asText()).isEqualTo("previous_response_id");

            // The connection goes on.
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,\"input\":\"c\"}");
            assertThat(last(client.untilEnd()).at("/response/output/0/content/0/text").asText())
                    .isEqualTo("recovered");
        }
        assertThat(sent(CHAT)).hasSize(2);
    }

    @Test
    void aFailedContinuationForgetsTheResponseItContinued() throws Exception {
        chatStreams("OK");
        try (var client = new Client("sk-acme-test")) {
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,\"input\":\"a\"}");
            String id = last(client.untilEnd()).at("/response/id").asText();

            client.send(
                    "{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,\"previous_response_id\":\""
                            + id + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"call_missing\","
                            + "\"output\":\"x\"}]}");
            JsonNode failed = last(client.untilEnd());
            assertThat(failed.at("/error/param").asText()).isEqualTo("input[0].call_id");
            assertThat(failed.get("status").asInt()).isEqualTo(400);

            client.send(
                    "{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"store\":false,\"previous_response_id\":\""
                            + id + "\",\"input\":\"again\"}");
            assertThat(last(client.untilEnd()).at("/error/code").asText()).isEqualTo("previous_response_not_found");
        }
        assertThat(sent(CHAT)).as("only the first reached the provider").hasSize(1);
    }

    @Test
    void aResponseInAConversationOverTheSocketAddsItsItemsToIt() throws Exception {
        chatStreams("Noted.");
        String conversation = tree(acme().body("{}").post("/v1/conversations").asString()).get("id").asText();
        try (var client = new Client("sk-acme-test")) {
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"conversation\":\"" + conversation
                    + "\",\"input\":\"I keep two cats.\"}");
            assertThat(last(client.untilEnd()).at("/response/conversation/id").asText()).isEqualTo(conversation);
        }
        JsonNode items = tree(acme().get("/v1/conversations/" + conversation + "/items?order=asc").asString());
        assertThat(items.get("data")).extracting(i -> i.get("role").asText()).containsExactly("user", "assistant");
    }

    @Test
    void theUpgradeNeedsAKeyAndAMessageThatIsNotAForegroundCreateIsRefused() throws Exception {
        assertThatThrownBy(() -> new Client(null)).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(401));
        try (var client = new Client("sk-acme-test")) {
            client.send("{\"type\":\"response.create\",\"model\":\"gpt-chat\",\"input\":\"a\",\"background\":true}");
            assertThat(last(client.untilEnd()).at("/error/param").asText()).isEqualTo("background");
            client.send("{\"type\":\"response.cancel\"}");
            assertThat(last(client.untilEnd()).at("/error/param").asText()).isEqualTo("type");
            client.send("not json");
            assertThat(last(client.untilEnd()).at("/error/message").asText()).contains("not valid JSON");
            client.send("{\"type\":\"response.create\",\"input\":\"no model\"}");
            assertThat(last(client.untilEnd()).at("/error/param").asText()).isEqualTo("model");
        }
        assertThat(sent(CHAT)).isEmpty();
    }
}
