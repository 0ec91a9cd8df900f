package io.kaiwa.core.item;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * The model asks the caller to run one of its function tools ({@code function_call}); the caller answers with a
 * {@link FunctionCallOutputItem} carrying the same {@code callId} in the next turn.
 *
 * @param id the provider's item id, or {@code null}
 * @param callId the id that pairs the call with its output; never {@code null}
 * @param name the function's name; never {@code null}
 * @param arguments the arguments as the model wrote them, normally a JSON object; never {@code null}
 * @param status the provider's status, or {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record FunctionCallItem(String id, String callId, String name, String arguments, String status,
        Map<String, JsonNode> extra) implements Item {
    public FunctionCallItem {
        requireNonNull(callId, "callId");
        requireNonNull(name, "name");
        requireNonNull(arguments, "arguments");
        extra = Copies.extra(extra);
    }

    /**
     * @param callId pairs the call with its output
     * @param name the function's name
     * @param arguments the arguments, normally a JSON object
     */
    public FunctionCallItem(String callId, String name, String arguments) {
        this(null, callId, name, arguments, null, null);
    }

    @Override
    public String type() {
        return "function_call";
    }
}
