package io.kaiwa.responses;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.responses.Fixtures.WAIT;
import static io.kaiwa.responses.Fixtures.numbered;
import static io.kaiwa.responses.Fixtures.openAiSse;
import static io.kaiwa.responses.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.ContentFilteredException;
import io.kaiwa.core.exception.IncompleteAnswerException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.RateLimitException;
import io.kaiwa.core.exception.RetriableException;
import io.kaiwa.core.exception.UpstreamTimeoutException;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.testing.RawHttpServer;
import io.kaiwa.testing.UpstreamTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

class ResponsesFaultsTest extends UpstreamTest {
    static final String PATH = "/v1";
    static final String CREATED = """
            {"type":"response.created","response":{"id":"resp_x","object":"response","status":"in_progress","output":[]}}""";
    static final String MESSAGE_ADDED = """
            {"type":"response.output_item.added","output_index":0,"item":{"id":"msg_x","type":"message","role":"assistant","status":"in_progress","content":[]}}""";

    static String delta(String text) {
        return """
                {"type":"response.output_text.delta","output_index":0,"item_id":"msg_x","content_index":0,"delta":"%s"}"""
                .formatted(text);
    }

    ResponsesAdapter.Builder adapter(String baseUrl) {
        return ResponsesAdapter.builder().baseUrl(baseUrl).apiKey("sk-test").model("gpt-test").vertx(vertx)
                .retryPolicy(Fixtures.QUICK_RETRIES);
    }

    ResponsesAdapter adapter() {
        return adapter(upstream.baseUrl() + PATH).build();
    }

