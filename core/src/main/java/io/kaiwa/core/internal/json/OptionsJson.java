package io.kaiwa.core.internal.json;

import static io.kaiwa.core.json.JsonFields.child;
import static io.kaiwa.core.json.JsonFields.index;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.JsonFields;
import io.kaiwa.core.options.FunctionTool;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.Reasoning;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.options.TextFormat;
import io.kaiwa.core.options.Tool;
import io.kaiwa.core.options.ToolChoice;

/** {@link RequestOptions} to and from the fields of a Responses API request body. */
public final class OptionsJson {
    private static final Set<String> FUNCTION_FIELDS = Set.of("type", "name", "description", "parameters", "strict");
    private static final Set<String> SCHEMA_FIELDS = Set.of("type", "name", "schema", "strict", "description");
    private static final Set<String> REASONING_FIELDS = Set.of("effort", "summary");
    private static final Set<String> TYPE = Set.of("type");

    private OptionsJson() {
    }

    /**
     * @param node a request body's option fields; others are read as extras
     * @param path its path, for errors
     * @return the options
     */
    public static RequestOptions read(JsonNode node, String path) {
        ObjectNode o = JsonFields.object(node, path);
        var b = RequestOptions.builder();
        var extras = new LinkedHashMap<String, JsonNode>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            String at = child(path, name);
            if (v.isNull()) {
                continue;
            }
            switch (name) {
                case "tools" -> b.tools(tools(JsonFields.array(v, at), at));
                case "tool_choice" -> b.toolChoice(toolChoice(v, at));
                case "parallel_tool_calls" -> b.parallelToolCalls(bool(v, at));
                case "max_tool_calls" -> b.maxToolCalls(integer(v, at, 0));
                case "max_output_tokens" -> b.maxOutputTokens(integer(v, at, 1));
                case "temperature" -> b.temperature(number(v, at, 0, 2));
                case "top_p" -> b.topP(number(v, at, 0, 1));
                case "reasoning" -> b.reasoning(reasoning(JsonFields.object(v, at), at));
                case "enable_thinking" -> b.enableThinking(bool(v, at));
                case "text" -> {
                    ObjectNode text = JsonFields.object(v, at);
                    ObjectNode format = JsonFields.optionalObject(text, "format", at);
                    b.textFormat(format == null ? null : textFormat(format, child(at, "format")));
                    b.verbosity(JsonFields.string(text, "verbosity", at));
                }
                case "include" -> b.include(strings(JsonFields.array(v, at), at));
                case "prompt_cache_key" -> b.promptCacheKey(string(v, at));
                case "metadata" -> b.metadata(metadata(JsonFields.object(v, at), at));
                case "store" -> b.store(bool(v, at));
                default -> extras.put(name, v);
            }
        }
        return b.extras(extras).build();
    }

    private static List<Tool> tools(ArrayNode array, String path) {
        var tools = new ArrayList<Tool>(array.size());
        for (int i = 0; i < array.size(); i++) {
            String at = index(path, i);
            ObjectNode t = JsonFields.object(array.get(i), at);
            String type = JsonFields.requiredString(t, "type", at);
            if (type.equals("function")) {
                ObjectNode parameters = JsonFields.optionalObject(t, "parameters", at);
                JsonNode strict = t.get("strict");
                tools.add(new FunctionTool(JsonFields.requiredString(t, "name", at),
                        JsonFields.string(t, "description", at), parameters,
                        strict == null || strict.isNull() ? null : bool(strict, child(at, "strict")),
                        JsonFields.extra(t, FUNCTION_FIELDS)));
            } else {
                tools.add(new HostedTool(type, JsonFields.extra(t, TYPE)));
            }
        }
        return tools;
    }

    private static ToolChoice toolChoice(JsonNode v, String path) {
        if (v.isTextual()) {
            return new ToolChoice.Mode(v.textValue());
        }
        ObjectNode o = JsonFields.object(v, path);
        String type = JsonFields.requiredString(o, "type", path);
        if (type.equals("function") && o.path("name").isTextual() && o.size() == 2) {
            return ToolChoice.function(o.get("name").textValue());
        }
        return new ToolChoice.Other(type, JsonFields.extra(o, TYPE));
    }

    private static TextFormat textFormat(ObjectNode f, String path) {
        String type = JsonFields.requiredString(f, "type", path);
        return switch (type) {
            case "text" -> TextFormat.TEXT;
            case "json_object" -> TextFormat.JSON_OBJECT;
            case "json_schema" -> {
                JsonNode strict = f.get("strict");
                yield new TextFormat.JsonSchema(JsonFields.requiredString(f, "name", path),
                        requiredObject(f, "schema", path),
                        strict == null || strict.isNull() ? null : bool(strict, child(path, "strict")),
                        JsonFields.string(f, "description", path), JsonFields.extra(f, SCHEMA_FIELDS));
            }
            default -> new TextFormat.Other(type, JsonFields.extra(f, TYPE));
        };
    }

    private static Reasoning reasoning(ObjectNode o, String path) {
        return new Reasoning(JsonFields.string(o, "effort", path), JsonFields.string(o, "summary", path),
                JsonFields.extra(o, REASONING_FIELDS));
    }

    private static Map<String, String> metadata(ObjectNode o, String path) {
        var out = new LinkedHashMap<String, String>();
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            out.put(e.getKey(), string(e.getValue(), child(path, e.getKey())));
        }
        return out;
    }

    private static List<String> strings(ArrayNode a, String path) {
        var out = new ArrayList<String>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(string(a.get(i), index(path, i)));
        }
        return out;
    }

    private static ObjectNode requiredObject(ObjectNode o, String field, String path) {
        ObjectNode v = JsonFields.optionalObject(o, field, path);
        if (v == null) {
            throw JsonFields.missing(child(path, field));
        }
        return v;
    }

    private static String string(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw JsonFields.wrongType(path, "a string", v);
        }
        return v.textValue();
    }

    private static boolean bool(JsonNode v, String path) {
        if (!v.isBoolean()) {
            throw JsonFields.wrongType(path, "a boolean", v);
        }
        return v.booleanValue();
    }

    private static int integer(JsonNode v, String path, int min) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min) {
            throw new InvalidPayloadException(path, "expected an integer of at least " + min + ", got " + v, null);
        }
        return v.intValue();
    }

    private static double number(JsonNode v, String path, double min, double max) {
        if (!v.isNumber() || v.doubleValue() < min || v.doubleValue() > max) {
            throw new InvalidPayloadException(path, "expected a number from " + min + " to " + max + ", got " + v,
                    null);
        }
        return v.doubleValue();
    }

    /**
     * Writes the options as fields of a Responses API request body, in the API's names.
     *
     * @param g where to write, inside the body's object
     * @param o the options
     * @param skip names not to write (the caller writes them itself)
     * @return the names written
     * @throws IOException when the generator fails
     */
    public static Set<String> writeFields(JsonGenerator g, RequestOptions o, Set<String> skip) throws IOException {
        var written = new HashSet<String>();
        if (!o.tools().isEmpty() && use("tools", skip, written)) {
            g.writeArrayFieldStart("tools");
            for (Tool t : o.tools()) {
                writeTool(g, t);
            }
            g.writeEndArray();
        }
        if (o.toolChoice() != null && use("tool_choice", skip, written)) {
            g.writeFieldName("tool_choice");
            writeToolChoice(g, o.toolChoice());
        }
        if (o.parallelToolCalls() != null && use("parallel_tool_calls", skip, written)) {
            g.writeBooleanField("parallel_tool_calls", o.parallelToolCalls());
        }
        if (o.maxToolCalls() != null && use("max_tool_calls", skip, written)) {
            g.writeNumberField("max_tool_calls", o.maxToolCalls());
        }
        if (o.maxOutputTokens() != null && use("max_output_tokens", skip, written)) {
            g.writeNumberField("max_output_tokens", o.maxOutputTokens());
        }
        if (o.temperature() != null && use("temperature", skip, written)) {
            g.writeNumberField("temperature", o.temperature());
        }
        if (o.topP() != null && use("top_p", skip, written)) {
            g.writeNumberField("top_p", o.topP());
        }
        if (o.reasoning() != null && use("reasoning", skip, written)) {
            g.writeObjectFieldStart("reasoning");
            stringField(g, "effort", o.reasoning().effort());
            stringField(g, "summary", o.reasoning().summary());
            fields(g, o.reasoning().extra());
            g.writeEndObject();
        }
        if (o.enableThinking() != null && use("enable_thinking", skip, written)) {
            g.writeBooleanField("enable_thinking", o.enableThinking());
        }
        if ((o.textFormat() != null || o.verbosity() != null) && use("text", skip, written)) {
            g.writeObjectFieldStart("text");
            if (o.textFormat() != null) {
                g.writeFieldName("format");
                writeTextFormat(g, o.textFormat());
            }
            stringField(g, "verbosity", o.verbosity());
            g.writeEndObject();
        }
        if (!o.include().isEmpty() && use("include", skip, written)) {
            g.writeArrayFieldStart("include");
            for (String s : o.include()) {
                g.writeString(s);
            }
            g.writeEndArray();
        }
        if (o.promptCacheKey() != null && use("prompt_cache_key", skip, written)) {
            g.writeStringField("prompt_cache_key", o.promptCacheKey());
        }
        if (!o.metadata().isEmpty() && use("metadata", skip, written)) {
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> e : o.metadata().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        if (o.store() != null && use("store", skip, written)) {
            g.writeBooleanField("store", o.store());
        }
        for (Map.Entry<String, JsonNode> e : o.extras().entrySet()) {
            if (use(e.getKey(), skip, written)) {
                g.writeFieldName(e.getKey());
                g.writeTree(e.getValue());
            }
        }
        return written;
    }

    private static boolean use(String name, Set<String> skip, Set<String> written) {
        return !skip.contains(name) && written.add(name);
    }

    private static void writeTool(JsonGenerator g, Tool t) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", t.type());
        if (t instanceof FunctionTool f) {
            g.writeStringField("name", f.name());
            stringField(g, "description", f.description());
            if (f.parameters() != null) {
                g.writeFieldName("parameters");
                g.writeTree(f.parameters());
            }
            if (f.strict() != null) {
                g.writeBooleanField("strict", f.strict());
            }
            fields(g, f.extra());
        } else if (t instanceof HostedTool h) {
            fields(g, h.fields());
        } else {
            throw new AssertionError(t);
        }
        g.writeEndObject();
    }

    private static void writeToolChoice(JsonGenerator g, ToolChoice c) throws IOException {
        if (c instanceof ToolChoice.Mode m) {
            g.writeString(m.value());
        } else if (c instanceof ToolChoice.Function f) {
            g.writeStartObject();
            g.writeStringField("type", "function");
            g.writeStringField("name", f.name());
            g.writeEndObject();
        } else if (c instanceof ToolChoice.Other o) {
            g.writeStartObject();
            g.writeStringField("type", o.type());
            fields(g, o.fields());
            g.writeEndObject();
        } else {
            throw new AssertionError(c);
        }
    }

    private static void writeTextFormat(JsonGenerator g, TextFormat f) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", f.type());
        if (f instanceof TextFormat.JsonSchema s) {
            writeSchemaFields(g, s);
        } else if (f instanceof TextFormat.Other o) {
            fields(g, o.fields());
        } else if (!(f instanceof TextFormat.Text || f instanceof TextFormat.JsonObject)) {
            throw new AssertionError(f);
        }
        g.writeEndObject();
    }

    /** Writes a JSON schema format's fields but its type. */
    public static void writeSchemaFields(JsonGenerator g, TextFormat.JsonSchema s) throws IOException {
        g.writeStringField("name", s.name());
        g.writeFieldName("schema");
        g.writeTree(s.schema());
        if (s.strict() != null) {
            g.writeBooleanField("strict", s.strict());
        }
        stringField(g, "description", s.description());
        fields(g, s.extra());
    }

    private static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Writes fields as they are. */
    public static void fields(JsonGenerator g, Map<String, JsonNode> fields) throws IOException {
        for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
            g.writeFieldName(e.getKey());
            g.writeTree(e.getValue());
        }
    }
}
