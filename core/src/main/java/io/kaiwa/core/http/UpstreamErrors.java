package io.kaiwa.core.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.ConflictException;
import io.kaiwa.core.exception.ContentFilteredException;
import io.kaiwa.core.exception.ContextWindowExceededException;
import io.kaiwa.core.exception.InsufficientQuotaException;
import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.exception.NonRetriableException;
import io.kaiwa.core.exception.NotFoundException;
import io.kaiwa.core.exception.PermissionDeniedException;
import io.kaiwa.core.exception.RateLimitException;
import io.kaiwa.core.exception.ResponseNotFoundException;
import io.kaiwa.core.exception.RetriableException;
import io.kaiwa.core.exception.ServerException;
import io.kaiwa.core.exception.UpstreamTimeoutException;
import io.kaiwa.core.json.KaiwaJson;

/**
 * Reads the two error shapes Kaiwa's providers send and maps them to exceptions: OpenAI's
 * {@code {"error":{"message","type","param","code"}}} (also DashScope's compatible mode) and DashScope's native
 * {@code {"code","message","request_id"}}. The provider's code decides where it is specific (DashScope's
 * {@code InvalidParameter}, {@code DataInspectionFailed}, {@code Arrearage}, {@code Throttling.*}; OpenAI's
 * {@code insufficient_quota}, {@code context_length_exceeded}); the status decides otherwise.
 */
public final class UpstreamErrors {
    private static final ObjectMapper JSON = KaiwaJson.mapper();
    private static final int MAX_MESSAGE = 2_000;

    private UpstreamErrors() {
    }

    /**
     * What an error body says.
     *
     * @param message the provider's message, or a description of the body when it had none
     * @param type OpenAI's error {@code type}, or {@code null}
     * @param code the provider's code, or {@code null}
     * @param param the request field at fault, or {@code null}
     * @param requestId the provider's request id (DashScope), or {@code null}
     */
    public record ErrorBody(String message, String type, String code, String param, String requestId) {
    }

    /**
     * @param status the HTTP status
     * @param body the error body as received
     * @return what it says; never {@code null}, even for an empty or non-JSON body
     */
    public static ErrorBody parse(int status, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
        String sseData = lastSseData(text);
        if (sseData != null) {
            // DashScope answers a streamed request's error as an event stream: "event:error" then "data:{...}".
            text = sseData;
        }
        if (text.startsWith("{")) {
            try {
                JsonNode root = JSON.readTree(text);
                JsonNode error = root.path("error");
                String requestId = str(root, "request_id");
                if (error.isObject()) {
                    return new ErrorBody(orDefault(str(error, "message"), status), str(error, "type"),
                            firstNonNull(str(error, "code"), str(root, "code")), str(error, "param"), requestId);
                }
                if (root.has("code") || root.has("message")) {
                    return new ErrorBody(orDefault(str(root, "message"), status), str(root, "type"), str(root, "code"),
                            str(root, "param"), requestId);
                }
                if (error.isTextual()) {
                    return new ErrorBody(error.asText(), null, null, null, requestId);
                }
            } catch (IOException notJson) {
                // Falls through: a proxy's HTML or a truncated body is reported as text.
            }
        }
        String snippet = text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
        return new ErrorBody(snippet.isEmpty()
                ? "HTTP " + status + " with an empty body"
                : "HTTP " + status + ": "
                        + snippet,
                null, null, null, null);
    }

    /**
     * The standard mapping, shared by all adapters.
     *
     * @param status the HTTP status (200 for an error event inside a stream)
     * @param headers the response headers, names in lower case
     * @param body the error body as received
     * @return the exception naming the cause
     */
    public static KaiwaException map(int status, Map<String, String> headers, byte[] body) {
        return map(status, parse(status, body));
    }

