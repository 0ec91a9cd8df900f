package io.kaiwa.runtime.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.event.ToolCallPhase;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.options.FunctionTool;

/**
 * The built-in tools Kaiwa can run itself when the model's provider does not host them. Each is offered to the
 * model as a function of the same name whose parameters are the fields its output item records.
 */
public enum BuiltInTool {
    /** Web search through the configured search provider; records {@code web_search_call}. */
    WEB_SEARCH("web_search", ToolCallPhase.SEARCHING,
            "Search the web. Answers with numbered results (title, URL, snippet); cite the URLs you use.") {
        @Override
        void parameters(ObjectNode properties, ArrayNode required) {
            properties.putObject("query").put("type", "string").put("description", "What to search for.");
            required.add("query");
        }

        @Override
        public Item started() {
            return new WebSearchCallItem(null, "in_progress", null, null);
        }
    },
    /** Fetches pages and extracts their readable text; records {@code web_extractor_call}. */
    WEB_EXTRACTOR("web_extractor", null, "Fetch web pages (http/https) and read their main text, trimmed to the "
            + "parts that serve the goal.") {
        @Override
        void parameters(ObjectNode properties, ArrayNode required) {
            ObjectNode urls = properties.putObject("urls").put("type", "array")
                    .put("description", "The pages to read (at most 5).");
            urls.putObject("items").put("type", "string");
            urls.put("minItems", 1).put("maxItems", 5);
            properties.putObject("goal").put("type", "string").put("description",
                    "What you want to learn from the pages.");
            required.add("urls").add("goal");
        }

        @Override
        public Item started() {
            return new WebExtractorCallItem(null, "in_progress", null, null, null, null);
        }
    },
    /** Runs Python in a sandbox; records {@code code_interpreter_call}. */
    CODE_INTERPRETER("code_interpreter", ToolCallPhase.INTERPRETING, "Run Python 3 code in a sandbox with no "
            + "network. Print what you need to see. Files the code writes to the current folder come back "
            + "(images too). Each call starts from an empty folder.") {
        @Override
        void parameters(ObjectNode properties, ArrayNode required) {
            properties.putObject("code").put("type", "string").put("description", "The Python 3 program to run.");
            required.add("code");
        }

        @Override
        public Item started() {
            return new CodeInterpreterCallItem(null, "in_progress", null, null, null, null);
        }
    };

    private final String wire;
    private final ToolCallPhase running;
    private final String description;

    BuiltInTool(String wire, ToolCallPhase running, String description) {
        this.wire = wire;
        this.running = running;
        this.description = description;
    }

    /** @return the tool's type and function name, e.g. {@code web_search} */
    public String wire() {
        return wire;
    }

    /**
     * @return whether it reports {@code response.<tool>_call.*} progress events: {@code web_extractor} has none in
     *         DashScope's stream (only its output item events), and clients that know the event types would choke
     *         on invented ones
     */
    public boolean reportsProgress() {
        return this != WEB_EXTRACTOR;
    }

    /** @return the phase reported while it runs ({@code searching}, {@code interpreting}), or {@code null} */
    public ToolCallPhase runningPhase() {
        return running;
    }

    /** @return its output item as announced when the model starts calling it, before anything is known */
    public abstract Item started();

    abstract void parameters(ObjectNode properties, ArrayNode required);

    /** @return the function tool offered to the model in its place */
    public FunctionTool function() {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        parameters(properties, required);
        schema.put("additionalProperties", false);
        return new FunctionTool(wire, description, schema);
    }

    /**
     * @param name a tool type or function name
     * @return the built-in tool of that name, or {@code null}
     */
    public static BuiltInTool byName(String name) {
        for (BuiltInTool t : values()) {
            if (t.wire.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
