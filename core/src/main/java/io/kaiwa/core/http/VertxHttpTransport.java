package io.kaiwa.core.http;

import static java.util.Objects.requireNonNull;

import java.net.ConnectException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.UpstreamTimeoutException;
import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The {@link HttpTransport} Kaiwa's adapters use: a Vert.x HTTP client with a keep-alive connection pool.
 *
 * <p>
 * Give it the application's Vert.x instance (inside Quarkus, Quarkus's own) and it shares its event loops;
 * without one it starts a private instance and stops it in {@link #close()}. Callbacks run on a Vert.x event
 * loop: never block in them. A cancelled request resets its HTTP connection, so an abandoned stream stops
 * costing the provider tokens at once.
 */
public final class VertxHttpTransport implements HttpTransport, AutoCloseable {
    private static final String USER_AGENT = "kaiwa/0.1";

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final HttpClient client;
    private final Map<Thread, HttpClient> perEventLoop = new ConcurrentHashMap<>();
    private final Context home;

    private VertxHttpTransport(Vertx vertx, boolean ownsVertx, Duration connectTimeout, int maxConnections) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.options = new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .setTryUseCompression(false);
        this.pool = new PoolOptions().setHttp1MaxSize(maxConnections);
        this.client = vertx.createHttpClient(options, pool);
        this.home = vertx.getOrCreateContext();
    }

    /**
     * Runs a request's start on a Vert.x context: the caller's own when it is on one (inside Quarkus, the request's
     * event loop), else this transport's. Vert.x would otherwise make a new context for every call from a plain
     * thread, and its callbacks would hop between event loops.
     */
    /**
     * @return the client whose connections live on the calling event loop. One shared pool would hand a request a
     *         connection of another event loop about half the time, and every step of that exchange would then
     *         cross threads (a wake-up each way).
     */
    private HttpClient client() {
        if (!Context.isOnEventLoopThread()) {
            return client;
        }
        HttpClient mine = perEventLoop.get(Thread.currentThread());
        return mine != null
                ? mine
                : perEventLoop.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(options, pool));
    }

    private void onContext(Runnable start) {
        if (Vertx.currentContext() != null) {
            start.run();
        } else {
            home.runOnContext(v -> start.run());
        }
    }

    /**
     * @param vertx the Vert.x instance to share, or {@code null} to start a private one
     * @param connectTimeout the longest wait for a TCP (and TLS) connection
     * @param maxConnections the most connections kept open to one host
     * @return a new transport; close it when done
     */
    public static VertxHttpTransport create(Vertx vertx, Duration connectTimeout, int maxConnections) {
        requireNonNull(connectTimeout, "connectTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
        if (vertx != null) {
            return new VertxHttpTransport(vertx, false, connectTimeout, maxConnections);
        }
        // A private instance uses Netty's native epoll where its library is present (this module ships it for
        // Linux): fewer system calls per request than Java NIO. Two event loops serve a client well.
        var options = new VertxOptions().setPreferNativeTransport(true)
                .setEventLoopPoolSize(Math.min(2, Runtime.getRuntime().availableProcessors()));
        return new VertxHttpTransport(Vertx.vertx(options), true, connectTimeout, maxConnections);
    }

    @Override
    public Uni<HttpResponse> send(HttpRequest request) {
        return Uni.createFrom().<HttpResponse>emitter(emitter -> {
            var exchange = new Exchange<HttpResponse>(vertx, request, emitter::complete, emitter::fail);
            emitter.onTermination(exchange::abandon);
            onContext(() -> client().request(options(request)).onComplete(opened -> {
                if (opened.failed()) {
                    exchange.fail(failure(opened.cause(), request));
                    return;
                }
                if (!exchange.attach(opened.result())) {
                    return;
                }
                exchange.startTimer("no complete answer from " + request.uri() + " within " + request.timeout());
                opened.result().send(body(request))
                        .compose(response -> response.body().map(body -> new HttpResponse(response.statusCode(),
                                headerMap(response.headers()), body.getBytes())))
                        .onComplete(answered -> {
                            if (answered.succeeded()) {
                                exchange.complete(answered.result());
                            } else {
                                exchange.fail(failure(answered.cause(), request));
                            }
                        });
            }));
        });
    }

    @Override
    public Uni<HttpStream> open(HttpRequest request) {
        return Uni.createFrom().<HttpStream>emitter(emitter -> {
            var exchange = new Exchange<HttpStream>(vertx, request, emitter::complete, emitter::fail);
            emitter.onTermination(exchange::abandon);
            onContext(() -> client().request(options(request)).onComplete(opened -> {
                if (opened.failed()) {
                    exchange.fail(failure(opened.cause(), request));
                    return;
                }
                HttpClientRequest req = opened.result();
                if (!exchange.attach(req)) {
                    return;
                }
                // Until the head arrives; the body then has its own idle watchdog.
                exchange.startTimer("no answer from " + request.uri() + " within " + request.timeout());
                req.send(body(request)).onComplete(answered -> {
                    if (answered.failed()) {
                        exchange.fail(failure(answered.cause(), request));
                        return;
                    }
                    HttpClientResponse response = answered.result();
                    // Nothing may be read before the body is subscribed to.
                    response.pause();
                    if (!exchange.complete(new VertxStream(vertx, req, response, request))) {
                        req.reset();
                    }
                });
            }));
        });
    }

    /**
     * One request's life until its answer (or head) is delivered: a Vert.x timer for the deadline, and a reset of
     * the connection when the caller gives up first.
     */
    private static final class Exchange<T> {
        private final Vertx vertx;
        private final HttpRequest request;
        private final Consumer<T> onItem;
        private final Consumer<Throwable> onFailure;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile HttpClientRequest sent;
        private volatile long timer = -1;

        Exchange(Vertx vertx, HttpRequest request, Consumer<T> onItem,
                Consumer<Throwable> onFailure) {
            this.vertx = vertx;
            this.request = request;
            this.onItem = onItem;
            this.onFailure = onFailure;
        }

        void startTimer(String message) {
            // Set from the connection's event loop, a Vert.x timer wakes no other thread.
            timer = vertx.setTimer(Math.max(1, request.timeout().toMillis()), id -> {
                if (done.compareAndSet(false, true)) {
                    reset();
                    onFailure.accept(new UpstreamTimeoutException(message, 0, null, null));
                }
            });
        }

        /** @return false when the exchange already ended, in which case the request is reset */
        boolean attach(HttpClientRequest request) {
            sent = request;
            if (done.get()) {
                request.reset();
                return false;
            }
            return true;
        }

        boolean complete(T item) {
            if (done.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                onItem.accept(item);
                return true;
            }
            return false;
        }

        void fail(Throwable failure) {
            if (done.compareAndSet(false, true)) {
                vertx.cancelTimer(timer);
                onFailure.accept(failure);
            }
        }

        /** The subscriber cancelled, or the exchange ended: free the timer and, if unanswered, the connection. */
        void abandon() {
            vertx.cancelTimer(timer);
            if (done.compareAndSet(false, true)) {
                reset();
            }
        }

        private void reset() {
            HttpClientRequest r = sent;
            if (r != null) {
                r.reset();
            }
        }
    }

    private static Buffer body(HttpRequest request) {
        // Wraps the caller's bytes: no copy, and a retry reads the same bytes again.
        return Buffer.buffer(Unpooled.wrappedBuffer(request.body().duplicate()));
    }

    private static RequestOptions options(HttpRequest request) {
        // The connect timeout also bounds the wait for a free pooled connection.
        var options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(request.uri().toString())
                .setConnectTimeout(request.timeout().toMillis());
        options.putHeader("User-Agent", USER_AGENT);
        request.headers().forEach(options::putHeader);
        return options;
    }

    private static Map<String, String> headerMap(MultiMap headers) {
        var map = new HashMap<String, String>(headers.size() * 2);
        headers.forEach(e -> map.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return map;
    }

    static KaiwaException failure(Throwable cause, HttpRequest request) {
        if (cause instanceof KaiwaException k) {
            return k;
        }
        if (cause instanceof TimeoutException) {
            return new UpstreamTimeoutException("timed out talking to " + request.uri() + ": " + cause.getMessage(), 0,
                    null, cause);
        }
        if (cause instanceof ConnectException) {
            return new ConnectionException("cannot connect to " + request.uri() + ": " + cause.getMessage(), 0, null,
                    cause);
        }
        return new ConnectionException("connection to " + request.uri() + " failed: " + cause, 0, null, cause);
    }

    /** @return whether the Vert.x instance runs on Netty's native transport rather than Java NIO */
    public boolean nativeTransport() {
        return vertx.isNativeTransportEnabled();
    }

    /** Stops the private Vert.x instance, if this transport started one; a shared one is left running. */
    @Override
    public void close() {
        client.close();
        perEventLoop.values().forEach(HttpClient::close);
        if (ownsVertx) {
            vertx.close();
        }
    }

    private static final class VertxStream implements HttpStream {
        private final Vertx vertx;
        private final HttpClientRequest request;
        private final HttpClientResponse response;
        private final HttpRequest sent;
        private final Map<String, String> headers;
        private final AtomicBoolean subscribed = new AtomicBoolean();

        VertxStream(Vertx vertx, HttpClientRequest request, HttpClientResponse response, HttpRequest sent) {
            this.vertx = vertx;
            this.request = request;
            this.response = response;
            this.sent = sent;
            this.headers = headerMap(response.headers());
        }

        @Override
        public int status() {
            return response.statusCode();
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }

        @Override
        public Multi<byte[]> body() {
            return Multi.createFrom().emitter(emitter -> {
                if (!subscribed.compareAndSet(false, true)) {
                    emitter.fail(new IllegalStateException("the body can be read once"));
                    return;
                }
                var ended = new AtomicBoolean();
                var lastRead = new AtomicLong(System.nanoTime());
                var timer = new AtomicLong(-1);
                emitter.onTermination(() -> {
                    vertx.cancelTimer(timer.get());
                    if (ended.compareAndSet(false, true)) {
                        // An unfinished body leaves the connection unusable: close it, which also tells the
                        // provider to stop generating.
                        request.reset();
                    }
                });
                long idleNanos = sent.idleTimeout().toNanos();
                // One timer per idle period, re-armed for the time left, rather than one per chunk.
                Handler<Long> watchdog = new Handler<>() {
                    @Override
                    public void handle(Long id) {
                        if (ended.get()) {
                            return;
                        }
                        long silent = System.nanoTime() - lastRead.get();
                        if (silent >= idleNanos) {
                            if (ended.compareAndSet(false, true)) {
                                request.reset();
                                emitter.fail(new UpstreamTimeoutException("the stream from " + sent.uri()
                                        + " was silent for longer than " + sent.idleTimeout(), 0, null, null));
                            }
                        } else {
                            timer.set(vertx.setTimer(Math.max(1, (idleNanos - silent) / 1_000_000), this));
                        }
                    }
                };
                response.handler(buffer -> {
                    lastRead.set(System.nanoTime());
                    emitter.emit(buffer.getBytes());
                });
                response.exceptionHandler(e -> {
                    if (ended.compareAndSet(false, true)) {
                        emitter.fail(failure(e, sent));
                    }
                });
                response.endHandler(v -> {
                    if (ended.compareAndSet(false, true)) {
                        vertx.cancelTimer(timer.get());
                        emitter.complete();
                    }
                });
                timer.set(vertx.setTimer(Math.max(1, sent.idleTimeout().toMillis()), watchdog));
                response.resume();
            });
        }

        @Override
        public void discard() {
            if (subscribed.compareAndSet(false, true)) {
                request.reset();
            }
        }
    }
}
