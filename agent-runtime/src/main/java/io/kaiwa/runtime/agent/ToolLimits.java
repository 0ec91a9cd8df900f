package io.kaiwa.runtime.agent;

import java.time.Duration;

import io.kaiwa.runtime.config.KaiwaConfig;

/**
 * The limits of one response's tool loop.
 *
 * @param timeout the longest one tool call may take
 * @param budget the most time the response's tool calls may take together
 * @param maxCalls the most tool calls the response makes (a request's {@code max_tool_calls} may lower it)
 * @param maxSteps the most model calls the response makes while it runs tools
 */
public record ToolLimits(Duration timeout, Duration budget, int maxCalls, int maxSteps) {

    /**
     * @param config {@code kaiwa.tools.*}
     * @return its limits
     */
    public static ToolLimits of(KaiwaConfig.Tools config) {
        return new ToolLimits(config.timeout(), config.budget(), config.maxCalls(), config.maxSteps());
    }
}
