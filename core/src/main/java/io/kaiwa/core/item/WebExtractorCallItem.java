package io.kaiwa.core.item;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * Pages the model read through the built-in {@code web_extractor} tool ({@code web_extractor_call}, a DashScope
 * item type that Kaiwa also produces when it runs the tool itself).
 *
 * @param id the provider's item id, or {@code null}
 * @param status the call's status, or {@code null}
 * @param goal what the model wanted from the pages, or {@code null}
 * @param urls the pages read; {@code null} means none
 * @param output the extracted text, or {@code null} while running
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record WebExtractorCallItem(String id, String status, String goal, List<String> urls, String output,
        Map<String, JsonNode> extra) implements Item {
    public WebExtractorCallItem {
        urls = Copies.list(urls, "urls");
        extra = Copies.extra(extra);
    }

    @Override
    public String type() {
        return "web_extractor_call";
    }
}
