package io.kaiwa.core.http;

import java.util.Locale;
import java.util.Map;

import io.smallrye.mutiny.Multi;

/**
 * An HTTP answer whose head has arrived and whose body is still streaming.
 *
 * <p>
 * The body can be subscribed to once. Cancelling that subscription closes the connection (it cannot be reused
 * after an unfinished body), and so does {@link #discard()}. A read that stays silent longer than the request's
 * idle timeout fails the body with {@link io.kaiwa.core.exception.UpstreamTimeoutException}; a connection that
 * breaks fails it with {@link io.kaiwa.core.exception.ConnectionException}.
 */
public interface HttpStream {

    /** @return the status code */
    int status();

    /** @return the response headers, names in lower case */
    Map<String, String> headers();

    /** @return the body's chunks as they arrive; each array is the subscriber's to keep */
    Multi<byte[]> body();

    /** Closes the connection without reading the body. Idempotent. */
    void discard();

    /**
     * @param name a header name, in any case
     * @return its value, or {@code null}
     */
    default String header(String name) {
        return headers().get(name.toLowerCase(Locale.ROOT));
    }
}
