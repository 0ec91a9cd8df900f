package io.kaiwa.core.item;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * The model's reasoning before it answered ({@code reasoning}): summary texts and, where the provider returns
 * it, the full reasoning text (Chat Completions' {@code reasoning_content}).
 *
 * <p>
 * Reasoning is part of a turn's record but is not replayed to Chat Completions by default: see
 * {@link io.kaiwa.core.context.ReasoningReplay}.
 *
 * @param id the provider's item id, or {@code null}
 * @param summary the {@code summary_text} parts' texts; {@code null} means none
 * @param content the {@code reasoning_text} parts' texts; {@code null} means none
 * @param encryptedContent opaque reasoning state some providers return for replay, or {@code null}
 * @param status the provider's status, or {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record ReasoningItem(String id, List<String> summary, List<String> content, String encryptedContent,
        String status, Map<String, JsonNode> extra) implements Item {
    public ReasoningItem {
        summary = Copies.list(summary, "summary");
        content = Copies.list(content, "content");
        extra = Copies.extra(extra);
    }

    /**
     * @param text the full reasoning text, as Chat Completions streams it in {@code reasoning_content}
     * @return a reasoning item holding that text as its content
     */
    public static ReasoningItem ofText(String text) {
        return new ReasoningItem(null, null, List.of(text), null, null, null);
    }

    /** @return the reasoning content joined, or else the summaries joined by blank lines */
    public String text() {
        return String.join("\n\n", content.isEmpty() ? summary : content);
    }

    @Override
    public String type() {
        return "reasoning";
    }
}
