package io.kaiwa.core;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tokens and tool calls one turn (or, summed, a whole conversation) consumed.
 *
 * @param inputTokens tokens the provider read, including cached ones
 * @param outputTokens tokens the provider wrote, including reasoning
 * @param totalTokens input plus output, as the provider reported it
 * @param cachedTokens input tokens served from the provider's context cache
 * @param reasoningTokens output tokens spent on reasoning
 * @param toolCalls built-in tool calls per tool name (DashScope's {@code x_tools}); {@code null} means none
 */
public record Usage(long inputTokens, long outputTokens, long totalTokens, long cachedTokens, long reasoningTokens,
        Map<String, Long> toolCalls) {

    /** No usage at all: the identity of {@link #plus(Usage)}. */
    public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, null);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || totalTokens < 0 || cachedTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts must not be negative");
        }
        toolCalls = toolCalls == null || toolCalls.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new TreeMap<>(toolCalls));
    }

    /**
     * @param inputTokens tokens read
     * @param outputTokens tokens written
     * @return usage with the total computed and no cache, reasoning or tool counts
     */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, inputTokens + outputTokens, 0, 0, null);
    }

    /**
     * @param other usage to add; never {@code null}
     * @return the sum of both, tool counts added per tool
     */
    public Usage plus(Usage other) {
        if (other == ZERO) {
            return this;
        }
        if (this == ZERO) {
            return other;
        }
        Map<String, Long> tools = toolCalls;
        if (!other.toolCalls.isEmpty()) {
            var sum = new TreeMap<>(toolCalls);
            other.toolCalls.forEach((k, v) -> sum.merge(k, v, Long::sum));
            tools = sum;
        }
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                totalTokens + other.totalTokens, cachedTokens + other.cachedTokens,
                reasoningTokens + other.reasoningTokens, tools);
    }

    /** @return the number of built-in tool calls of all tools */
    public long totalToolCalls() {
        long n = 0;
        for (long v : toolCalls.values()) {
            n += v;
        }
        return n;
    }
}
