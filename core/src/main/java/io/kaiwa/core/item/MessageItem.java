package io.kaiwa.core.item;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.internal.Copies;

/**
 * A message ({@code message}): what a user, system or developer said, or what the assistant answered.
 *
 * @param id the provider's item id, or {@code null}
 * @param role who speaks; never {@code null}
 * @param content the parts, in order; {@code null} means none
 * @param status {@code in_progress}, {@code completed} or {@code incomplete} as the provider reported it, or
 *        {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record MessageItem(String id, Role role, List<ContentPart> content, String status,
        Map<String, JsonNode> extra) implements Item {
    public MessageItem {
        requireNonNull(role, "role");
        content = Copies.list(content, "content");
        extra = Copies.extra(extra);
    }

    /**
     * @param text what the user says
     * @return a user message with one {@code input_text} part
     */
    public static MessageItem user(String text) {
        return new MessageItem(null, Role.USER, List.of(new InputText(text)), null, null);
    }

    /**
     * @param parts the parts, e.g. text and an image
     * @return a user message with these parts
     */
    public static MessageItem user(ContentPart... parts) {
        return new MessageItem(null, Role.USER, List.of(parts), null, null);
    }

    /**
     * @param text the instructions
     * @return a system message with one {@code input_text} part
     */
    public static MessageItem system(String text) {
        return new MessageItem(null, Role.SYSTEM, List.of(new InputText(text)), null, null);
    }

    /**
     * @param text the instructions
     * @return a developer message with one {@code input_text} part
     */
    public static MessageItem developer(String text) {
        return new MessageItem(null, Role.DEVELOPER, List.of(new InputText(text)), null, null);
    }

    /**
     * @param text what the assistant answered
     * @return a completed assistant message with one {@code output_text} part
     */
    public static MessageItem assistant(String text) {
        return new MessageItem(null, Role.ASSISTANT, List.of(new OutputText(text)), "completed", null);
    }

    /**
     * The text of this message: its {@code input_text} and {@code output_text} parts joined in order, other parts
     * skipped.
     *
     * @return the text; empty when there is none
     */
    public String text() {
        if (content.size() == 1) {
            return textOf(content.get(0));
        }
        var sb = new StringBuilder();
        for (ContentPart part : content) {
            sb.append(textOf(part));
        }
        return sb.toString();
    }

    private static String textOf(ContentPart part) {
        if (part instanceof InputText t) {
            return t.text();
        }
        if (part instanceof OutputText t) {
            return t.text();
        }
        return "";
    }

    @Override
    public String type() {
        return "message";
    }
}
