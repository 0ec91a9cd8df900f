package io.kaiwa.core.options;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * Which tool the model must, may or must not call in a turn ({@code tool_choice}).
 */
public sealed interface ToolChoice permits ToolChoice.Mode, ToolChoice.Function, ToolChoice.Other {

    /** The model decides. */
    ToolChoice AUTO = new Mode("auto");
    /** The model calls no tool. */
    ToolChoice NONE = new Mode("none");
    /** The model calls at least one tool. */
    ToolChoice REQUIRED = new Mode("required");

    /**
     * @param name a function tool's name
     * @return the choice that makes the model call that function
     */
    static ToolChoice function(String name) {
        return new Function(name);
    }

    /**
     * A choice given as a word: {@code auto}, {@code none} or {@code required} (another word is sent as it is).
     *
     * @param value the word; never {@code null}
     */
    record Mode(String value) implements ToolChoice {
        public Mode {
            requireNonNull(value, "value");
        }
    }

    /**
     * The model must call this function.
     *
     * @param name the function's name; never {@code null}
     */
    record Function(String name) implements ToolChoice {
        public Function {
            requireNonNull(name, "name");
        }
    }

    /**
     * Any other choice object ({@code {"type":"web_search"}}, {@code {"type":"allowed_tools",...}}), written as it
     * is.
     *
     * @param type its type; never {@code null}
     * @param fields its other fields; {@code null} means none
     */
    record Other(String type, Map<String, JsonNode> fields) implements ToolChoice {
        public Other {
            requireNonNull(type, "type");
            fields = Copies.extra(fields);
        }
    }
}
