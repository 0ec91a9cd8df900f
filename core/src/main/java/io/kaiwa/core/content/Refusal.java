package io.kaiwa.core.content;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * The model's refusal to answer ({@code refusal}).
 *
 * @param refusal the refusal's explanation; never {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record Refusal(String refusal, Map<String, JsonNode> extra) implements ContentPart {
    public Refusal {
        requireNonNull(refusal, "refusal");
        extra = Copies.extra(extra);
    }

    @Override
    public String type() {
        return "refusal";
    }
}
