package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLException;

import io.kaiwa.runtime.tools.search.SearchException.Kind;
import io.kaiwa.runtime.tools.text.Whitespace;
import io.netty.channel.ConnectTimeoutException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The HTTP GET every provider makes: a Vert.x client of its own, a deadline for the whole exchange, and a cap on
 * the body read. Failures that happen before an answer arrives become {@link SearchException}s; what an answer
 * means is the provider's business.
 */
final class SearchHttp implements AutoCloseable {
    private static final String USER_AGENT = "kaiwa/0.1";

    /** An answer, whatever its status. Header names are lower case. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** @return the start of the body as text, for error messages */
        String bodyStart(int max) {
            String text = new String(body, 0, Math.min(body.length, max * 4), StandardCharsets.UTF_8);
            return Text.clip(Whitespace.collapse(text), max);
        }
    }

    private final Vertx vertx;
    private final String provider;
    private final HttpClient client;
    private final Context home;
    private final AtomicBoolean closed = new AtomicBoolean();

    SearchHttp(Vertx vertx, String provider) {
        this.vertx = requireNonNull(vertx, "vertx");
        this.provider = provider;
        // Answers are small JSON documents: compression saves more than it costs, and the size cap applies to the
        // inflated bytes. Redirects are not followed: they would carry the API key to another host.
        var options = new HttpClientOptions().setKeepAlive(true).setDecompressionSupported(true).setVerifyHost(true);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(8));
        this.home = vertx.getOrCreateContext();
    }

    /**
     * @param uri the absolute URL, query included
     * @param headers request headers; their values are never put in messages
     * @param timeout the deadline for the whole exchange, connection included
     * @param maxBytes the largest body read
     * @return the answer, on subscription; fails with {@link SearchException} when none arrived in time, the host
     *         could not be reached or the body was too large
     */
    Uni<Answer> get(URI uri, Map<String, String> headers, Duration timeout, int maxBytes) {
        String where = location(uri);
        return Uni.createFrom().emitter(emitter -> {
            var exchange = new Exchange(emitter, where, timeout, maxBytes);
            emitter.onTermination(exchange::abandon);
            Runnable start = () -> {
                exchange.startTimer();
                var options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString())
                        .setConnectTimeout(timeout.toMillis()).setFollowRedirects(false)
                        .putHeader("User-Agent", USER_AGENT);
                headers.forEach(options::putHeader);
                client.request(options).compose(request -> {
                    exchange.attach(request);
                    return request.send();
                }).onComplete(sent -> {
                    if (sent.failed()) {
                        exchange.fail(transportFailure(sent.cause(), where, timeout));
                    } else {
                        exchange.read(sent.result());
                    }
                });
            };
            // A call from a plain thread would otherwise get a new context each time, hopping event loops.
            if (Vertx.currentContext() != null) {
                start.run();
            } else {
                home.runOnContext(v -> start.run());
            }
        });
    }

    /** One request's life: its deadline, its body's size, and the reset of its connection when abandoned. */
    private final class Exchange {
        private final UniEmitter<? super Answer> emitter;
        private final String where;
        private final Duration timeout;
        private final int maxBytes;
        private final AtomicBoolean done = new AtomicBoolean();
        private final Buffer body = Buffer.buffer();
        private volatile HttpClientRequest request;
        private volatile long timer = -1;

        Exchange(UniEmitter<? super Answer> emitter, String where, Duration timeout, int maxBytes) {
            this.emitter = emitter;
            this.where = where;
            this.timeout = timeout;
            this.maxBytes = maxBytes;
        }

        void startTimer() {
            if (done.get()) {
                return;
            }
            timer = vertx.setTimer(Math.max(1, timeout.toMillis()), id -> fail(timeoutFailure(where, timeout, null)));
        }

        void attach(HttpClientRequest sent) {
            request = sent;
            if (done.get()) {
                sent.reset();
            }
        }

        void read(HttpClientResponse response) {
            if (done.get()) {
                return;
            }
            String length = response.getHeader("Content-Length");
            if (length != null && tooLarge(length)) {
                fail(tooLargeFailure());
                return;
            }
            response.handler(chunk -> {
                if (done.get()) {
                    return;
                }
                if (body.length() + chunk.length() > maxBytes) {
                    fail(tooLargeFailure());
                } else {
                    body.appendBuffer(chunk);
                }
            });
            response.exceptionHandler(e -> fail(transportFailure(e, where, timeout)));
            response.endHandler(v -> {
                if (done.compareAndSet(false, true)) {
                    vertx.cancelTimer(timer);
                    var headers = new HashMap<String, String>();
                    response.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT),
                            h.getValue()));
                    emitter.complete(new Answer(response.statusCode(), headers, body.getBytes()));
                }
            });
        }

        private boolean tooLarge(String contentLength) {
            try {
                return Long.parseLong(contentLength.trim()) > maxBytes;
            } catch (NumberFormatException e) {
                // A bad header is Vert.x's to reject; the streamed count still applies.
                return false;
            }
        }

        private SearchException tooLargeFailure() {
            return new SearchException(provider, Kind.RESPONSE_TOO_LARGE, provider + " at " + where
                    + " sent an answer larger than the " + maxBytes
                    + "-byte cap; lower max-results, or raise max-response-bytes if the service is trusted", 0,
                    null, null, null);
        }

        void fail(Throwable failure) {
            if (done.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                reset();
                emitter.fail(failure);
            }
        }

        /** The subscriber went away, or the exchange ended: free the timer and, if unanswered, the connection. */
        void abandon() {
            vertx.cancelTimer(timer);
            if (done.compareAndSet(false, true)) {
                reset();
            }
        }

        private void reset() {
            HttpClientRequest r = request;
            if (r != null) {
                r.reset();
            }
        }
    }

    private SearchException transportFailure(Throwable cause, String where, Duration timeout) {
        if (cause instanceof SearchException s) {
            return s;
        }
        if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException) {
            return timeoutFailure(where, timeout, cause);
        }
        if (cause instanceof ConnectException) {
            return new SearchException(provider, Kind.UNREACHABLE, provider + " cannot connect to " + where + " ("
                    + cause.getMessage() + "); check base-url and that the service is running", 0, null, null, cause);
        }
        if (cause instanceof UnknownHostException) {
            return new SearchException(provider, Kind.UNREACHABLE, provider + " cannot resolve the host of " + where
                    + "; check base-url and DNS", 0, null, null, cause);
        }
        if (cause instanceof SSLException) {
            return new SearchException(provider, Kind.UNREACHABLE, provider + " TLS handshake with " + where
                    + " failed (" + cause.getMessage() + "); check base-url's scheme and the certificate", 0, null,
                    null, cause);
        }
        return new SearchException(provider, Kind.UNREACHABLE, provider + " connection to " + where
                + " failed before a complete answer (" + cause + ")", 0, null, null, cause);
    }

    private SearchException timeoutFailure(String where, Duration timeout, Throwable cause) {
        return new SearchException(provider, Kind.TIMEOUT, provider + " did not answer within " + timeout.toMillis()
                + " ms (" + where + "); the service is slow or overloaded, or raise the timeout setting", 0, null,
                null, cause);
    }

    /**
     * @param base the provider's base URL, without a trailing slash
     * @param path the endpoint's path below it, starting with {@code /}
     * @param params the query parameters, in order
     * @return the absolute URL with the parameters percent-encoded (spaces as {@code %20}, which every server reads)
     */
    static URI uri(URI base, String path, Map<String, String> params) {
        var s = new StringBuilder(base.toString()).append(path);
        char sep = '?';
        for (var e : params.entrySet()) {
            s.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return URI.create(s.toString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** @return the URL without its query, which may hold the user's words or extra parameters' values */
    static String location(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            client.close();
        }
    }
}
