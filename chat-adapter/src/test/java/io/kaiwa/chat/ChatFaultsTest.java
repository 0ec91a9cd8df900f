package io.kaiwa.chat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.kaiwa.chat.Fixtures.DONE;
import static io.kaiwa.chat.Fixtures.WAIT;
import static io.kaiwa.chat.Fixtures.chatAnswer;
import static io.kaiwa.chat.Fixtures.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.RateLimitException;
import io.kaiwa.core.exception.ServerException;
import io.kaiwa.core.exception.UpstreamTimeoutException;
import io.kaiwa.core.http.RetryPolicy;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.testing.RawHttpServer;
import io.kaiwa.testing.UpstreamTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

class ChatFaultsTest extends UpstreamTest {
    private static final String PATH = "/v1/chat/completions";

    private static ChatCompletionsAdapter.Builder adapter(String baseUrl) {
        return ChatCompletionsAdapter.builder().baseUrl(baseUrl).apiKey("sk-test").model("qwen-plus").vertx(vertx)
                .retryPolicy(Fixtures.QUICK_RETRIES);
    }

    private static ChatCompletionsAdapter adapter() {
        return adapter(upstream.baseUrl() + "/v1").build();
    }

    private static Throwable sendFailure(ChatCompletionsAdapter adapter) {
        return adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT).getFailure();
    }

    private static int calls() {
        return upstream.findAll(postRequestedFor(urlEqualTo(PATH))).size();
    }

    @Nested
    class MapsEveryErrorToItsException {
        @ParameterizedTest(name = "{0} {1}")
        @CsvSource(delimiter = '|', textBlock = """
                400 | {"error":{"message":"temperature must be < 2","type":"invalid_request_error","param":"temperature","code":"invalid_parameter_error"}} | InvalidRequestException | 1
                400 | {"code":"InvalidParameter","message":"Range of top_p should be (0.0, 1.0]","request_id":"r1"} | InvalidRequestException | 1
                400 | {"code":"DataInspectionFailed","message":"Input data may contain inappropriate content.","request_id":"r2"} | ContentFilteredException | 1
                400 | {"error":{"message":"Input data may contain inappropriate content.","type":"data_inspection_failed","code":"data_inspection_failed"}} | ContentFilteredException | 1
                400 | {"code":"Arrearage","message":"Access denied, please make sure your account is in good standing.","request_id":"r3"} | InsufficientQuotaException | 1
                400 | {"error":{"message":"This model's maximum context length is 131072 tokens","type":"invalid_request_error","code":"context_length_exceeded"}} | ContextWindowExceededException | 1
                401 | {"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}} | AuthenticationException | 1
                403 | {"code":"AccessDenied","message":"Access denied.","request_id":"r4"} | PermissionDeniedException | 1
                404 | {"error":{"message":"The model `qwen-nope` does not exist","type":"invalid_request_error","code":"model_not_found"}} | NotFoundException | 1
                422 | {"error":{"message":"unprocessable","type":"invalid_request_error"}} | InvalidRequestException | 1
                418 | <html>I'm a teapot</html> | NonRetriableException | 1
                429 | {"code":"Throttling.RateQuota","message":"Requests rate limit exceeded, please try again later.","request_id":"r5"} | RateLimitException | 3
                429 | {"code":"Throttling.AllocationQuota","message":"Free allocated quota exceeded.","request_id":"r6"} | RateLimitException | 3
                429 | {"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}} | InsufficientQuotaException | 1
                408 | {"error":{"message":"request timeout"}} | UpstreamTimeoutException | 3
                409 | {"error":{"message":"conflict"}} | ConflictException | 3
                500 | {"code":"InternalError","message":"An internal error has occured, please try again later.","request_id":"r7"} | ServerException | 3
                502 | <html>Bad gateway</html> | ServerException | 3
                503 | {"error":{"message":"The server is overloaded","type":"server_error"}} | ServerException | 3
                """)
        void mapsStatusAndBodyAndRetriesOnlyWhatCanSucceed(int status, String body, String exception, int attempts) {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));
            try (var adapter = adapter()) {
                Throwable failure = sendFailure(adapter);

                assertThat(failure.getClass().getSimpleName()).isEqualTo(exception);
                assertThat(((KaiwaException) failure).status()).isEqualTo(status);
                assertThat(calls()).as("attempts").isEqualTo(attempts);
            }
        }

        @Test
        void keepsTheProvidersMessageCodeParamAndRequestId() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(400).withBody(
                    "{\"code\":\"InvalidParameter\",\"message\":\"Range of top_p should be (0.0, 1.0]\","
                            + "\"request_id\":\"req-42\"}")));
            try (var adapter = adapter()) {
                var e = (InvalidRequestException) sendFailure(adapter);

                assertThat(e.code()).isEqualTo("InvalidParameter");
                assertThat(e.getMessage()).contains("Range of top_p", "req-42");
            }
        }
    }

    @Nested
    class RetriesAsTrustedClientsDo {
        private void script(int... statuses) {
            String state = Scenario.STARTED;
            for (int i = 0; i < statuses.length; i++) {
                String next = "after-" + i;
                var response = statuses[i] == 200
                        ? aResponse().withStatus(200).withBody(chatAnswer("ok", "done", null, "stop", 1, 1, 0, 0))
                        : aResponse().withStatus(statuses[i]).withBody("{\"error\":{\"message\":\"busy\"}}");
                upstream.stubFor(post(urlEqualTo(PATH)).inScenario("retry").whenScenarioStateIs(state)
                        .willReturn(response).willSetStateTo(next));
                state = next;
            }
        }

        @Test
        void succeedsOnTheThirdCallAfterTwo503sWithTheBackoffHonoured() {
            script(503, 503, 200);
            try (var adapter = adapter()) {
                long start = System.nanoTime();

                Turn turn = adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await().atMost(WAIT);

                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(turn.outputText()).isEqualTo("done");
                assertThat(calls()).isEqualTo(3);
                // No jitter: 100 ms, then 200 ms.
                assertThat(elapsedMs).isGreaterThanOrEqualTo(300);
            }
        }

        @Test
        void waitsAsLongAsRetryAfterSays() {
            upstream.stubFor(post(urlEqualTo(PATH)).inScenario("ra").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                            .withBody("{\"code\":\"Throttling.RateQuota\",\"message\":\"slow down\"}"))
                    .willSetStateTo("retried"));
            upstream.stubFor(post(urlEqualTo(PATH)).inScenario("ra").whenScenarioStateIs("retried")
                    .willReturn(
                            aResponse().withStatus(200).withBody(chatAnswer("ok", "done", null, "stop", 1, 1, 0, 0))));
            try (var adapter = adapter()) {
                long start = System.nanoTime();

                adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await().atMost(WAIT);

                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
                assertThat(calls()).isEqualTo(2);
            }
        }

        @Test
        void prefersRetryAfterMilliseconds() {
            upstream.stubFor(post(urlEqualTo(PATH)).inScenario("ms").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(503).withHeader("retry-after-ms", "450")
                            .withHeader("Retry-After", "30").withBody("{}"))
                    .willSetStateTo("retried"));
            upstream.stubFor(post(urlEqualTo(PATH)).inScenario("ms").whenScenarioStateIs("retried")
                    .willReturn(
                            aResponse().withStatus(200).withBody(chatAnswer("ok", "done", null, "stop", 1, 1, 0, 0))));
            try (var adapter = adapter()) {
                long start = System.nanoTime();

                adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await().atMost(WAIT);

                long elapsedMs = (System.nanoTime() - start) / 1_000_000;
                assertThat(elapsedMs).isBetween(450L, 5_000L);
            }
        }

        @Test
        void doesNotRetryWhenTheServerSaysNotTo() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(
                    aResponse().withStatus(503).withHeader("x-should-retry", "false").withBody("{}")));
            try (var adapter = adapter()) {
                assertThat(sendFailure(adapter)).isInstanceOf(ServerException.class);
                assertThat(calls()).isEqualTo(1);
            }
        }

        @Test
        void retriesWhatTheServerSaysToRetry() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(
                    aResponse().withStatus(400).withHeader("x-should-retry", "true").withBody("{}")));
            try (var adapter = adapter()) {
                assertThat(sendFailure(adapter)).isInstanceOf(InvalidRequestException.class);
                assertThat(calls()).isEqualTo(3);
            }
        }

        @Test
        void retriesAConnectionResetBeforeAnyAnswer() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            try (var adapter = adapter()) {
                assertThat(sendFailure(adapter)).isInstanceOf(ConnectionException.class);
                assertThat(calls()).isEqualTo(3);
            }
        }

        @Test
        void retriesARefusedConnectionThenFails() throws Exception {
            int closedPort;
            try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            try (var adapter = adapter("http://127.0.0.1:" + closedPort + "/v1").build()) {
                assertThat(sendFailure(adapter)).isInstanceOf(ConnectionException.class)
                        .hasMessageContaining("127.0.0.1:" + closedPort);
            }
        }

        @Test
        void retriesAStreamUntilItsHeadArrivesButNeverAfter() throws Exception {
            upstream.stubFor(post(urlEqualTo(PATH)).inScenario("s").whenScenarioStateIs(Scenario.STARTED)
                    .willReturn(aResponse().withStatus(503).withBody("{}")).willSetStateTo("up"));
            upstream.stubFor(post(urlEqualTo(PATH)).inScenario("s").whenScenarioStateIs("up").willReturn(aResponse()
                    .withStatus(200).withBody(chunk("s", "{\"content\":\"ok\"}", "stop") + DONE)));
            try (var adapter = adapter()) {
                var last = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).collect().last()
                        .await().atMost(WAIT);

                assertThat(((StreamEvent.Completed) last).turn().outputText()).isEqualTo("ok");
                assertThat(calls()).isEqualTo(2);
            }
        }
    }

    @Nested
    class SurvivesBrokenStreams {
        @Test
        void aResetAfterTheFirstEventFailsWithoutResending() throws Exception {
            try (var server = new RawHttpServer((socket, out) -> {
                RawHttpServer.writeStreamHead(out);
                RawHttpServer.writeChunk(out, chunk("r", "{\"content\":\"Hel\"}", null));
                Thread.sleep(100);
                RawHttpServer.reset(socket);
            }); var adapter = adapter(server.baseUrl() + "/v1").build()) {
                var subscriber = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getItems()).extracting(e -> e.getClass().getSimpleName())
                        .containsExactly("ItemAdded", "TextDelta");
                assertThat(subscriber.getFailure()).isInstanceOf(ConnectionException.class);
                assertThat(server.requests.get()).isEqualTo(1);
            }
        }

        @Test
        void aDribblingBodyHitsTheIdleTimeout() {
            String body = chunk("d", "{\"content\":\"a\"}", null) + chunk("d", "{\"content\":\"b\"}", null)
                    + chunk("d", "{}", "stop") + DONE;
            // Four chunks spread over 3 s: about a second of silence between each, against a 300 ms idle timeout.
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(body)
                    .withChunkedDribbleDelay(4, 3000)));
            try (var adapter = adapter(upstream.baseUrl() + "/v1").idleTimeout(Duration.ofMillis(300)).build()) {
                long start = System.nanoTime();
                var subscriber = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getFailure()).isInstanceOf(UpstreamTimeoutException.class);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500);
                // The head had arrived: once a body flows, it is not sent again.
                assertThat(subscriber.getItems()).isEmpty();
                assertThat(calls()).isEqualTo(1);
            }
        }

        @Test
        void silenceAfterTheFirstEventHitsTheIdleTimeoutWithoutAResend() throws Exception {
            try (var server = new RawHttpServer((socket, out) -> {
                RawHttpServer.writeStreamHead(out);
                RawHttpServer.writeChunk(out, chunk("s", "{\"content\":\"Hel\"}", null));
                Thread.sleep(3_000);
                RawHttpServer.writeChunk(out, chunk("s", "{\"content\":\"lo\"}", "stop") + DONE);
            }); var adapter = adapter(server.baseUrl() + "/v1").idleTimeout(Duration.ofMillis(300)).build()) {
                long start = System.nanoTime();
                var subscriber = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

                subscriber.awaitFailure(WAIT);

                assertThat(subscriber.getFailure()).isInstanceOf(UpstreamTimeoutException.class);
                assertThat(subscriber.getItems()).hasSize(2);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
                assertThat(server.requests.get()).isEqualTo(1);
            }
        }

        @Test
        void aSlowButSteadyStreamOutlivesTheIdleTimeout() {
            String body = chunk("d", "{\"content\":\"a\"}", null) + chunk("d", "{\"content\":\"b\"}", null)
                    + chunk("d", "{}", "stop") + DONE;
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(body)
                    .withChunkedDribbleDelay(8, 1200)));
            try (var adapter = adapter(upstream.baseUrl() + "/v1").idleTimeout(Duration.ofMillis(600)).build()) {
                var last = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).collect().last()
                        .await().atMost(WAIT);

                assertThat(((StreamEvent.Completed) last).turn().outputText()).isEqualTo("ab");
            }
        }

        @Test
        void cancellingTheSubscriptionClosesTheConnection() throws Exception {
            try (var server = new RawHttpServer((socket, out) -> {
                RawHttpServer.writeStreamHead(out);
                for (int i = 0; i < 200; i++) {
                    RawHttpServer.writeChunk(out, chunk("c", "{\"content\":\"tick \"}", null));
                    Thread.sleep(50);
                }
            }); var adapter = adapter(server.baseUrl() + "/v1").build()) {
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

        @Test
        void aStreamCutBeforeItsEndIsAnError() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                    .withBody(chunk("t", "{\"content\":\"half an ans\"}", null))));
            try (var adapter = adapter()) {
                var subscriber = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));

                subscriber.awaitFailure(WAIT).assertFailedWith(ConnectionException.class, "ended before");
            }
        }

        @Test
        void aStreamCutInsideAnEventIsAnError() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                    .withBody(chunk("t", "{\"content\":\"x\"}", null) + "data: {\"choices\":[{\"delta\"")));
            try (var adapter = adapter()) {
                adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)).awaitFailure(WAIT)
                        .assertFailedWith(ConnectionException.class, "inside an event");
            }
        }

        @Test
        void anErrorObjectInTheStreamEndsItWithAFailedTurn() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                    .withBody(chunk("e", "{\"content\":\"par\"}", null)
                            + "data: {\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                            + "\"code\":\"rate_limit_exceeded\"}}\n\n")));
            try (var adapter = adapter()) {
                var events = adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).collect().asList()
                        .await().atMost(WAIT);

                var failed = (StreamEvent.Failed) events.get(events.size() - 1);
                assertThat(failed.error()).isInstanceOf(RateLimitException.class);
                assertThat(failed.turn().status()).isEqualTo(TurnStatus.FAILED);
                assertThat(failed.turn().outputText()).isEqualTo("par");
                assertThat(failed.turn().error().code()).isEqualTo("rate_limit_exceeded");
            }
        }
    }

    @Nested
    class RejectsBadUpstreamDataClearly {
        @Test
        void malformedJson() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("{\"id\":")));
            try (var adapter = adapter()) {
                assertThat(sendFailure(adapter)).isInstanceOf(InvalidPayloadException.class)
                        .hasMessageContaining("not valid JSON");
                assertThat(calls()).isEqualTo(1);
            }
        }

        @Test
        void aFieldOfTheWrongTypeIsNamed() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody(
                    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":42}}]}")));
            try (var adapter = adapter()) {
                var e = (InvalidPayloadException) sendFailure(adapter);

                assertThat(e.path()).isEqualTo("choices[0].message.content");
            }
        }

        @Test
        void aMalformedStreamEventIsNamed() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)
                    .withBody("data: {not json}\n\n" + DONE)));
            try (var adapter = adapter()) {
                adapter.stream(Conversation.create(), List.of(MessageItem.user("hi"))).subscribe()
                        .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)).awaitFailure(WAIT)
                        .assertFailedWith(InvalidPayloadException.class, "malformed JSON");
            }
        }

        @Test
        void unknownFieldsAndFinishReasonsAreTolerated() {
            upstream.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200).withBody("""
                    {"id":"x","x_future":{"a":1},"choices":[{"index":0,"finish_reason":"something_new",
                     "message":{"role":"assistant","content":"fine","audio":null,"annotations":[]}},
                     {"index":1,"message":{"role":"assistant","content":"second choice"}}],"usage":null}""")));
            try (var adapter = adapter()) {
                Turn turn = adapter.send(Conversation.create(), List.of(MessageItem.user("hi"))).await().atMost(WAIT);

                assertThat(turn.outputText()).isEqualTo("fine");
                assertThat(turn.status()).isEqualTo(TurnStatus.COMPLETED);
            }
        }
    }

    @Nested
    class FailsFastOnMissingConfiguration {
        @Test
        void aMissingKeyNamesTheVariableAndSendsNothing() {
            try (var adapter = ChatCompletionsAdapter.builder().baseUrl(upstream.baseUrl() + "/v1")
                    .apiKeyFromEnvironment("KAIWA_TEST_KEY_THAT_IS_NOT_SET").model("qwen-plus").vertx(vertx).build()) {
                assertThat(sendFailure(adapter)).isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("KAIWA_TEST_KEY_THAT_IS_NOT_SET");
                assertThat(calls()).isZero();
            }
        }

        @Test
        void aMissingModelIsAnInvalidRequest() {
            try (var adapter = adapter(upstream.baseUrl() + "/v1").model(null).build()) {
                assertThat(sendFailure(adapter)).isInstanceOf(InvalidRequestException.class).hasMessageContaining(
                        "no model");
            }
        }

        @Test
        void anEmptyInputIsAnInvalidRequest() {
            try (var adapter = adapter()) {
                var failure = adapter.send(Conversation.create(), List.of()).subscribe()
                        .withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT).getFailure();
                assertThat(failure).isInstanceOf(InvalidRequestException.class);
                assertThat(((InvalidRequestException) failure).param()).isEqualTo("input");
            }
        }

        @Test
        void nothingIsSentBeforeSubscription() {
            try (var adapter = adapter()) {
                adapter.send(Conversation.create(), List.of(MessageItem.user("hi")));
                adapter.stream(Conversation.create(), List.of(MessageItem.user("hi")));

                assertThat(calls()).isZero();
            }
        }

        @Test
        void theRetryPolicyValidatesItself() {
            org.assertj.core.api.Assertions
                    .assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ZERO, Duration.ZERO, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(RetryPolicy.defaults().backoff(1, 0)).isEqualTo(Duration.ofMillis(500));
            assertThat(RetryPolicy.defaults().backoff(3, 0)).isEqualTo(Duration.ofSeconds(2));
            assertThat(RetryPolicy.defaults().backoff(10, 0)).isEqualTo(Duration.ofSeconds(8));
            assertThat(RetryPolicy.defaults().backoff(1, 0.999)).isGreaterThan(Duration.ofMillis(370));
        }
    }
}
