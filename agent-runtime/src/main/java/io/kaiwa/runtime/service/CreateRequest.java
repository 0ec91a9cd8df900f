package io.kaiwa.runtime.service;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.UnknownItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.memory.ContextManagement;

/**
 * A {@code POST /v1/responses} body, checked field by field: a wrong field is a 400 naming it.
 *
 * @param model the model
 * @param input the turn's new items (a string input is one user message)
 * @param instructions the instructions, or {@code null}
 * @param previousResponseId the response this one continues, or {@code null}
 * @param store whether the response is kept (default true)
 * @param stream whether the answer is streamed
 * @param background whether the service runs it as a task and answers at once
 * @param options every other field as sent (tools, tool_choice, temperature, provider extras, ...), echoed in the
 *        response object
 * @param callOptions what the provider is asked for: the options but those Kaiwa handles itself ({@code metadata},
 *        kept with the response; {@code truncation} and {@code context_management}, done by Kaiwa), with
 *        {@code store: false} when it is
 * @param context what the request asks of the context it is sent
 * @param idempotencyKey the client's {@code Idempotency-Key}, kept with the response; {@code null} when none
 */
public record CreateRequest(String model, List<Item> input, String instructions, String previousResponseId,
        boolean store, boolean stream, boolean background, ObjectNode options, RequestOptions callOptions,
        ContextManagement context, String idempotencyKey) {

    /**
     * @param key the client's {@code Idempotency-Key}
     * @return this request, made with it
     */
    public CreateRequest withIdempotencyKey(String key) {
        return new CreateRequest(model, input, instructions, previousResponseId, store, stream, background, options,
                callOptions, context, key);
    }

    /**
     * @return the conversation the response is made in ({@code conversation}, an id or {@code {"id": ...}}), or
     *         {@code null}
     */
    public String conversation() {
        return Ids.conversation(options.get("conversation"));
    }

    /** Options Kaiwa answers itself and never asks a provider for. */
    private static final List<String> KAIWA_ONLY = List.of("metadata", "truncation", "context_management",
            "conversation");
    /** Fields Kaiwa handles itself; everything else is an option. */
    private static final Set<String> OWN = Set.of("model", "input", "instructions", "previous_response_id", "store",
            "stream", "background", "stream_options");

    /**
     * @param body the request body
     * @return the checked request
     */
    public static CreateRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Errors.badRequest(null, "The request body must be a JSON object.");
        }
        JsonNode conversation = body.get("conversation");
        if (conversation != null && !conversation.isNull()) {
            if (Ids.conversation(conversation) == null) {
                throw Errors.badRequest("conversation", "conversation is a conversation id, or {\"id\": ...}.");
            }
            if (body.hasNonNull("previous_response_id")) {
                throw Errors.badRequest("conversation", "conversation and previous_response_id cannot be used "
                        + "together: a response continues one or the other.");
            }
        }
        String model = string(body, "model");
        if (model == null || model.isBlank()) {
            throw Errors.badRequest("model", "Missing required parameter: 'model'.");
        }
        List<Item> input = input(body.get("input"));
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!OWN.contains(e.getKey()) && !e.getValue().isNull()) {
                options.set(e.getKey(), e.getValue());
            }
        }
        checkOptions(options);
        boolean background = bool(body, "background", false);
        boolean store = bool(body, "store", true);
        if (background && !store) {
            throw Errors.badRequest("background", "background responses must be stored: store cannot be false.");
        }
        return of(model, input, string(body, "instructions"), string(body, "previous_response_id"), store,
                bool(body, "stream", false), background, options);
    }

    /**
     * @param model the model
     * @param input the turn's new items
     * @param instructions the instructions, or {@code null}
     * @param previousResponseId the response this one continues, or {@code null}
     * @param store whether the response is kept
     * @param stream whether the answer is streamed
     * @param background whether the service runs it as a task
     * @param options every other field, as sent
     * @return the request, with the options the provider is asked for
     */
    public static CreateRequest of(String model, List<Item> input, String instructions, String previousResponseId,
            boolean store, boolean stream, boolean background, ObjectNode options) {
        ObjectNode forProvider = options.deepCopy();
        forProvider.remove(KAIWA_ONLY);
        RequestOptions call;
        try {
            // store: true is every provider's default, so only a false is sent.
            call = KaiwaJson.readOptions(forProvider, "").toBuilder().store(store ? null : false).build();
        } catch (InvalidPayloadException e) {
            throw Errors.badRequest(e.path(), "Invalid request: " + e.getMessage());
        }
        return new CreateRequest(model, input, instructions, previousResponseId, store, stream, background, options,
                call, ContextManagement.parse(options.get("context_management")), null);
    }

    private static List<Item> input(JsonNode node) {
        if (node == null || node.isNull()) {
            throw Errors.badRequest("input", "Missing required parameter: 'input'.");
        }
        if (node.isTextual()) {
            return List.of(MessageItem.user(node.asText()));
        }
        if (!node.isArray() || node.isEmpty()) {
            throw Errors.badRequest("input", "input must be a string or a non-empty array of items.");
        }
        return items(node);
    }

    /**
     * The input item types of the Responses API (OpenAI's, DashScope's built-in tools', Kaiwa's compaction). One Kaiwa
     * does not model is kept whole and passed on as sent (a Responses provider takes it as is); any other type is a
     * client's mistake that would otherwise vanish on the way.
     */
    private static final Set<String> INPUT_TYPES = Set.of("message", "item_reference", "function_call",
            "function_call_output", "reasoning", "compaction", "web_search_call", "web_extractor_call",
            "code_interpreter_call", "file_search_call", "computer_call", "computer_call_output",
            "image_generation_call", "local_shell_call", "local_shell_call_output", "shell_call", "shell_call_output",
            "apply_patch_call", "apply_patch_call_output", "mcp_list_tools", "mcp_approval_request",
            "mcp_approval_response", "mcp_call", "custom_tool_call", "custom_tool_call_output");

    /**
     * Reads a request's input items. An item without a type that is not a message, a type the Responses API does not
     * have, or a message with a role it does not have is refused (it would be dropped on the way to the provider);
     * a known type Kaiwa does not model, or a known one in a shape it does not model, is kept whole.
     *
     * @param node the {@code input} array
     * @return its items
     * @throws io.kaiwa.core.exception.InvalidRequestException naming {@code input[i].type} or {@code input[i].role}
     */
    static List<Item> items(JsonNode node) {
        List<Item> items;
        try {
            items = KaiwaJson.readItems(node, "input");
        } catch (InvalidPayloadException e) {
            throw Errors.badRequest(e.path(), "Invalid input: " + e.getMessage());
        }
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof UnknownItem u) {
                String at = "input[" + i + "]";
                JsonNode role = u.raw().get("role");
                if (role != null && (u.type() == null || u.type().equals("message"))) {
                    throw Errors.badRequest(at + ".role", "Invalid value for '" + at + ".role': " + quoted(role)
                            + ". Supported values are: 'user', 'assistant', 'system' and 'developer'.");
                }
                if (u.type() == null) {
                    throw Errors.badRequest(at + ".type", "Missing required parameter: '" + at + ".type'.");
                }
                if (!INPUT_TYPES.contains(u.type())) {
                    throw Errors.badRequest(at + ".type", "Invalid value for '" + at + ".type': "
                            + quoted(u.raw().get("type")) + ". Supported values are: "
                            + INPUT_TYPES.stream().sorted().map(t -> "'" + t + "'").collect(Collectors.joining(", "))
                            + ".");
                }
            }
        }
        return items;
    }

    /** A client's value, as an error message quotes it: at most 64 characters of it. */
    private static String quoted(JsonNode value) {
        String text = value == null ? "null" : value.isTextual() ? "'" + value.textValue() + "'" : value.toString();
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /**
     * What {@code include} may ask for. Kaiwa's built-in tools always give their sources and outputs; encrypted
     * reasoning and log probabilities come where the provider gives them (a Responses API provider is asked for what
     * is included, a Chat Completions one for log probabilities).
     */
    private static final Set<String> INCLUDABLE = Set.of("web_search_call.action.sources", "web_search_call.results",
            "code_interpreter_call.outputs", "computer_call_output.output.image_url", "file_search_call.results",
            "message.input_image.image_url", "message.output_text.logprobs", "reasoning.encrypted_content");

    /**
     * Metadata as OpenAI has it: an object of at most 16 string values, keys up to 64 characters, values up to 512.
     *
     * @param metadata the field, or {@code null}
     * @throws io.kaiwa.core.exception.InvalidRequestException naming {@code metadata} or {@code metadata.<key>}
     */
    public static void checkMetadata(JsonNode metadata) {
        if (metadata == null) {
            return;
        }
        if (!metadata.isObject() || metadata.size() > 16) {
            throw Errors.badRequest("metadata", "metadata must be an object of at most 16 string values.");
        }
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            if (!e.getValue().isTextual() || e.getKey().length() > 64 || e.getValue().asText().length() > 512) {
                throw Errors.badRequest("metadata." + e.getKey(),
                        "metadata values must be strings of at most 512 characters, keys at most 64.");
            }
        }
    }

    private static void checkOptions(ObjectNode o) {
        number(o, "temperature", 0, 2);
        number(o, "top_p", 0, 1);
        positiveInt(o, "max_output_tokens");
        positiveInt(o, "max_tool_calls");
        type(o, "tools", JsonNode::isArray, "an array");
        type(o, "parallel_tool_calls", JsonNode::isBoolean, "a boolean");
        type(o, "enable_thinking", JsonNode::isBoolean, "a boolean");
        type(o, "reasoning", JsonNode::isObject, "an object");
        type(o, "text", JsonNode::isObject, "an object");
        type(o, "tool_choice", n -> n.isTextual() || n.isObject(), "a string or an object");
        JsonNode truncation = o.get("truncation");
        if (truncation != null && !("auto".equals(truncation.asText()) || "disabled".equals(truncation.asText()))) {
            throw Errors.badRequest("truncation", "truncation must be 'auto' or 'disabled'.");
        }
        checkMetadata(o.get("metadata"));
        JsonNode include = o.get("include");
        if (include != null) {
            if (!include.isArray()) {
                throw Errors.badRequest("include", "include must be an array of strings.");
            }
            for (int i = 0; i < include.size(); i++) {
                if (!INCLUDABLE.contains(include.get(i).asText())) {
                    throw Errors.badRequest("include[" + i + "]", "Invalid value for 'include[" + i + "]': "
                            + quoted(include.get(i)) + ". Supported values are: " + INCLUDABLE.stream().sorted()
                                    .map(t -> "'" + t + "'").collect(Collectors.joining(", "))
                            + ".");
                }
            }
        }
        JsonNode tools = o.get("tools");
        if (tools != null) {
            for (int i = 0; i < tools.size(); i++) {
                JsonNode tool = tools.get(i);
                if (!tool.isObject() || !tool.path("type").isTextual()) {
                    throw Errors.badRequest("tools[" + i + "].type", "Each tool needs a string 'type'.");
                }
                if ("function".equals(tool.get("type").asText()) && !tool.path("name").isTextual()) {
                    throw Errors.badRequest("tools[" + i + "].name", "A function tool needs a 'name'.");
                }
            }
        }
    }

    /** A string field of a request body, or {@code null}; anything but a string is a 400 naming it. */
    static String string(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw Errors.badRequest(field, field + " must be a string.");
        }
        return n.asText();
    }

    private static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw Errors.badRequest(field, field + " must be a boolean.");
        }
        return n.asBoolean();
    }

    private static void number(ObjectNode o, String field, double min, double max) {
        JsonNode n = o.get(field);
        if (n != null && (!n.isNumber() || n.asDouble() < min || n.asDouble() > max)) {
            throw Errors.badRequest(field, field + " must be a number from " + min + " to " + max + ".");
        }
    }

    private static void positiveInt(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n != null && (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1)) {
            throw Errors.badRequest(field, field + " must be a positive integer.");
        }
    }

    private static void type(ObjectNode o, String field, java.util.function.Predicate<JsonNode> ok, String what) {
        JsonNode n = o.get(field);
        if (n != null && !ok.test(n)) {
            throw Errors.badRequest(field, field + " must be " + what + ".");
        }
    }
}
