package io.kaiwa.core.internal.json;

import static io.kaiwa.core.json.JsonFields.array;
import static io.kaiwa.core.json.JsonFields.child;
import static io.kaiwa.core.json.JsonFields.count;
import static io.kaiwa.core.json.JsonFields.extra;
import static io.kaiwa.core.json.JsonFields.hasOnly;
import static io.kaiwa.core.json.JsonFields.index;
import static io.kaiwa.core.json.JsonFields.missing;
import static io.kaiwa.core.json.JsonFields.object;
import static io.kaiwa.core.json.JsonFields.optionalArray;
import static io.kaiwa.core.json.JsonFields.optionalInt;
import static io.kaiwa.core.json.JsonFields.optionalObject;
import static io.kaiwa.core.json.JsonFields.requiredString;
import static io.kaiwa.core.json.JsonFields.string;
import static io.kaiwa.core.json.JsonFields.wrongType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Usage;
import io.kaiwa.core.content.Annotation;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputAudio;
import io.kaiwa.core.content.InputFile;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.content.UnknownAnnotation;
import io.kaiwa.core.content.UnknownContent;
import io.kaiwa.core.content.UrlCitation;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.CompactionItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.item.UnknownItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.json.JsonFields;

/**
 * Reads Responses API items, content parts and usage from JSON trees: the one place that knows their wire
 * shapes on the way in. Unknown types become {@code Unknown*} values; a known type with a field of the wrong type
 * or a required field missing fails with an {@link InvalidPayloadException} naming it.
 */
public final class ItemReader {
    private static final Set<String> MESSAGE = Set.of("type", "id", "role", "content", "status");
    private static final Set<String> REASONING = Set.of("type", "id", "summary", "content", "encrypted_content",
            "status");
    private static final Set<String> FUNCTION_CALL = Set.of("type", "id", "call_id", "name", "arguments", "status");
    private static final Set<String> FUNCTION_OUTPUT = Set.of("type", "id", "call_id", "output", "status");
    private static final Set<String> WEB_SEARCH = Set.of("type", "id", "status", "action");
    private static final Set<String> SEARCH_ACTION = Set.of("type", "query", "sources");
    private static final Set<String> SOURCE = Set.of("type", "url");
    private static final Set<String> WEB_EXTRACTOR = Set.of("type", "id", "status", "goal", "urls", "output");
    private static final Set<String> CODE_INTERPRETER = Set.of("type", "id", "status", "code", "container_id",
            "outputs");
    private static final Set<String> COMPACTION = Set.of("type", "id", "encrypted_content", "x_summary", "x_kept");
    private static final Set<String> TEXT = Set.of("type", "text");
    private static final Set<String> OUTPUT_TEXT = Set.of("type", "text", "annotations");
    private static final Set<String> IMAGE = Set.of("type", "image_url", "file_id", "detail");
    private static final Set<String> AUDIO = Set.of("type", "input_audio");
    private static final Set<String> FILE = Set.of("type", "file_id", "file_url", "file_data", "filename");
    private static final Set<String> REFUSAL = Set.of("type", "refusal");
    private static final Set<String> URL_CITATION = Set.of("type", "url", "title", "start_index", "end_index");
    private static final Set<String> LOGS = Set.of("type", "logs");
    private static final Set<String> CODE_IMAGE = Set.of("type", "url");

    private ItemReader() {
    }

