package io.kaiwa.core.content;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * Text the user, system or developer sends ({@code input_text}).
 *
 * @param text the text; never {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record InputText(String text, Map<String, JsonNode> extra) implements ContentPart {
    public InputText {
        requireNonNull(text, "text");
        extra = Copies.extra(extra);
    }

    /** @param text the text; never {@code null} */
    public InputText(String text) {
        this(text, null);
    }

    @Override
    public String type() {
        return "input_text";
    }
}