    /**
     * @param status the HTTP status (200 for an error event inside a stream)
     * @param error what the body said
     * @return the exception naming the cause
     */
    public static KaiwaException map(int status, ErrorBody error) {
        String message = error.requestId() == null
                ? error.message()
                : error.message() + " (request id " + error.requestId() + ")";
        String code = error.code() != null ? error.code() : error.type();
        String key = code == null ? "" : code.toLowerCase(Locale.ROOT);
        String param = error.param();
        String lowerMessage = error.message().toLowerCase(Locale.ROOT);

        if (key.startsWith("throttling") || key.equals("rate_limit_exceeded") || key.startsWith("limit_")) {
            return new RateLimitException(message, status, code, null);
        }
        if (key.equals("arrearage") || key.equals("insufficient_quota") || key.equals("billing_hard_limit_reached")) {
            return new InsufficientQuotaException(message, status, code, param, null);
        }
        if (key.equals("datainspectionfailed") || key.equals("data_inspection_failed")
                || key.equals("content_filter") || key.equals("content_policy_violation")) {
            return new ContentFilteredException(message, status, code, param, null);
        }
        if (key.equals("context_length_exceeded") || lowerMessage.contains("maximum context length")
                || lowerMessage.contains("range of input length") || lowerMessage.contains("context window")) {
            return new ContextWindowExceededException(message, status, code, param, null);
        }
        if (refersToStoredResponse(status, key, param, lowerMessage)) {
            return new ResponseNotFoundException(message, status, code, param, null);
        }
        if (key.equals("invalidapikey") || key.equals("invalid_api_key")) {
            return new AuthenticationException(message, status, code, param, null);
        }
        if (status < 400 && (key.equals("invalidparameter") || key.equals("invalid_parameter_error"))) {
            // An error event inside a stream has no status of its own: the code says it was the request.
            return new InvalidRequestException(message, 400, code, param, null);
        }
        return switch (status) {
            case 400, 422 -> new InvalidRequestException(message, status, code, param, null);
            case 401 -> new AuthenticationException(message, status, code, param, null);
            case 403 -> new PermissionDeniedException(message, status, code, param, null);
            case 404 -> new NotFoundException(message, status, code, param, null);
            case 408 -> new UpstreamTimeoutException(message, status, code, null);
            case 409 -> new ConflictException(message, status, code, null);
            case 429 -> new RateLimitException(message, status, code, null);
            default -> status >= 500
                    ? new ServerException(message, status, code, null)
                    : status >= 400
                            ? new NonRetriableException(message, status, code, param, null)
                            // An error event inside a 200 stream: the provider failed mid-answer.
                            : new RetriableException(message, status, code, null);
        };
    }

    /**
     * Whether the provider refused a {@code previous_response_id} it no longer knows: OpenAI answers 400 with code
     * {@code previous_response_not_found}, DashScope 400 or 404 naming the field in its message.
     */
    private static boolean refersToStoredResponse(int status, String key, String param, String lowerMessage) {
        // An error event inside a 200 stream counts too: DashScope may refuse the id there.
        if (status != 400 && status != 404 && status >= 300) {
            return false;
        }
        boolean aboutPrevious = key.contains("previous_response") || "previous_response_id".equals(param)
                || lowerMessage.contains("previous_response_id") || lowerMessage.contains("previous response");
        boolean gone = status == 404 || key.contains("not_found") || key.contains("notfound")
                || key.contains("expired") || lowerMessage.contains("not found") || lowerMessage.contains("expired")
                || lowerMessage.contains("not exist") || lowerMessage.contains("no longer");
        return aboutPrevious && gone;
    }

    private static String lastSseData(String text) {
        if (text.startsWith("{") || !text.contains("data:")) {
            return null;
        }
        String data = null;
        for (String line : text.split("\r\n|\r|\n")) {
            if (line.startsWith("data:")) {
                data = line.substring(5).strip();
            }
        }
        return data;
    }

    private static String str(JsonNode node, String field) {
        JsonNode n = node.get(field);
        return n == null || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
    }

    private static String orDefault(String message, int status) {
        return message == null || message.isBlank() ? "HTTP " + status : message;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
