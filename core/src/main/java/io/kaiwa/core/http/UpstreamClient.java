package io.kaiwa.core.http;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.sse.SseDecoder;
import io.kaiwa.core.sse.SseEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Sends an adapter's requests through an {@link HttpTransport} with retries and error mapping, and decodes
 * streamed answers as SSE: the transport-neutral half of every adapter's HTTP work.
 *
 * <p>
 * Thread-safe and stateless between calls; one instance serves all of an adapter's turns.
 */
public final class UpstreamClient {
    private final HttpTransport transport;
    private final RetryPolicy retryPolicy;
    private final ErrorMapper errors;

    /**
     * @param transport sends the requests
     * @param retryPolicy how to retry
     * @param errors maps error answers to exceptions
     */
    public UpstreamClient(HttpTransport transport, RetryPolicy retryPolicy, ErrorMapper errors) {
        this.transport = requireNonNull(transport, "transport");
        this.retryPolicy = requireNonNull(retryPolicy, "retryPolicy");
        this.errors = requireNonNull(errors, "errors");
    }

    /**
     * Sends a request, retrying as the policy allows, and reads the whole answer.
     *
     * @param request the request
     * @return the 2xx answer; a failure is the mapped exception of the last attempt
     */
    public Uni<HttpResponse> send(HttpRequest request) {
        return sendAttempt(request, 0);
    }

    private Uni<HttpResponse> sendAttempt(HttpRequest request, int retriesDone) {
        return transport.send(request).onItemOrFailure().transformToUni((response, failure) -> {
            if (failure != null) {
                return retryOrFail(retriesDone, asKaiwa(failure), Map.of(),
                        () -> sendAttempt(request, retriesDone + 1));
            }
            if (response.isSuccess()) {
                return Uni.createFrom().item(response);
            }
            return retryOrFail(retriesDone, errors.map(response.status(), response.headers(), response.body()),
                    response.headers(), () -> sendAttempt(request, retriesDone + 1));
        });
    }

    /**
     * Sends a request, retrying as the policy allows until a 2xx head arrives. The body that follows is never
     * retried: once it flows, a failure is the caller's.
     *
     * @param request the request
     * @return the 2xx answer with its body still to read
     */
    public Uni<HttpStream> open(HttpRequest request) {
        return openAttempt(request, 0);
    }

    private Uni<HttpStream> openAttempt(HttpRequest request, int retriesDone) {
        return transport.open(request).onItemOrFailure().transformToUni((stream, failure) -> {
            if (failure != null) {
                return retryOrFail(retriesDone, asKaiwa(failure), Map.of(),
                        () -> openAttempt(request, retriesDone + 1));
            }
            if (stream.status() >= 200 && stream.status() < 300) {
                return Uni.createFrom().item(stream);
            }
            return readAll(stream, request.timeout()).onItemOrFailure().transformToUni((body, bodyFailure) -> {
                KaiwaException error = errors.map(stream.status(), stream.headers(), body == null ? new byte[0] : body);
                return retryOrFail(retriesDone, error, stream.headers(), () -> openAttempt(request, retriesDone + 1));
            });
        });
    }

    private static Uni<byte[]> readAll(HttpStream stream, Duration timeout) {
        return stream.body().collect().in(ByteArrayOutputStream::new, (out, chunk) -> out.write(chunk, 0, chunk.length))
                .map(ByteArrayOutputStream::toByteArray).ifNoItem().after(timeout).fail();
    }

    private <T> Uni<T> retryOrFail(int retriesDone, KaiwaException error, Map<String, String> headers,
            Supplier<Uni<T>> next) {
        if (retriesDone >= retryPolicy.maxRetries() || !shouldRetry(error, headers)) {
            return Uni.createFrom().failure(error);
        }
        Duration wait = waitBefore(retriesDone + 1, headers);
        Uni<Void> pause = wait.isZero()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(wait);
        return pause.chain(ignored -> next.get());
    }

