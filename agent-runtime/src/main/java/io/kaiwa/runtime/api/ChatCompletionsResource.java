package io.kaiwa.runtime.api;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.openai.ChatCompletions;
import io.kaiwa.runtime.service.CreateRequest;
import io.kaiwa.runtime.service.ResponseService;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /v1/chat/completions}, for clients that have not moved to the Responses API: the request is answered
 * as a Responses API create (the same providers, whatever their API style, context policies, built-in tools and,
 * with {@code store: true}, store), whole as a {@code chat.completion} or streamed as {@code chat.completion.chunk}s,
 * with the usage chunk when {@code stream_options.include_usage} asks for it.
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {
    private static final Map<String, List<String>> JSON = Map.of("Content-Type", List.of("application/json"));
    private static final Map<String, List<String>> SSE = Map.of("Content-Type", List.of("text/event-stream"),
            "Cache-Control", List.of("no-cache"));

    @Inject
    ResponseService service;

    /**
     * @param rc the request
     * @param body a Chat Completions request
     * @return the completion, or its chunks
     */
    @POST
    public RestMulti<Buffer> create(RoutingContext rc, String body) {
        String tenant = ApiKeyAuth.tenant(rc);
        Uni<ResponsesResource.Reply> reply = Uni.createFrom().deferred(() -> {
            JsonNode chat = parse(body);
            boolean stream = chat.path("stream").asBoolean(false);
            CreateRequest request = CreateRequest.parse(ChatCompletions.toCreate(chat));
            if (!stream) {
                return service.create(tenant, request).map(r -> new ResponsesResource.Reply(200, JSON,
                        Multi.createFrom().item(Buffer.buffer(ChatCompletions.completion(r)))));
            }
            var chunks = new ChatCompletions.Chunks(chat.path("stream_options").path("include_usage").asBoolean());
            return service.events(tenant, request).map(events -> new ResponsesResource.Reply(200, SSE, events
                    .map(batch -> {
                        var frames = new StringBuilder();
                        batch.forEach(e -> frames.append(chunks.frames(e)));
                        return frames.toString();
                    }).filter(frames -> !frames.isEmpty()).map(Buffer::buffer)));
        }).onFailure().recoverWithItem(ResponsesResource.Reply::error);
        return RestMulti.fromUniResponse(reply, ResponsesResource.Reply::body, ResponsesResource.Reply::headers,
                ResponsesResource.Reply::status);
    }

    private static JsonNode parse(String body) {
        JsonNode tree = ResponsesResource.body(body);
        if (tree == null) {
            throw Errors.badRequest(null, "The request body is empty; send a JSON object.");
        }
        return tree;
    }
}
