package io.kaiwa.runtime.tools.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Fetches one URL without letting it reach an address the {@link AddressPolicy} refuses: every hop's URL is parsed
 * and checked, its host resolved once on a worker thread, every answer checked, and the connection made to the
 * checked address itself while the {@code Host} header, SNI and certificate check keep the name. Redirects are
 * followed here, never by the HTTP client, so each {@code Location} goes through the same checks.
 *
 * <p>
 * Never fails: every problem is an {@link Outcome.Failure} with a message for the model. Runs on a Vert.x event loop
 * and never blocks it.
 */
final class PageFetcher implements AutoCloseable {
    /** Where the connection to a checked address goes. Production dials the address; tests may redirect it. */
    @FunctionalInterface
    interface Dialer {
        /**
         * @param checked an address the policy accepted
         * @param port the URL's port
         * @return the socket address to connect to
         */
        SocketAddress dial(InetAddress checked, int port);
    }

    /** Connects to the checked address, written as a literal so that nothing resolves it again. */
    static final Dialer DIRECT = (address, port) -> SocketAddress.inetSocketAddress(port,
            AddressPolicy.format(address));

    /** What fetching one URL came to. */
    sealed interface Outcome permits Outcome.Body, Outcome.Failure {
        /**
         * @param url the URL the body came from, after redirects
         * @param mediaType its media type, lower case without parameters
         * @param charset the charset the server named, or {@code null}
         * @param bytes the body
         */
        record Body(URI url, String mediaType, String charset, Buffer bytes) implements Outcome {
        }

        /** @param message what went wrong, for the model */
        record Failure(String message) implements Outcome {
        }
    }

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Vertx vertx;
    private final FetchSettings settings;
    private final HostResolver resolver;
    private final Dialer dialer;
    private final AddressPolicy policy;
    private final HttpClient client;
    private final String accept;

