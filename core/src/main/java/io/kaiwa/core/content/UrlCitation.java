package io.kaiwa.core.content;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * A web source cited by a span of the answer ({@code url_citation}).
 *
 * @param url the cited URL; never {@code null}
 * @param title the page's title, or {@code null}
 * @param startIndex the first cited character of the text, or {@code null}
 * @param endIndex the character after the cited span, or {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record UrlCitation(String url, String title, Integer startIndex, Integer endIndex,
        Map<String, JsonNode> extra) implements Annotation {
    public UrlCitation {
        requireNonNull(url, "url");
        extra = Copies.extra(extra);
    }

    @Override
    public String type() {
        return "url_citation";
    }
}
