package io.kaiwa.responses.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Chaining;
import io.kaiwa.core.ProviderResponse;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.exception.ContentFilteredException;
import io.kaiwa.core.exception.IncompleteAnswerException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.NonRetriableException;
import io.kaiwa.core.http.UpstreamErrors;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.json.JsonFields;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;

/**
 * The Responses API's request and answer shapes ({@code POST {base}/responses}): the one place that writes the
 * request body and reads a response object into a turn.
 */
public final class ResponsesWire {
    /** Body fields Kaiwa writes itself; a parameter of the same name is not written twice. */
    static final Set<String> RESERVED = Set.of("model", "input", "instructions", "previous_response_id", "store",
            "stream");

    private ResponsesWire() {
    }

    /**
     * What one request carries.
     *
     * @param model the model; never {@code null}
     * @param instructions the instructions, or {@code null}
     * @param previousResponseId the provider's id to chain from, or {@code null} to send the whole history
     * @param input the items to send: only the new input when chaining, else the rebuilt history and the input
     * @param store {@code store} to send, or {@code null} to leave the provider's default (true)
     * @param stream whether to ask for a stream
     * @param options the call's options, written in the API's own names
     * @param parameters the adapter builder's fields (tools, temperature, enable_thinking, ...), written as given
     *        where the call's options did not write the same field; may be {@code null}
     */
    public record Request(String model, String instructions, String previousResponseId, List<Item> input,
            Boolean store, boolean stream, RequestOptions options, ObjectNode parameters) {
        public Request {
            requireNonNull(model, "model");
            input = List.copyOf(input);
            requireNonNull(options, "options");
        }
    }

    /**
     * Writes a request body. A lone plain user text is written as {@code "input": "..."}, as the API's own
     * examples send it; anything else as an item array.
     *
     * @param g where to write
     * @param request what to send
     * @throws IOException when the generator fails
     */
    public static void write(JsonGenerator g, Request request) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", request.model());
        String text = plainUserText(request.input());
        if (text != null) {
            g.writeStringField("input", text);
        } else {
            g.writeFieldName("input");
            KaiwaJson.writeItems(g, request.input());
        }
        if (request.instructions() != null) {
            g.writeStringField("instructions", request.instructions());
        }
        if (request.previousResponseId() != null) {
            g.writeStringField("previous_response_id", request.previousResponseId());
        }
        if (request.store() != null) {
            g.writeBooleanField("store", request.store());
        }
        Set<String> written = KaiwaJson.writeOptionFields(g, request.options(), RESERVED);
        if (request.parameters() != null) {
            for (Map.Entry<String, JsonNode> e : request.parameters().properties()) {
                if (!RESERVED.contains(e.getKey()) && !written.contains(e.getKey())) {
                    g.writeFieldName(e.getKey());
                    g.writeTree(e.getValue());
                }
            }
        }
        if (request.stream()) {
            g.writeBooleanField("stream", true);
        }
        g.writeEndObject();
    }

    private static String plainUserText(List<Item> input) {
        if (input.size() != 1 || !(input.get(0) instanceof MessageItem m) || m.role() != Role.USER || m.id() != null
                || m.status() != null || !m.extra().isEmpty() || m.content().size() != 1) {
            return null;
        }
        ContentPart part = m.content().get(0);
        return part instanceof InputText t && t.extra().isEmpty() ? t.text() : null;
    }

    /**
     * Reads a response object into a turn.
     *
     * @param root the response object ({@code "object": "response"})
     * @param provider the adapter's provider key, recorded with the response id
     * @param ttl how long the provider keeps the response, or {@code null} when it never forgets
     * @param store whether the provider was asked to keep the response; when not, no id is recorded to chain from
     * @param input the turn's new input
     * @param startedAt when the request was sent
     * @param completedAt when the answer was read
     * @param chaining how the request carried the history
     * @return the turn
     */
    public static Turn read(JsonNode root, String provider, Duration ttl, boolean store, List<Item> input,
            Instant startedAt, Instant completedAt, Chaining chaining) {
        ObjectNode o = JsonFields.object(root, "");
        String id = JsonFields.requiredString(o, "id", "");
        Instant created = createdAt(o.get("created_at"), completedAt);
        List<Item> output = o.hasNonNull("output") ? KaiwaJson.readItems(o.get("output"), "output") : List.of();
        Usage usage = o.hasNonNull("usage") ? KaiwaJson.readUsage(o.get("usage"), "usage") : null;
        String wireStatus = JsonFields.string(o, "status", "");
        if ("queued".equals(wireStatus) || "in_progress".equals(wireStatus)) {
            throw new InvalidPayloadException("status", "the response is still " + wireStatus
                    + ": a finished answer was expected (background responses are not run by this adapter)", null);
        }
        TurnStatus status = status(wireStatus);
        TurnError error = null;
        JsonNode e = o.get("error");
        if (e != null && e.isObject()) {
            error = new TurnError(orDefault(JsonFields.string(e, "code", "error"), "upstream_error"),
                    orDefault(JsonFields.string(e, "message", "error"), "the provider reported a failure"));
        } else if (status == TurnStatus.FAILED) {
            error = new TurnError("upstream_error", "the provider reported a failed response without an error");
        } else if (status == TurnStatus.CANCELLED) {
            error = new TurnError("cancelled", "the response was cancelled");
        } else if (status == TurnStatus.INCOMPLETE) {
            JsonNode details = o.get("incomplete_details");
            String reason = details != null && details.isObject()
                    ? orDefault(JsonFields.string(details, "reason", "incomplete_details"), "incomplete")
                    : "incomplete";
            error = new TurnError(reason, "the provider stopped the answer early: " + reason);
        }
        ProviderResponse ref = store && status != TurnStatus.FAILED
                ? new ProviderResponse(provider, id, ttl == null ? null : created.plus(ttl))
                : null;
        return new Turn(id, input, output, usage, ref, status, error, startedAt, completedAt, chaining);
    }

    /**
     * @param turn a failed or incomplete turn
     * @return the typed exception for its error, as a stream's {@code Failed} event carries it
     */
    public static KaiwaException failure(Turn turn) {
        TurnError error = requireNonNull(turn.error(), "error");
        if (turn.status() == TurnStatus.CANCELLED) {
            return new NonRetriableException(error.message(), 0, error.code(), null, null);
        }
        if (turn.status() == TurnStatus.INCOMPLETE) {
            return "content_filter".equals(error.code())
                    ? new ContentFilteredException(error.message(), 0, error.code(), null, null)
                    : new IncompleteAnswerException(error.message(), error.code());
        }
        // Inside a 200 answer there is no HTTP status: the code alone decides the type.
        return UpstreamErrors.map(200, new UpstreamErrors.ErrorBody(error.message(), null, error.code(), null, null));
    }

    private static Instant createdAt(JsonNode node, Instant fallback) {
        if (node == null || !node.isNumber()) {
            return fallback;
        }
        // DashScope sends seconds as a float (1769084048.0), OpenAI as an integer.
        double seconds = node.doubleValue();
        long whole = (long) seconds;
        return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e9));
    }

    private static TurnStatus status(String status) {
        if (status == null) {
            return TurnStatus.COMPLETED;
        }
        return switch (status) {
            case "incomplete" -> TurnStatus.INCOMPLETE;
            case "failed" -> TurnStatus.FAILED;
            case "cancelled" -> TurnStatus.CANCELLED;
            // A missing status is read as a finished answer: some compatible servers leave it out.
            default -> TurnStatus.COMPLETED;
        };
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
