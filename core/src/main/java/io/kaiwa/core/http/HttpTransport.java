package io.kaiwa.core.http;

import io.smallrye.mutiny.Uni;

/**
 * Sends adapters' HTTP requests. Kaiwa's adapters ship a Vert.x implementation; this port keeps retries, error
 * mapping and SSE decoding ({@link UpstreamClient}) free of any HTTP library.
 *
 * <p>
 * Implementations never block the caller, send nothing before subscription, and are thread-safe. They report
 * transport failures as {@link io.kaiwa.core.exception.ConnectionException} (refused, reset, closed early) and
 * {@link io.kaiwa.core.exception.UpstreamTimeoutException} (timeouts), and HTTP error statuses as ordinary
 * responses: mapping those is the caller's job.
 */
public interface HttpTransport {

    /**
     * Sends a request and reads the whole answer.
     *
     * @param request the request
     * @return the answer, whatever its status
     */
    Uni<HttpResponse> send(HttpRequest request);

    /**
     * Sends a request and delivers the answer as soon as its head arrives.
     *
     * @param request the request
     * @return the answer, whatever its status, with its body still to read
     */
    Uni<HttpStream> open(HttpRequest request);
}
