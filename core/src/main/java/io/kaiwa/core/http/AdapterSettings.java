package io.kaiwa.core.http;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.item.Item;
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
public record AdapterSettings(URI baseUri, String apiKey, String apiKeySource, String model, ObjectNode parameters,
        Boolean enableThinking, Function<String, ReasoningReplay> reasoningReplay, ContextPolicy contextPolicy,
        Duration requestTimeout, Duration idleTimeout, RetryPolicy retryPolicy, HttpTransport transport,
        boolean ownsTransport, TokenEstimator tokenEstimator, Clock clock) {

    /**
     * @param stream whether the request asks for an event stream
     * @return the headers every request carries: the key, the content type and what is accepted
     */
    public Map<String, String> headers(boolean stream) {
        var headers = new HashMap<String, String>(8);
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        headers.put("Content-Type", "application/json");
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        return headers;
    }

    /**
     * Checks what every turn needs before anything is sent.
     *
     * @param conversation the conversation so far
     * @param input the turn's new items
     * @return the model to ask: the conversation's, else the adapter's
     */
    public String checkTurn(Conversation conversation, List<Item> input) {
        if (input == null || input.isEmpty()) {
            throw new InvalidRequestException("a turn needs at least one input item", 0, null, "input", null);
        }
        if (apiKey == null) {
            throw new AuthenticationException("no API key: set the " + apiKeySource
                    + " environment variable or pass apiKey(...) to the adapter's builder", 401, "missing_api_key",
                    null, null);
        }
        String chosen = conversation.model() != null ? conversation.model() : model;
        if (chosen == null) {
            throw new InvalidRequestException("no model: set one on the conversation or the adapter", 0, null, "model",
                    null);
        }
        return chosen;
    }

    /**
     * Calibrates the token estimator, when there is one, against a turn's reported input tokens.
     *
     * @param instructions the instructions the request carried, or {@code null}
     * @param sent the items the request carried
     * @param turn the finished turn
     */
    public void calibrate(String instructions, List<Item> sent, Turn turn) {
        if (tokenEstimator != null && turn.usage().inputTokens() > 0) {
            long estimate = tokenEstimator.estimateText(instructions) + tokenEstimator.estimate(sent);
            tokenEstimator.calibrate(estimate, turn.usage().inputTokens());
        }
    }

    /** Closes the transport when the adapter made it. */
    public void closeTransport() {
        if (ownsTransport && transport instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the transport failed", e);
            }
        }
    }
}
