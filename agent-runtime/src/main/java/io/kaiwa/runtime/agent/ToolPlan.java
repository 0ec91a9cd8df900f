package io.kaiwa.runtime.agent;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.options.FunctionTool;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.options.Tool;
import io.kaiwa.core.options.ToolChoice;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.tools.BuiltInTool;
import io.kaiwa.runtime.tools.ToolRunner;

/**
 * Which of a request's built-in tools the provider hosts and which Kaiwa runs itself, and the options of each model
 * call of the response's tool loop.
 *
 * @param local the built-in tools Kaiwa runs (offered to the model as functions); empty for a plain request
 * @param first the options of the first model call
 * @param later the options of the following calls: a forced {@code tool_choice} applies only to the first
 * @param last the options of a call after the tool budget is spent: {@code tool_choice: none}
 * @param maxCalls the most built-in tool calls Kaiwa runs for the response
 * @param parallel whether one model call's tool calls run at the same time
 */
public record ToolPlan(Set<BuiltInTool> local, RequestOptions first, RequestOptions later, RequestOptions last,
        int maxCalls, boolean parallel) {

    /**
     * @param provider where the request goes
     * @param options the request's options
     * @param tools the tools Kaiwa can run
     * @param config the tool limits
     * @return the plan
     * @throws InvalidRequestException naming the tool when a built-in tool can run neither at the provider nor here,
     *         or a tool only a provider could run goes to a provider of another API style
     */
    public static ToolPlan of(Provider provider, RequestOptions options, ToolRunner tools, ToolLimits config) {
        List<Tool> requested = options.tools();
        Set<BuiltInTool> local = EnumSet.noneOf(BuiltInTool.class);
        List<Tool> sent = new ArrayList<>(requested);
        for (int i = 0; i < requested.size(); i++) {
            if (!(requested.get(i) instanceof HostedTool hosted)) {
                continue;
            }
            BuiltInTool builtIn = BuiltInTool.byName(hosted.type());
            if (builtIn == null || hosted(provider, builtIn)) {
                if (provider.api() != KaiwaConfig.Api.RESPONSES) {
                    throw badTool(i, "The tool '" + hosted.type() + "' is not available with the model's provider '"
                            + provider.name() + "' (a Chat Completions API); use a provider that hosts it.");
                }
                continue;
            }
            String unavailable = tools.unavailable(builtIn);
            if (unavailable != null) {
                throw badTool(i, "The tool '" + hosted.type() + "' is not available: the provider '"
                        + provider.name() + "' does not host it and " + unavailable);
            }
            sent.set(i, builtIn.function());
            local.add(builtIn);
        }
        for (int i = 0; i < requested.size(); i++) {
            BuiltInTool named = requested.get(i) instanceof FunctionTool f ? BuiltInTool.byName(f.name()) : null;
            if (named != null && local.contains(named)) {
                throw new InvalidRequestException("The function name '" + named.wire() + "' is taken by the built-in "
                        + "tool of that name, which Kaiwa offers to the model as a function; rename the function.",
                        400, "invalid_value", "tools[" + i + "].name", null);
            }
        }
        int maxCalls = Math.min(options.maxToolCalls() == null ? Integer.MAX_VALUE : options.maxToolCalls(),
                config.maxCalls());
        boolean parallel = !Boolean.FALSE.equals(options.parallelToolCalls());
        if (local.isEmpty()) {
            return new ToolPlan(Set.of(), options, options, options, maxCalls, parallel);
        }
        // A provider would count only its own tools' calls; Kaiwa counts the ones it runs itself.
        RequestOptions withFunctions = options.toBuilder().tools(sent).maxToolCalls(null).build();
        RequestOptions last = withFunctions.toBuilder().toolChoice(ToolChoice.NONE).build();
        ToolChoice choice = options.toolChoice();
        // max_tool_calls: 0 lets the model see the tools but never call them.
        RequestOptions first = maxCalls == 0 ? last : withFunctions;
        if (maxCalls > 0 && choice instanceof ToolChoice.Other other
                && local.contains(BuiltInTool.byName(other.type()))) {
            first = withFunctions.toBuilder().toolChoice(ToolChoice.function(other.type())).build();
        }
        RequestOptions later = withFunctions;
        if (choice != null && !(choice instanceof ToolChoice.Mode mode && !mode.value().equals("required"))) {
            // A forced tool is forced once: forcing it again on every call would never let the model answer.
            later = withFunctions.toBuilder().toolChoice(null).build();
        }
        return new ToolPlan(Set.copyOf(local), first, later, last, maxCalls, parallel);
    }

    private static InvalidRequestException badTool(int i, String message) {
        return new InvalidRequestException(message, 400, "invalid_value", "tools[" + i + "].type", null);
    }

    private static boolean hosted(Provider provider, BuiltInTool tool) {
        return provider.api() == KaiwaConfig.Api.RESPONSES && provider.hostedTools().contains(tool.wire());
    }

    /** @return whether Kaiwa runs any tool itself, so that the response is a tool loop */
    public boolean loops() {
        return !local.isEmpty();
    }
}