    /**
     * @param node an item's JSON
     * @param path where it is in its document, for error messages ({@code ""} for the root)
     * @return the item
     */
    public static Item item(JsonNode node, String path) {
        ObjectNode o = object(node, path);
        String type = string(o, "type", path);
        if (type == null) {
            // EasyInputMessage: {"role": ..., "content": ...} may omit "type".
            return o.has("role") ? message(o, path) : new UnknownItem(null, o);
        }
        return switch (type) {
            case "message" -> message(o, path);
            case "reasoning" -> reasoning(o, path);
            case "function_call" -> new FunctionCallItem(string(o, "id", path), requiredString(o, "call_id", path),
                    requiredString(o, "name", path), requiredString(o, "arguments", path), string(o, "status", path),
                    extra(o, FUNCTION_CALL));
            case "function_call_output" -> functionCallOutput(o, path);
            case "web_search_call" -> webSearch(o, path);
            case "web_extractor_call" -> new WebExtractorCallItem(string(o, "id", path), string(o, "status", path),
                    string(o, "goal", path), strings(optionalArray(o, "urls", path), child(path, "urls")),
                    string(o, "output", path), extra(o, WEB_EXTRACTOR));
            case "code_interpreter_call" -> codeInterpreter(o, path);
            case "compaction" -> compaction(o, path);
            default -> new UnknownItem(type, o);
        };
    }

    /**
     * @param node a JSON array of items
     * @param path where it is in its document
     * @return the items, in order
     */
    public static List<Item> items(JsonNode node, String path) {
        ArrayNode a = array(node, path);
        var items = new ArrayList<Item>(a.size());
        for (int i = 0; i < a.size(); i++) {
            items.add(item(a.get(i), index(path, i)));
        }
        return items;
    }

    /** The summary and kept items are Kaiwa's own fields ({@code x_summary}, {@code x_kept}), written in the clear. */
    private static Item compaction(ObjectNode o, String path) {
        String summary = string(o, "x_summary", path);
        String encrypted = string(o, "encrypted_content", path);
        if (summary == null && encrypted == null) {
            throw missing(child(path, "encrypted_content"));
        }
        ArrayNode kept = optionalArray(o, "x_kept", path);
        return new CompactionItem(string(o, "id", path), summary, kept == null
                ? List.of()
                : items(kept, child(path, "x_kept")), encrypted, extra(o, COMPACTION));
    }

    private static Item message(ObjectNode o, String path) {
        String roleName = requiredString(o, "role", path);
        Role role = Role.fromWire(roleName);
        if (role == null) {
            return new UnknownItem(string(o, "type", path), o);
        }
        JsonNode content = o.get("content");
        String contentPath = child(path, "content");
        List<ContentPart> parts;
        if (content == null || content.isNull()) {
            throw JsonFields.missing(contentPath);
        } else if (content.isTextual()) {
            parts = List.of(role == Role.ASSISTANT
                    ? new OutputText(content.textValue())
                    : new InputText(content.textValue()));
        } else {
            ArrayNode a = array(content, contentPath);
            parts = new ArrayList<>(a.size());
            for (int i = 0; i < a.size(); i++) {
                parts.add(content(a.get(i), index(contentPath, i)));
            }
        }
        return new MessageItem(string(o, "id", path), role, parts, string(o, "status", path), extra(o, MESSAGE));
    }

    private static Item reasoning(ObjectNode o, String path) {
        List<String> summary = reasoningTexts(optionalArray(o, "summary", path), "summary_text");
        List<String> content = reasoningTexts(optionalArray(o, "content", path), "reasoning_text");
        if (summary == null || content == null) {
            // A part shape this version does not model: keep the whole item rather than lose the part.
            return new UnknownItem("reasoning", o);
        }
        return new ReasoningItem(string(o, "id", path), summary, content, string(o, "encrypted_content", path),
                string(o, "status", path), extra(o, REASONING));
    }

    /** @return the texts, or {@code null} when a part is not exactly {@code {"type": partType, "text": ...}} */
    private static List<String> reasoningTexts(ArrayNode parts, String partType) {
        if (parts == null) {
            return List.of();
        }
        var texts = new ArrayList<String>(parts.size());
        for (JsonNode part : parts) {
            JsonNode text = part.get("text");
            if (!(part instanceof ObjectNode p) || !partType.equals(p.path("type").asText(null))
                    || text == null || !text.isTextual() || !hasOnly(p, TEXT)) {
                return null;
            }
            texts.add(text.textValue());
        }
        return texts;
    }

