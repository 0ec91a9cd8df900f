package io.kaiwa.core.http;

import java.util.Map;

import io.kaiwa.core.exception.KaiwaException;

/**
 * Turns an upstream error answer into the exception that names its cause. Each adapter has exactly one, usually
 * {@link UpstreamErrors#map} plus what only its API says (the Responses API's "previous response not found").
 */
@FunctionalInterface
public interface ErrorMapper {

    /**
     * @param status the HTTP status, 4xx or 5xx (or 200 for an error event inside a stream)
     * @param headers the response headers, names in lower case
     * @param body the error body as received, possibly empty or not JSON
     * @return the exception to fail with; never {@code null}
     */
    KaiwaException map(int status, Map<String, String> headers, byte[] body);
}
