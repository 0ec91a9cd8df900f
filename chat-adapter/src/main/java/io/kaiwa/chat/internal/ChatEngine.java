package io.kaiwa.chat.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.context.ContextWindow;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.http.AdapterSettings;
import io.kaiwa.core.http.BodyBuffer;
import io.kaiwa.core.http.HttpRequest;
import io.kaiwa.core.http.HttpResponse;
import io.kaiwa.core.http.UpstreamClient;
import io.kaiwa.core.http.UpstreamErrors;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.sse.SseEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs chat turns for both chat adapters: rebuilds the request from the conversation, sends it with retries, and
 * assembles the answer, whole or streamed. What differs between the APIs is in its {@link Wire}.
 */
public final class ChatEngine {
    private final AdapterSettings settings;
    private final Wire wire;
    private final UpstreamClient client;
    private final Map<String, String> headers;
    private final Map<String, String> streamHeaders;
    private final AtomicInteger bodySizeHint = new AtomicInteger(4096);

    /**
     * @param settings the adapter's settings
     * @param wire the API's wire format
     */
    public ChatEngine(AdapterSettings settings, Wire wire) {
        this.settings = settings;
        this.wire = wire;
        // Both chat APIs answer errors in the shapes UpstreamErrors reads: it is this adapter's one error mapper.
        this.client = new UpstreamClient(settings.transport(), settings.retryPolicy(), UpstreamErrors::map);
        this.headers = headers(settings, wire, false);
        this.streamHeaders = headers(settings, wire, true);
    }

    private static Map<String, String> headers(AdapterSettings settings, Wire wire, boolean stream) {
        Map<String, String> headers = settings.headers(stream);
        if (stream && wire.sseHeader()) {
            headers.put("X-DashScope-SSE", "enable");
        }
        return Map.copyOf(headers);
    }

    /** @return the settings */
    public AdapterSettings settings() {
        return settings;
    }

    /**
     * @param conversation the conversation so far
     * @param input the new items
     * @param options the call's options
     * @return the finished turn
     */
    public Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options) {
        return Uni.createFrom().deferred(() -> {
            Prepared p = prepare(conversation, input, options, false);
            return client.send(p.request).map(response -> {
                var turn = new TurnAssembler(input, p.startedAt, settings.clock());
                wire.readAnswer(parse(response), turn);
                Turn done = turn.complete();
                calibrate(p, done);
                return done;
            });
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
            Prepared p = prepare(conversation, input, options, true);
            var turn = new TurnAssembler(input, p.startedAt, settings.clock());
            return client.open(p.request).onItem().transformToMulti(stream -> UpstreamClient.events(stream,
                    new UpstreamClient.EventHandler<StreamEvent>() {
                        private final List<StreamEvent> out = new ArrayList<>(8);

                        @Override
                        public void onEvent(SseEvent event, Consumer<StreamEvent> emit) {
                            if (turn.isFinished()) {
                                return;
                            }
                            KaiwaException error = wire.readEvent(event, turn);
                            if (error != null) {
                                turn.fail(error);
                            } else if (event.isDone()) {
                                calibrate(p, turn.complete());
                            }
                            flush(emit);
                        }

                        @Override
                        public void onEnd(Consumer<StreamEvent> emit) {
                            if (turn.isFinished()) {
                                return;
                            }
                            if (!turn.endedCleanly()) {
                                throw new ConnectionException("the stream ended before the answer was complete", 0,
                                        null, null);
                            }
                            calibrate(p, turn.complete());
                            flush(emit);
                        }

                        private void flush(Consumer<StreamEvent> emit) {
                            turn.drainTo(out);
                            for (StreamEvent e : out) {
                                emit.accept(e);
                            }
                            out.clear();
                        }
                    }));
        });
    }

    private record Prepared(HttpRequest request, Instant startedAt, String instructions, List<Item> items) {
    }

    private Prepared prepare(Conversation conversation, List<Item> input, RequestOptions options, boolean stream) {
        String model = settings.checkTurn(conversation, input);
        ChatOptions.check(options);
        ContextWindow window = settings.contextPolicy().apply(ContextWindow.select(conversation, input));
        // A chat API keeps no compaction items: the summary goes as a system message, the kept items as they are.
        List<Item> items = CompactionItem.expand(window.items(settings.reasoningReplay().apply(model)), false);
        var body = BodyBuffer.sizedBy(bodySizeHint);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(body)) {
            wire.writeBody(g, settings, model, window.instructions(), items, options, stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var request = new HttpRequest(wire.endpoint(settings.baseUri(), items), stream ? streamHeaders : headers,
                body.take(bodySizeHint), settings.requestTimeout(), settings.idleTimeout());
        return new Prepared(request, settings.clock().instant(), window.instructions(), items);
    }

    private static JsonNode parse(HttpResponse response) {
        try {
            return KaiwaJson.parse(response.body());
        } catch (InvalidPayloadException e) {
            throw new InvalidPayloadException("", "the provider's answer is not valid JSON: " + e.getMessage(), e);
        }
    }

    private void calibrate(Prepared p, Turn turn) {
        settings.calibrate(p.instructions, p.items, turn);
    }

    /** Closes the transport when the adapter made it. */
    public void close() {
        settings.closeTransport();
    }
}
