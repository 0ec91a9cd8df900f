package io.kaiwa.responses.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Chaining;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.ProviderResponse;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.context.ContextPolicy;
import io.kaiwa.core.context.ContextWindow;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.NotFoundException;
import io.kaiwa.core.exception.ResponseNotFoundException;
import io.kaiwa.core.http.AdapterSettings;
import io.kaiwa.core.http.BodyBuffer;
import io.kaiwa.core.http.HttpRequest;
import io.kaiwa.core.http.UpstreamClient;
import io.kaiwa.core.http.UpstreamErrors;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs Responses API turns: decides whether to chain or send the history, sends with retries, falls back to the
 * history once when the provider has forgotten the chained id, and reads the answer, whole or streamed.
 */
public final class ResponsesEngine {
    private final AdapterSettings settings;
    private final String provider;
    private final Duration responseTtl;
    private final Boolean store;
    private final URI endpoint;
    private final UpstreamClient client;
    private final Map<String, String> headers;
    private final Map<String, String> streamHeaders;
    private final ObjectNode parameters;
    private final AtomicInteger bodySizeHint = new AtomicInteger(2048);

    /**
     * @param settings the adapter's settings
     * @param provider the key recorded with response ids; only ids with this key are chained from
     * @param responseTtl how long the provider keeps a response, or {@code null} when it never forgets
     * @param store {@code store} to send, or {@code null} for the provider's default (keep)
     */
    public ResponsesEngine(AdapterSettings settings, String provider, Duration responseTtl, Boolean store) {
        this.settings = settings;
        this.provider = provider;
        this.responseTtl = responseTtl;
        this.store = store;
        this.endpoint = URI.create(settings.baseUri() + "/responses");
        // The Responses API answers errors in OpenAI's shape, which UpstreamErrors reads: the one error mapper.
        this.client = new UpstreamClient(settings.transport(), settings.retryPolicy(), UpstreamErrors::map);
        this.headers = Map.copyOf(settings.headers(false));
        this.streamHeaders = Map.copyOf(settings.headers(true));
        this.parameters = settings.parameters().deepCopy();
        String refused = refusal(parameters.path("background"), parameters.has("conversation"));
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        if (settings.enableThinking() != null) {
            parameters.put("enable_thinking", settings.enableThinking());
        }
    }

    private static String refusal(JsonNode background, boolean conversation) {
        if (background.asBoolean(false)) {
            return "background: this adapter waits for each answer; background responses are run by the agent "
                    + "runtime's service";
        }
        if (conversation) {
            return "conversation: Kaiwa keeps the conversation itself and chains with previous_response_id, which "
                    + "the API does not allow together with a provider conversation";
        }
        return null;
    }

    private static void checkOptions(Map<String, JsonNode> extras) {
        JsonNode background = extras.get("background");
        String refused = refusal(background == null ? MissingNode.getInstance() : background,
                extras.containsKey("conversation"));
        if (refused != null) {
            throw new InvalidRequestException(refused, 0, "invalid_value",
                    refused.substring(0, refused.indexOf(':')), null);
        }
    }

    /** @return the settings */
    public AdapterSettings settings() {
        return settings;
    }

    /** @return the key recorded with response ids */
    public String provider() {
        return provider;
    }

