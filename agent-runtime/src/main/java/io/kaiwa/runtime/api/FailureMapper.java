package io.kaiwa.runtime.api;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure a resource method lets through, answered in OpenAI's error shape by {@link ErrorBody}. */
public class FailureMapper {

    /**
     * @param failure what went wrong
     * @return the error response
     */
    @ServerExceptionMapper
    public Response map(Throwable failure) {
        return ResponsesResource.error(failure);
    }
}