    private static boolean shouldRetry(KaiwaException error, Map<String, String> headers) {
        // The server knows best whether a retry can help: OpenAI's x-should-retry overrides the status.
        String header = headers.get("x-should-retry");
        if ("true".equals(header)) {
            return true;
        }
        if ("false".equals(header)) {
            return false;
        }
        return error.isRetriable();
    }

    /**
     * @param retry which retry this is, from 1
     * @param headers the failed answer's headers, names in lower case
     * @return the server's {@code retry-after-ms} or {@code Retry-After} when between 0 and a minute, else the
     *         policy's backoff
     */
    Duration waitBefore(int retry, Map<String, String> headers) {
        Duration requested = retryAfter(headers);
        if (requested != null && !requested.isNegative() && requested.compareTo(RetryPolicy.MAX_RETRY_AFTER) <= 0) {
            return requested;
        }
        return retryPolicy.backoff(retry, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param headers response headers, names in lower case
     * @return the wait the server asked for, or {@code null} when it asked for none it could be understood
     */
    public static Duration retryAfter(Map<String, String> headers) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                return Duration.ofNanos((long) (Double.parseDouble(ms.trim()) * 1_000_000));
            } catch (NumberFormatException ignored) {
                // Falls back to Retry-After.
            }
        }
        String after = headers.get("retry-after");
        if (after == null) {
            return null;
        }
        try {
            return Duration.ofNanos((long) (Double.parseDouble(after.trim()) * 1_000_000_000L));
        } catch (NumberFormatException notSeconds) {
            try {
                var date = ZonedDateTime.parse(after.trim(),
                        DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
                return Duration.between(Instant.now(), date.toInstant());
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    /**
     * What an adapter makes of a stream's events.
     *
     * @param <T> what the adapter streams
     */
    public interface EventHandler<T> {
        /**
         * @param event one decoded event
         * @param emit passes on what it means, any number of items; may throw a
         *        {@link io.kaiwa.core.exception.KaiwaException} to fail the stream
         */
        void onEvent(SseEvent event, Consumer<T> emit);

        /**
         * Called once the body has ended cleanly (not inside an event).
         *
         * @param emit passes on any closing items; may throw to fail the stream (a truncated answer)
         */
        void onEnd(Consumer<T> emit);
    }

    /**
     * Decodes a streamed answer and maps its events straight from the transport's callbacks, with no operator per
     * chunk. A body that ends inside an event fails with {@link ConnectionException}; cancelling the result cancels
     * the body, which closes the connection.
     *
     * @param stream the answer, whose body has not been subscribed to
     * @param handler maps events; runs on the transport's thread, in order
     * @param <T> what the stream carries
     * @return the mapped items, in order
     */
    public static <T> Multi<T> events(HttpStream stream, EventHandler<T> handler) {
        return Multi.createFrom().emitter(emitter -> {
            var decoder = new SseDecoder();
            Consumer<T> emit = emitter::emit;
            Consumer<SseEvent> onEvent = event -> handler.onEvent(event, emit);
            var subscription = stream.body().subscribe().with(chunk -> {
                if (emitter.isCancelled()) {
                    return;
                }
                try {
                    decoder.feed(chunk, 0, chunk.length, onEvent);
                } catch (RuntimeException e) {
                    // Failing the emitter cancels the body through onTermination, closing the connection.
                    emitter.fail(e);
                }
            }, emitter::fail, () -> {
                if (decoder.hasPartialEvent()) {
                    emitter.fail(new ConnectionException(
                            "the event stream ended inside an event: the connection was cut", 0, null, null));
                    return;
                }
                try {
                    handler.onEnd(emit);
                    emitter.complete();
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            });
            emitter.onTermination(subscription::cancel);
        });
    }

    private static KaiwaException asKaiwa(Throwable failure) {
        if (failure instanceof KaiwaException k) {
            return k;
        }
        return new ConnectionException("request failed: " + failure, 0, null, failure);
    }
}
