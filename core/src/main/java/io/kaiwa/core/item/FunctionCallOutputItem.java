package io.kaiwa.core.item;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * The caller's answer to a {@link FunctionCallItem} ({@code function_call_output}).
 *
 * @param id the item id, or {@code null}
 * @param callId the {@code callId} of the call this answers; never {@code null}
 * @param output the function's result as text (often JSON); never {@code null}
 * @param status the status, or {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record FunctionCallOutputItem(String id, String callId, String output, String status,
        Map<String, JsonNode> extra) implements Item {
    public FunctionCallOutputItem {
        requireNonNull(callId, "callId");
        requireNonNull(output, "output");
        extra = Copies.extra(extra);
    }

    /**
     * @param callId the {@code callId} of the call this answers
     * @param output the function's result
     */
    public FunctionCallOutputItem(String callId, String output) {
        this(null, callId, output, null, null);
    }

    @Override
    public String type() {
        return "function_call_output";
    }
}