    private static Item functionCallOutput(ObjectNode o, String path) {
        JsonNode output = o.get("output");
        if (output != null && (output.isArray() || output.isObject())) {
            // Structured tool output (content parts): kept verbatim rather than flattened to text.
            return new UnknownItem("function_call_output", o);
        }
        return new FunctionCallOutputItem(string(o, "id", path), requiredString(o, "call_id", path),
                requiredString(o, "output", path), string(o, "status", path), extra(o, FUNCTION_OUTPUT));
    }

    private static Item webSearch(ObjectNode o, String path) {
        ObjectNode a = optionalObject(o, "action", path);
        WebSearchCallItem.Action action = null;
        if (a != null) {
            String actionPath = child(path, "action");
            ArrayNode s = optionalArray(a, "sources", actionPath);
            List<WebSearchCallItem.Source> sources = new ArrayList<>(s == null ? 0 : s.size());
            if (s != null) {
                String sourcesPath = child(actionPath, "sources");
                for (int i = 0; i < s.size(); i++) {
                    ObjectNode src = object(s.get(i), index(sourcesPath, i));
                    sources.add(new WebSearchCallItem.Source(string(src, "type", index(sourcesPath, i)),
                            string(src, "url", index(sourcesPath, i)), extra(src, SOURCE)));
                }
            }
            action = new WebSearchCallItem.Action(string(a, "type", actionPath), string(a, "query", actionPath),
                    sources, extra(a, SEARCH_ACTION));
        }
        return new WebSearchCallItem(string(o, "id", path), string(o, "status", path), action, extra(o, WEB_SEARCH));
    }

    private static Item codeInterpreter(ObjectNode o, String path) {
        ArrayNode a = optionalArray(o, "outputs", path);
        var outputs = new ArrayList<CodeInterpreterCallItem.Output>(a == null ? 0 : a.size());
        if (a != null) {
            String outputsPath = child(path, "outputs");
            for (int i = 0; i < a.size(); i++) {
                ObjectNode out = object(a.get(i), index(outputsPath, i));
                String type = string(out, "type", index(outputsPath, i));
                JsonNode logs = out.get("logs");
                JsonNode url = out.get("url");
                if ("logs".equals(type) && logs != null && logs.isTextual() && hasOnly(out, LOGS)) {
                    outputs.add(new CodeInterpreterCallItem.Logs(logs.textValue()));
                } else if ("image".equals(type) && url != null && url.isTextual() && hasOnly(out, CODE_IMAGE)) {
                    outputs.add(new CodeInterpreterCallItem.Image(url.textValue()));
                } else {
                    outputs.add(new CodeInterpreterCallItem.UnknownOutput(type, out));
                }
            }
        }
        return new CodeInterpreterCallItem(string(o, "id", path), string(o, "status", path), string(o, "code", path),
                string(o, "container_id", path), outputs, extra(o, CODE_INTERPRETER));
    }

    /**
     * @param node a content part's JSON
     * @param path where it is in its document
     * @return the content part
     */
    public static ContentPart content(JsonNode node, String path) {
        ObjectNode o = object(node, path);
        String type = string(o, "type", path);
        if (type == null) {
            return new UnknownContent(null, o);
        }
        return switch (type) {
            case "input_text" -> new InputText(requiredString(o, "text", path), extra(o, TEXT));
            case "output_text" -> outputText(o, path);
            case "input_image" -> inputImage(o, path);
            case "input_audio" -> inputAudio(o, path);
            case "input_file" -> inputFile(o, path);
            case "refusal" -> new Refusal(requiredString(o, "refusal", path), extra(o, REFUSAL));
            default -> new UnknownContent(type, o);
        };
    }

