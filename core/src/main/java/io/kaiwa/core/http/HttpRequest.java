package io.kaiwa.core.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;

/**
 * A POST an adapter asks an {@link HttpTransport} to send.
 *
 * @param uri the absolute URL; never {@code null}
 * @param headers request headers (the transport adds {@code Content-Length}), not copied: pass an unmodifiable map;
 *        {@code null} means none
 * @param body the request body, already encoded, from its position to its limit; a transport reads it without
 *        changing it (retries send it again); never {@code null}
 * @param timeout for {@link HttpTransport#send}, the whole exchange; for {@link HttpTransport#open}, until the
 *        response head arrives; never {@code null}
 * @param idleTimeout for a streamed body, the longest silence allowed between two reads; never {@code null}
 */
public record HttpRequest(URI uri, Map<String, String> headers, ByteBuffer body, Duration timeout,
        Duration idleTimeout) {
    public HttpRequest {
        requireNonNull(uri, "uri");
        headers = headers == null ? Map.of() : headers;
        requireNonNull(body, "body");
        requireNonNull(timeout, "timeout");
        requireNonNull(idleTimeout, "idleTimeout");
    }
}
