package io.kaiwa.runtime.service;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.runtime.common.Errors;

/**
 * A {@code POST /v1/responses/compact} body, as OpenAI's: the model, and the conversation to compact, given as a
 * {@code previous_response_id} chain, an {@code input} (string or items), or both.
 *
 * @param model the model the conversation is for
 * @param input items after the chain (or the whole conversation); never {@code null}
 * @param instructions the instructions, or {@code null}
 * @param previousResponseId the chain to compact, or {@code null}
 */
public record CompactRequest(String model, List<Item> input, String instructions, String previousResponseId) {

    /**
     * @param body the request body
     * @return the checked request
     * @throws io.kaiwa.core.exception.InvalidRequestException naming the field at fault
     */
    public static CompactRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Errors.badRequest(null, "The request body must be a JSON object.");
        }
        String model = CreateRequest.string(body, "model");
        if (model == null || model.isBlank()) {
            throw Errors.badRequest("model", "Missing required parameter: 'model'.");
        }
        String previous = CreateRequest.string(body, "previous_response_id");
        JsonNode node = body.get("input");
        List<Item> input;
        if (node == null || node.isNull()) {
            input = List.of();
        } else if (node.isTextual()) {
            input = List.of(MessageItem.user(node.asText()));
        } else if (node.isArray()) {
            input = CreateRequest.items(node);
        } else {
            throw Errors.badRequest("input", "input must be a string or an array of items.");
        }
        if (input.isEmpty() && previous == null) {
            throw Errors.badRequest("input", "Nothing to compact: give input, previous_response_id, or both.");
        }
        return new CompactRequest(model, input, CreateRequest.string(body, "instructions"), previous);
    }
}
