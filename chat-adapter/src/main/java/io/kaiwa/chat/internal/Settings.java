package io.kaiwa.chat.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.http.HttpTransport;
import io.kaiwa.core.http.RetryPolicy;
import io.kaiwa.core.spi.TokenEstimator;

/**
 * An adapter's configuration, fixed when it is built.
 *
 * @param baseUri the API's base URL, without a trailing slash
 * @param apiKey the key, or {@code null} when none was configured
 * @param apiKeySource where the key should have come from, for the error when it is missing
 * @param model the default model, or {@code null}
 * @param parameters request fields merged into every body
 * @param enableThinking {@code enable_thinking} to send, or {@code null} to leave it out
 * @param reasoningReplay per model, whether history reasoning is sent again
 * @param contextPolicy applied after the conversation's own policy
 * @param requestTimeout whole non-streamed exchange; time to the head of a streamed one
 * @param idleTimeout longest silence inside a stream
 * @param retryPolicy how to retry
 * @param transport sends the requests
 * @param ownsTransport whether closing the adapter closes the transport
 * @param tokenEstimator calibrated after every turn when set, else {@code null}
 * @param clock stamps turns
 */
public record Settings(URI baseUri, String apiKey, String apiKeySource, String model, ObjectNode parameters,
        Boolean enableThinking, Function<String, ReasoningReplay> reasoningReplay, ContextPolicy contextPolicy,
        Duration requestTimeout, Duration idleTimeout, RetryPolicy retryPolicy, HttpTransport transport,
        boolean ownsTransport, TokenEstimator tokenEstimator, Clock clock) {
}
