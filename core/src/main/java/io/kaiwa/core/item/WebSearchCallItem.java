package io.kaiwa.core.item;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * A web search the model ran through the built-in {@code web_search} tool ({@code web_search_call}).
 *
 * @param id the provider's item id, or {@code null}
 * @param status {@code in_progress}, {@code searching}, {@code completed} or {@code failed}, or {@code null}
 * @param action what was searched and what was found, or {@code null} while the provider has not said
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record WebSearchCallItem(String id, String status, Action action, Map<String, JsonNode> extra)
        implements
            Item {
    public WebSearchCallItem {
        extra = Copies.extra(extra);
    }

    @Override
    public String type() {
        return "web_search_call";
    }

    /**
     * The search's action ({@code {"type":"search","query":...,"sources":[...]}}).
     *
     * @param type the action type, normally {@code search}; never {@code null}
     * @param query the query, or {@code null}
     * @param sources the results' sources; {@code null} means none
     * @param extra unmodelled wire fields; {@code null} means none
     */
    public record Action(String type, String query, List<Source> sources, Map<String, JsonNode> extra) {
        public Action {
            type = type == null ? "search" : type;
            sources = Copies.list(sources, "sources");
            extra = Copies.extra(extra);
        }
    }

    /**
     * One source a search found ({@code {"type":"url","url":...}}).
     *
     * @param type the source type, normally {@code url}; never {@code null}
     * @param url the source's URL, or {@code null}
     * @param extra unmodelled wire fields (e.g. a title); {@code null} means none
     */
    public record Source(String type, String url, Map<String, JsonNode> extra) {
        public Source {
            type = type == null ? "url" : type;
            extra = Copies.extra(extra);
        }
    }
}
