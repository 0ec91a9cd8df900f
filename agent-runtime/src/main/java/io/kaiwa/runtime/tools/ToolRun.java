package io.kaiwa.runtime.tools;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Ids;

/**
 * One tool call Kaiwa ran: the tool's own item for the response, and the function output the model reads.
 *
 * @param item the {@code web_search_call}, {@code web_extractor_call} or {@code code_interpreter_call} item
 * @param output the answer to the model's function call
 */
public record ToolRun(Item item, FunctionCallOutputItem output) {

    /**
     * A call that did not run, or failed: the model reads why, the response records the call as failed.
     *
     * @param tool the tool
     * @param call the model's call
     * @param why what the model reads, e.g. {@code "not run: ..."}
     * @return the run
     */
    public static ToolRun refused(BuiltInTool tool, FunctionCallItem call, String why) {
        JsonNode args = Arguments.lenient(call.arguments());
        Item item = switch (tool) {
            case WEB_SEARCH -> new WebSearchCallItem(null, "failed",
                    new WebSearchCallItem.Action("search", textOrNull(args, "query"), null, null), null);
            case WEB_EXTRACTOR -> new WebExtractorCallItem(null, "failed", textOrNull(args, "goal"), urls(args),
                    why, null);
            case CODE_INTERPRETER -> new CodeInterpreterCallItem(null, "failed", textOrNull(args, "code"),
                    Ids.next("cntr"),
                    List.of(new CodeInterpreterCallItem.Logs(why)), null);
        };
        return new ToolRun(item, new FunctionCallOutputItem(call.callId(), "error: " + why));
    }

    private static String textOrNull(JsonNode args, String field) {
        JsonNode value = args.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static List<String> urls(JsonNode args) {
        List<String> out = new ArrayList<>();
        JsonNode urls = args.path("urls");
        if (urls.isArray()) {
            urls.forEach(u -> {
                if (u.isTextual()) {
                    out.add(u.asText());
                }
            });
        } else if (urls.isTextual()) {
            out.add(urls.asText());
        }
        return out;
    }

    /** Reading a model's arguments, which may be anything. */
    static final class Arguments {
        private Arguments() {
        }

        /** @return the arguments object, or an empty object when they are not one */
        static JsonNode lenient(String json) {
            if (json == null || json.isBlank()) {
                return JsonNodeFactory.instance.objectNode();
            }
            try {
                JsonNode node = KaiwaJson.parse(json);
                return node.isObject() ? node : JsonNodeFactory.instance.objectNode();
            } catch (RuntimeException e) {
                return JsonNodeFactory.instance.objectNode();
            }
        }
    }
}