    PageFetcher(Vertx vertx, FetchSettings settings, HostResolver resolver, Dialer dialer) {
        this.vertx = vertx;
        this.settings = settings;
        this.resolver = resolver;
        this.dialer = dialer;
        this.policy = AddressPolicy.allowing(settings.allowedPrivateCidrs());
        // No keep-alive: a pooled connection would outlive the check that allowed it. No decompression: a small
        // gzip body can inflate past the size cap inside one read, before the cap is looked at.
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setPipelining(false)
                .setDecompressionSupported(false).setVerifyHost(true).setTrustAll(false));
        this.accept = String.join(", ", settings.allowedContentTypes()) + ";q=0.9, */*;q=0.1";
    }

    /**
     * @param url the URL as the model gave it
     * @return the body or why there is none; never a failure. Nothing happens before subscription; cancelling
     *         closes the connection.
     */
    Uni<Outcome> fetch(String url) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = vertx.getOrCreateContext();
            Attempt attempt = new Attempt(emitter);
            emitter.onTermination(() -> context.runOnContext(v -> attempt.fail("cancelled")));
            context.runOnContext(v -> attempt.start(url));
        });
    }

    @Override
    public void close() {
        client.close();
    }

    /** One URL's redirect chain. Confined to one Vert.x context, so its fields need no locking. */
    private final class Attempt {
        private final UniEmitter<? super Outcome> emitter;
        private boolean finished;
        private long timer = -1;
        private long deadline;
        private int redirects;
        private HttpClientRequest request;

        Attempt(UniEmitter<? super Outcome> emitter) {
            this.emitter = emitter;
        }

        void start(String url) {
            if (finished) {
                return;
            }
            Duration timeout = settings.timeout();
            deadline = System.nanoTime() + timeout.toNanos();
            timer = vertx.setTimer(timeout.toMillis(),
                    id -> fail("timed out after " + seconds(timeout) + " reading " + TargetUrl.shorten(url)));
            guard(() -> hop(url, null));
        }

        private void hop(String url, URI base) {
            TargetUrl target = TargetUrl.parse(url, base);
            addresses(target).onComplete(ar -> guard(() -> {
                if (ar.failed()) {
                    Throwable cause = ar.cause();
                    throw new Rejected(cause instanceof UnknownHostException
                            ? "could not resolve " + target.host()
                            : "could not resolve " + target.host() + ": " + cause.getMessage());
                }
                connect(target, checked(target, ar.result()));
            }));
        }

        private Future<List<InetAddress>> addresses(TargetUrl target) {
            if (target.literal() != null) {
                return Future.succeededFuture(List.of(target.literal()));
            }
            // The resolver may block (the system one does): run it on a worker, never on the event loop.
            return vertx.executeBlocking(() -> resolver.resolve(target.host()), false);
        }

        private InetAddress checked(TargetUrl target, List<InetAddress> addresses) {
            if (addresses == null || addresses.isEmpty()) {
                throw new Rejected("could not resolve " + target.host() + ": it has no addresses");
            }
            // Every answer is checked, not only the one used: a mixed answer is a rebinding attempt or a misconfig.
            for (InetAddress address : addresses) {
                Optional<AddressPolicy.Refusal> refusal = policy.check(address);
                if (refusal.isPresent()) {
                    AddressPolicy.Refusal r = refusal.get();
                    throw new Rejected(target.literal() != null
                            ? "refused: " + r.reason()
                            : "refused: " + target.host() + " resolves to " + AddressPolicy.format(address) + ", "
                                    + r.what());
                }
            }
            return addresses.get(0);
        }

        private void connect(TargetUrl target, InetAddress address) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000;
            if (remaining <= 0) {
                throw new Rejected("timed out after " + seconds(settings.timeout()) + " reading " + target.uri());
            }
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                    .setServer(dialer.dial(address, target.port())).setHost(target.host()).setPort(target.port())
                    .setSsl(target.https()).setURI(target.requestTarget()).setFollowRedirects(false)
                    .setConnectTimeout(remaining).putHeader(HttpHeaders.USER_AGENT, settings.userAgent())
                    .putHeader(HttpHeaders.ACCEPT, accept).putHeader(HttpHeaders.ACCEPT_ENCODING, "identity");
            client.request(options).onComplete(ar -> guard(() -> {
                if (ar.failed()) {
                    throw new Rejected("could not connect to " + target.hostHeader() + ": " + ar.cause().getMessage());
                }
                if (finished) {
                    ar.result().reset();
                    return;
                }
                request = ar.result();
                request.send().onComplete(response -> guard(() -> {
                    if (response.failed()) {
                        throw new Rejected("could not fetch " + target.uri() + ": " + response.cause().getMessage());
                    }
                    respond(target, response.result());
                }));
            }));
        }

        private void respond(TargetUrl target, HttpClientResponse response) {
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                String location = response.getHeader(HttpHeaders.LOCATION);
                abortRequest();
                if (location == null || location.isBlank()) {
                    throw new Rejected("HTTP " + status + " from " + target.uri() + " without a Location header");
                }
                if (redirects >= settings.maxRedirects()) {
                    throw new Rejected("refused: too many redirects (more than " + settings.maxRedirects()
                            + "); the last one was from " + target.uri());
                }
                redirects++;
                hop(location, target.uri());
                return;
            }
            if (status < 200 || status > 299) {
                String reason = response.statusMessage() == null ? "" : " " + response.statusMessage();
                throw new Rejected("HTTP " + status + reason + " from " + target.uri());
            }
            String encoding = response.getHeader(HttpHeaders.CONTENT_ENCODING);
            if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
                throw new Rejected("refused: " + target.uri() + " sent a compressed body (" + encoding
                        + ") although none was asked for");
            }
            String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
            String mediaType = mediaType(contentType);
            if (mediaType == null) {
                throw new Rejected("refused: " + target.uri() + " did not say what it is (no Content-Type)");
            }
            if (!settings.allowedContentTypes().contains(mediaType)) {
                throw new Rejected("refused: " + target.uri() + " is " + mediaType + ", which is not read (only "
                        + String.join(", ", settings.allowedContentTypes()) + ")");
            }
            long max = settings.maxBodyBytes();
            String declared = response.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && declared.strip().chars().allMatch(Character::isDigit) && declared.length() < 19
                    && Long.parseLong(declared.strip()) > max) {
                throw new Rejected("refused: " + target.uri() + " is " + declared.strip()
                        + " bytes, more than the limit of " + max + " bytes");
            }
            Buffer body = Buffer.buffer();
            response.exceptionHandler(e -> guard(() -> {
                throw new Rejected("could not read " + target.uri() + ": " + e.getMessage());
            }));
            response.handler(chunk -> guard(() -> {
                if (finished) {
                    return;
                }
                if ((long) body.length() + chunk.length() > max) {
                    throw new Rejected("refused: " + target.uri() + " is larger than the limit of " + max + " bytes");
                }
                body.appendBuffer(chunk);
            }));
            response.endHandler(
                    v -> finish(new Outcome.Body(target.uri(), mediaType, charset(contentType), body)));
        }

        /** Runs a step; a {@link Rejected} or any other surprise ends the attempt with a message. */
        private void guard(Runnable step) {
            if (finished) {
                return;
            }
            try {
                step.run();
            } catch (Rejected e) {
                fail(e.getMessage());
            } catch (RuntimeException e) {
                fail("could not fetch: " + e);
            }
        }

        void fail(String message) {
            if (finish(new Outcome.Failure(message))) {
                // After finishing: a reset reports itself to the handlers, which must find the attempt over.
                abortRequest();
            }
        }

        private boolean finish(Outcome outcome) {
            if (finished) {
                return false;
            }
            finished = true;
            vertx.cancelTimer(timer);
            emitter.complete(outcome);
            return true;
        }

        private void abortRequest() {
            if (request != null) {
                // Closes the connection: nothing more is read from a response we gave up on.
                request.reset();
                request = null;
            }
        }
    }

    /** @return the media type of a {@code Content-Type} value, lower case without parameters, or {@code null} */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        return type.isEmpty() ? null : type;
    }

    /** @return the {@code charset} parameter of a {@code Content-Type} value, or {@code null} */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String value = p.substring(8).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