    private static ContentPart outputText(ObjectNode o, String path) {
        ArrayNode a = optionalArray(o, "annotations", path);
        var annotations = new ArrayList<Annotation>(a == null ? 0 : a.size());
        if (a != null) {
            String annotationsPath = child(path, "annotations");
            for (int i = 0; i < a.size(); i++) {
                String p = index(annotationsPath, i);
                ObjectNode an = object(a.get(i), p);
                String type = string(an, "type", p);
                if ("url_citation".equals(type)) {
                    annotations.add(new UrlCitation(requiredString(an, "url", p), string(an, "title", p),
                            optionalInt(an, "start_index", p), optionalInt(an, "end_index", p),
                            extra(an, URL_CITATION)));
                } else {
                    annotations.add(new UnknownAnnotation(type, an));
                }
            }
        }
        Map<String, JsonNode> extra = extra(o, OUTPUT_TEXT);
        if (extra != null && extra.containsKey("logprobs") && extra.get("logprobs").isNull()) {
            // DashScope sends "logprobs": null; the Responses API has an array there or nothing, and strict clients
            // refuse the null.
            extra.remove("logprobs");
        }
        return new OutputText(requiredString(o, "text", path), annotations, extra);
    }

    private static ContentPart inputImage(ObjectNode o, String path) {
        String url = string(o, "image_url", path);
        String fileId = string(o, "file_id", path);
        if (url == null && fileId == null) {
            throw JsonFields.missing(child(path, "image_url"));
        }
        return new InputImage(url, fileId, string(o, "detail", path), extra(o, IMAGE));
    }

    private static ContentPart inputAudio(ObjectNode o, String path) {
        ObjectNode audio = optionalObject(o, "input_audio", path);
        String audioPath = child(path, "input_audio");
        if (audio == null) {
            throw JsonFields.missing(audioPath);
        }
        if (!hasOnly(audio, Set.of("data", "format"))) {
            return new UnknownContent("input_audio", o);
        }
        return new InputAudio(requiredString(audio, "data", audioPath), string(audio, "format", audioPath),
                extra(o, AUDIO));
    }

    private static ContentPart inputFile(ObjectNode o, String path) {
        String id = string(o, "file_id", path);
        String url = string(o, "file_url", path);
        String data = string(o, "file_data", path);
        if (id == null && url == null && data == null) {
            throw JsonFields.missing(child(path, "file_id"));
        }
        return new InputFile(id, url, data, string(o, "filename", path), extra(o, FILE));
    }

    /**
     * Reads usage in the Responses API's shape ({@code input_tokens}, {@code output_tokens},
     * {@code input_tokens_details.cached_tokens}, {@code output_tokens_details.reasoning_tokens}, DashScope's
     * {@code x_tools}).
     *
     * @param node the usage JSON
     * @param path where it is in its document
     * @return the usage
     */
    public static Usage usage(JsonNode node, String path) {
        ObjectNode o = object(node, path);
        long in = count(o, "input_tokens", path);
        long out = count(o, "output_tokens", path);
        long total = o.hasNonNull("total_tokens") ? count(o, "total_tokens", path) : in + out;
        ObjectNode inDetails = optionalObject(o, "input_tokens_details", path);
        ObjectNode outDetails = optionalObject(o, "output_tokens_details", path);
        long cached = inDetails == null ? 0 : count(inDetails, "cached_tokens", child(path, "input_tokens_details"));
        long reasoning = outDetails == null
                ? 0
                : count(outDetails, "reasoning_tokens", child(path, "output_tokens_details"));
        return new Usage(in, out, total, cached, reasoning, toolCounts(optionalObject(o, "x_tools", path),
                child(path, "x_tools")));
    }

    private static Map<String, Long> toolCounts(ObjectNode tools, String path) {
        if (tools == null) {
            return null;
        }
        var counts = new TreeMap<String, Long>();
        for (Map.Entry<String, JsonNode> e : tools.properties()) {
            String p = child(path, e.getKey());
            counts.put(e.getKey(), count(object(e.getValue(), p), "count", p));
        }
        return counts;
    }

    private static List<String> strings(ArrayNode a, String path) {
        if (a == null) {
            return null;
        }
        var list = new ArrayList<String>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonNode n = a.get(i);
            if (!n.isTextual()) {
                throw wrongType(index(path, i), "a string", n);
            }
            list.add(n.textValue());
        }
        return list;
    }
}