    /**
     * @param conversation the conversation so far
     * @param input the new items
     * @param options the call's options
     * @return the finished turn
     */
    public Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options) {
        return Uni.createFrom().deferred(() -> {
            Plan plan = plan(conversation, input, options);
            return send(plan).onFailure(failure -> forgot(plan, failure))
                    .recoverWithUni(failure -> send(plan.forgotten()));
        });
    }

    private Uni<Turn> send(Plan plan) {
        Prepared p = prepare(plan, false);
        return client.send(p.request).map(response -> {
            Turn turn = read(plan, p, parse(response.body()));
            calibrate(p, turn);
            return turn;
        });
    }

    /**
     * @param conversation the conversation so far
     * @param input the new items
     * @param options the call's options
     * @return the turn's events, ending with {@code Completed} or {@code Failed}
     */
    public Multi<StreamEvent> stream(Conversation conversation, List<Item> input, RequestOptions options) {
        return Multi.createFrom().deferred(() -> {
            Plan plan = plan(conversation, input, options);
            // A refused id shows in the answer's head or in an error event before any output: either way nothing
            // has reached the caller yet, so falling back to the history stays invisible.
            return events(plan).onFailure(failure -> forgot(plan, failure))
                    .recoverWithMulti(failure -> events(plan.forgotten()));
        });
    }

    private Multi<StreamEvent> events(Plan plan) {
        Prepared p = prepare(plan, true);
        return client.open(p.request).onItem().transformToMulti(stream -> UpstreamClient.events(stream,
                new ResponsesEvents(response -> {
                    Turn turn = read(plan, p, response);
                    calibrate(p, turn);
                    return turn;
                }, (id, output, error) -> new Turn(id, plan.input, output, null, null, TurnStatus.FAILED, error,
                        p.startedAt, settings.clock().instant(), plan.chaining), plan.chaining.isChained())));
    }

    /**
     * What a turn will send, decided once per call.
     *
     * @param conversation the conversation so far
     * @param input the new items
     * @param model the model to ask
     * @param options the call's options
     * @param store {@code store} to send: the call's, else the builder's; {@code null} for the provider's default
     * @param chaining whether to chain, and why not
     */
    private record Plan(Conversation conversation, List<Item> input, String model, RequestOptions options,
            Boolean store, Chaining chaining) {
        Plan forgotten() {
            return new Plan(conversation, input, model, options, store,
                    new Chaining(Chaining.Mode.PROVIDER_FORGOT, chaining.previousResponseId()));
        }
    }

    private Plan plan(Conversation conversation, List<Item> input, RequestOptions options) {
        String model = settings.checkTurn(conversation, input);
        checkOptions(options.extras());
        Boolean keep = options.store() != null ? options.store() : store;
        return new Plan(conversation, List.copyOf(input), model, options, keep, chaining(conversation, input, keep));
    }

    private Chaining chaining(Conversation conversation, List<Item> input, Boolean store) {
        if (Boolean.FALSE.equals(store)) {
            return new Chaining(Chaining.Mode.STORE_DISABLED, null);
        }
        // Turns that are not replayed (failed, cancelled) are not part of the history: chain past them.
        List<Turn> turns = conversation.turns();
        Turn last = null;
        for (int i = turns.size() - 1; i >= 0 && last == null; i--) {
            if (turns.get(i).status().replayable()) {
                last = turns.get(i);
            }
        }
        ProviderResponse ref = last == null ? null : last.providerResponse();
        if (ref == null) {
            return new Chaining(Chaining.Mode.NO_PREVIOUS_RESPONSE, null);
        }
        if (!ref.provider().equals(provider)) {
            return new Chaining(Chaining.Mode.OTHER_PROVIDER, null);
        }
        if (!ref.usableBy(provider, settings.clock().instant())) {
            return new Chaining(Chaining.Mode.EXPIRED, ref.responseId());
        }
        if (trimmed(conversation, input)) {
            return new Chaining(Chaining.Mode.POLICY_TRIMMED, null);
        }
        return Chaining.chained(ref.responseId());
    }

    /**
     * Whether the policies (the conversation's, then the adapter's) leave out a turn the provider's chain holds: then
     * chaining would send what the policy refuses, so the kept turns are sent instead.
     */
    private boolean trimmed(Conversation conversation, List<Item> input) {
        ContextWindow all = ContextWindow.select(conversation.withContextPolicy(ContextPolicy.keepAll()), input);
        ContextWindow kept = settings.contextPolicy().apply(ContextWindow.select(conversation, input));
        return kept.history().size() < all.history().size();
    }

    /**
     * Whether a failure of a chained request means the provider no longer has the id, so that sending the history
     * instead will work. A bare 404 counts too (some servers answer an unknown id with no body), unless it names
     * the model.
     */
    private static boolean forgot(Plan plan, Throwable failure) {
        if (!plan.chaining.isChained()) {
            return false;
        }
        if (failure instanceof ResponseNotFoundException) {
            return true;
        }
        return failure instanceof NotFoundException n && !n.getMessage().toLowerCase(Locale.ROOT).contains("model")
                && (n.code() == null || !n.code().toLowerCase(Locale.ROOT).contains("model"));
    }

    private record Prepared(HttpRequest request, Instant startedAt, String instructions, List<Item> sent,
            boolean rebuilt) {
    }

    private Prepared prepare(Plan plan, boolean stream) {
        String instructions;
        List<Item> items;
        String previous = null;
        if (plan.chaining.isChained()) {
            // The provider holds the history, but not the instructions: they are sent with every turn.
            instructions = plan.conversation.instructions();
            items = plan.input;
            previous = plan.chaining.previousResponseId();
        } else {
            ContextWindow window = settings.contextPolicy().apply(ContextWindow.select(plan.conversation, plan.input));
            instructions = window.instructions();
            items = window.items(settings.reasoningReplay().apply(plan.model));
        }
        // Kaiwa's own compaction items go as their summary and kept items; another service's stay opaque for it.
        items = CompactionItem.expand(items, true);
        var request = new ResponsesWire.Request(plan.model, instructions, previous, items, plan.store, stream,
                plan.options, parameters);
        var body = BodyBuffer.sizedBy(bodySizeHint);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(body)) {
            ResponsesWire.write(g, request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var http = new HttpRequest(endpoint, stream ? streamHeaders : headers, body.take(bodySizeHint),
                settings.requestTimeout(), settings.idleTimeout());
        return new Prepared(http, settings.clock().instant(), instructions, items, !plan.chaining.isChained());
    }

    private Turn read(Plan plan, Prepared p, JsonNode response) {
        return ResponsesWire.read(response, provider, responseTtl, !Boolean.FALSE.equals(plan.store), plan.input,
                p.startedAt, settings.clock().instant(), plan.chaining);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return KaiwaJson.parse(body);
        } catch (InvalidPayloadException e) {
            throw new InvalidPayloadException("", "the provider's answer is not valid JSON: " + e.getMessage(), e);
        }
    }

    private void calibrate(Prepared p, Turn turn) {
        // A chained request's input_tokens count history the request did not carry: only rebuilt ones calibrate.
        if (p.rebuilt) {
            settings.calibrate(p.instructions, p.sent, turn);
        }
    }

    /** Closes the transport when the adapter made it. */
    public void close() {
        settings.closeTransport();
    }
}