    void stream(String body) {
        upstream.stubFor(post(urlEqualTo(PATH + "/responses")).willReturn(
                aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body)));
    }

    int calls() {
        return upstream.findAll(postRequestedFor(urlEqualTo(PATH + "/responses"))).size();
    }

    static AssertSubscriber<StreamEvent> subscribe(ResponsesAdapter adapter) {
        return adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    static StreamEvent.Failed endsFailed(ResponsesAdapter adapter) {
        List<StreamEvent> events = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).collect()
                .asList().await().atMost(WAIT);
        assertThat(events).last().isInstanceOf(StreamEvent.Failed.class);
        assertThat(events).filteredOn(StreamEvent.Failed.class::isInstance).hasSize(1);
        return (StreamEvent.Failed) events.get(events.size() - 1);
    }

    @Nested
    class EndsAFailedStreamWithATypedError {
        @Test
        void responseFailedCarriesTheTurnAndTheProvidersError() {
            stream(openAiSse(numbered(CREATED, MESSAGE_ADDED, delta("部分"), """
                    {"type":"response.failed","response":{"id":"resp_x","object":"response","status":"failed",
                     "output":[{"id":"msg_x","type":"message","role":"assistant","status":"incomplete",
                       "content":[{"type":"output_text","text":"部分","annotations":[]}]}],
                     "error":{"code":"server_error","message":"The model crashed."}}}""")));
            try (var adapter = adapter()) {
                StreamEvent.Failed failed = endsFailed(adapter);

                assertThat(failed.turn().status()).isEqualTo(TurnStatus.FAILED);
                assertThat(failed.turn().error().code()).isEqualTo("server_error");
                assertThat(failed.turn().outputText()).isEqualTo("部分");
                assertThat(failed.turn().providerResponse()).isNull();
                assertThat(failed.error()).isInstanceOf(RetriableException.class)
                        .hasMessageContaining("The model crashed.");
            }
        }

        @Test
        void responseIncompleteKeepsTheOutputAndNamesTheReason() {
            stream(openAiSse(numbered(CREATED, MESSAGE_ADDED, delta("途中"), """
                    {"type":"response.incomplete","response":{"id":"resp_x","object":"response","status":"incomplete",
                     "incomplete_details":{"reason":"max_output_tokens"},
                     "output":[{"id":"msg_x","type":"message","role":"assistant","status":"incomplete",
                       "content":[{"type":"output_text","text":"途中","annotations":[]}]}],
                     "usage":{"input_tokens":5,"output_tokens":16,"total_tokens":21}}}""")));
            try (var adapter = adapter()) {
                StreamEvent.Failed failed = endsFailed(adapter);

                assertThat(failed.turn().status()).isEqualTo(TurnStatus.INCOMPLETE);
                assertThat(failed.turn().outputText()).isEqualTo("途中");
                assertThat(failed.turn().usage().outputTokens()).isEqualTo(16);
                // Cut short, but kept by the provider: the next turn can still chain from it.
                assertThat(failed.turn().providerResponse().responseId()).isEqualTo("resp_x");
                assertThat(failed.error()).isInstanceOf(IncompleteAnswerException.class);
                assertThat(failed.error().code()).isEqualTo("max_output_tokens");
            }
        }

        @Test
        void aContentFilterStopIsAContentFilteredError() {
            stream(openAiSse(numbered(CREATED, """
                    {"type":"response.incomplete","response":{"id":"resp_x","object":"response","status":"incomplete",
                     "incomplete_details":{"reason":"content_filter"},"output":[]}}""")));
            try (var adapter = adapter()) {
                assertThat(endsFailed(adapter).error()).isInstanceOf(ContentFilteredException.class);
            }
        }

        @Test
        void anErrorEventEndsTheStreamWithWhatHadArrived() {
            stream(openAiSse(numbered(CREATED, MESSAGE_ADDED, delta("a"),
                    """
                            {"type":"response.output_item.done","output_index":0,"item":{"id":"msg_x","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"a","annotations":[]}]}}""",
                    """
                            {"type":"error","code":"Throttling.RateQuota","message":"Requests rate limit exceeded.","param":null}""")));
            try (var adapter = adapter()) {
                StreamEvent.Failed failed = endsFailed(adapter);

                assertThat(failed.turn().id()).isEqualTo("resp_x");
                assertThat(failed.turn().outputText()).isEqualTo("a");
                assertThat(failed.turn().error().code()).isEqualTo("Throttling.RateQuota");
                assertThat(failed.error()).isInstanceOf(RateLimitException.class);
                assertThat(calls()).isEqualTo(1);
            }
        }

        @Test
        void aFailedResponseWithoutStreamingIsAFailedTurn() {
            upstream.stubFor(post(urlEqualTo(PATH + "/responses")).willReturn(aResponse().withStatus(200)
                    .withBody("""
                            {"id":"resp_f","object":"response","status":"failed","output":[],
                             "error":{"code":"server_error","message":"The model crashed."}}""")));
            try (var adapter = adapter()) {
                Turn turn = adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await().atMost(WAIT);

                assertThat(turn.status()).isEqualTo(TurnStatus.FAILED);
                assertThat(turn.error().message()).isEqualTo("The model crashed.");
            }
        }
    }

    @Nested
    class SurvivesBrokenStreams {
        @Test
        void aResetMidStreamFailsWithoutResending() throws Exception {
            try (var server = new RawHttpServer((socket, out) -> {
                RawHttpServer.writeStreamHead(out);
                RawHttpServer.writeChunk(out, openAiSse(numbered(CREATED, MESSAGE_ADDED, delta("Hel"))));
                Thread.sleep(100);
                RawHttpServer.reset(socket);
            }); var adapter = adapter(server.baseUrl() + PATH).build()) {
                var subscriber = subscribe(adapter);

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getItems()).extracting(e -> e.getClass().getSimpleName())
                        .containsExactly("ItemAdded", "TextDelta");
                assertThat(subscriber.getFailure()).isInstanceOf(ConnectionException.class);
                assertThat(server.requests.get()).isEqualTo(1);
            }
        }

        @Test
        void aGapInSequenceNumbersFailsTheStreamNamingIt() {
            List<String> events = new ArrayList<>(numbered(CREATED, MESSAGE_ADDED, delta("a"), delta("b"), delta("c")));
            events.remove(3);
            stream(openAiSse(events));
            try (var adapter = adapter()) {
                var subscriber = subscribe(adapter);

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getItems()).extracting(e -> e.getClass().getSimpleName())
                        .containsExactly("ItemAdded", "TextDelta");
                assertThat(subscriber.getFailure()).isInstanceOf(InvalidPayloadException.class)
                        .hasMessageContaining("sequence_number 4 after 2");
                assertThat(((InvalidPayloadException) subscriber.getFailure()).path()).isEqualTo("sequence_number");
            }
        }

        @Test
        void aMalformedEventFailsTheStreamClearly() {
            stream(openAiSse(numbered(CREATED, MESSAGE_ADDED)) + "data: {\"type\":\"response.output_text.delta\",\n\n");
            try (var adapter = adapter()) {
                var subscriber = subscribe(adapter);

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getFailure()).isInstanceOf(InvalidPayloadException.class)
                        .hasMessageContaining("not a JSON object");
            }
        }

        @Test
        void aDeltaWithoutItsTextIsRejectedNamingTheField() {
            stream(openAiSse(numbered(CREATED, MESSAGE_ADDED, """
                    {"type":"response.output_text.delta","output_index":0}""")));
            try (var adapter = adapter()) {
                var subscriber = subscribe(adapter);

                subscriber.awaitFailure(WAIT);

                assertThat(((InvalidPayloadException) subscriber.getFailure()).path()).isEqualTo("delta");
            }
        }

        @Test
        void aStreamThatEndsBeforeTheResponseCompletesIsAConnectionError() {
            stream(openAiSse(numbered(CREATED, MESSAGE_ADDED, delta("half"))));
            try (var adapter = adapter()) {
                var subscriber = subscribe(adapter);

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getFailure()).isInstanceOf(ConnectionException.class)
                        .hasMessageContaining("before the response was complete");
            }
        }

        @Test
        void aDoneMarkerAfterTheLastEventIsTolerated() {
            stream(openAiSse(numbered(CREATED, """
                    {"type":"response.completed","response":%s}""".formatted(response("resp_x", "ok", 1, 1))))
                    + "data: [DONE]\n\n");
            try (var adapter = adapter()) {
                var last = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).collect().last()
                        .await().atMost(WAIT);

                assertThat(((StreamEvent.Completed) last).turn().outputText()).isEqualTo("ok");
            }
        }

        @Test
        void silenceInsideTheStreamHitsTheIdleTimeout() throws Exception {
            try (var server = new RawHttpServer((socket, out) -> {
                RawHttpServer.writeStreamHead(out);
                RawHttpServer.writeChunk(out, openAiSse(numbered(CREATED)));
                Thread.sleep(3_000);
            }); var adapter = adapter(server.baseUrl() + PATH).idleTimeout(Duration.ofMillis(300)).build()) {
                long start = System.nanoTime();
                var subscriber = subscribe(adapter);

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getFailure()).isInstanceOf(UpstreamTimeoutException.class);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
                assertThat(server.requests.get()).isEqualTo(1);
            }
        }

        @Test
        void cancellingTheSubscriptionClosesTheConnection() throws Exception {
            try (var server = new RawHttpServer((socket, out) -> {
                RawHttpServer.writeStreamHead(out);
                RawHttpServer.writeChunk(out, openAiSse(numbered(CREATED, MESSAGE_ADDED)));
                for (int i = 0; i < 200; i++) {
                    String event = ((com.fasterxml.jackson.databind.node.ObjectNode) Fixtures.tree(delta("tick ")))
                            .put("sequence_number", i + 2).toString();
                    RawHttpServer.writeChunk(out, "data: " + event + "\n\n");
                    Thread.sleep(50);
                }
            }); var adapter = adapter(server.baseUrl() + PATH).build()) {
                var seen = new CopyOnWriteArrayList<StreamEvent>();
                var subscription = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                        .with(seen::add);
                while (seen.size() < 3) {
                    Thread.onSpinWait();
                }

                subscription.cancel();

                assertThat(server.awaitClientGone(5)).as("the server saw the connection close").isTrue();
            }
        }
    }

    @Nested
    class RetriesAndMapsErrorsLikeTheChatAdapter {
        @Test
        void a429IsRetriedAfterTheDelayTheProviderAsksFor() {
            upstream.stubFor(post(urlEqualTo(PATH + "/responses")).inScenario("r").whenScenarioStateIs("Started")
                    .willReturn(aResponse().withStatus(429).withHeader("retry-after-ms", "10").withBody(
                            """
                                    {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"""))
                    .willSetStateTo("ok"));
            upstream.stubFor(post(urlEqualTo(PATH + "/responses")).inScenario("r").whenScenarioStateIs("ok")
                    .willReturn(aResponse().withStatus(200).withBody(response("resp_ok", "ok", 1, 1))));
            try (var adapter = adapter()) {
                Turn turn = adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await().atMost(WAIT);

                assertThat(turn.outputText()).isEqualTo("ok");
                assertThat(calls()).isEqualTo(2);
            }
        }

        @Test
        void aBadKeyIsAnAuthenticationErrorAndIsNotRetried() {
            upstream.stubFor(post(urlEqualTo(PATH + "/responses")).willReturn(aResponse().withStatus(401).withBody(
                    """
                            {"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}""")));
            try (var adapter = adapter()) {
                assertThatThrownBy(() -> adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await()
                        .atMost(WAIT)).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("Incorrect API key");
                assertThat(calls()).isEqualTo(1);
            }
        }

        @Test
        void withoutAKeyNothingIsSentAndTheErrorNamesTheVariable() {
            try (var adapter = ResponsesAdapter.builder().baseUrl(upstream.baseUrl() + PATH).model("gpt-test")
                    .vertx(vertx).apiKeyFromEnvironment("KAIWA_TEST_UNSET_KEY").build()) {
                assertThatThrownBy(() -> adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await()
                        .atMost(WAIT)).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("KAIWA_TEST_UNSET_KEY");
                assertThat(calls()).isZero();
            }
        }
    }
}
