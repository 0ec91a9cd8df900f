package io.kaiwa.core.options;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * How much a reasoning model thinks, and what it shows of it ({@code reasoning} on the Responses API;
 * {@code reasoning_effort} on Chat Completions).
 *
 * @param effort {@code minimal}, {@code low}, {@code medium} or {@code high}, or {@code null} for the provider's
 *        default
 * @param summary {@code auto}, {@code concise} or {@code detailed}, or {@code null}; Responses API only
 * @param extra unmodelled fields; {@code null} means none
 */
public record Reasoning(String effort, String summary, Map<String, JsonNode> extra) {
    public Reasoning {
        extra = Copies.extra(extra);
    }

    /** @param effort how much the model thinks */
    public Reasoning(String effort) {
        this(effort, null, null);
    }
}
