package io.kaiwa.runtime.run;

import java.util.EnumSet;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.runtime.api.ApiException;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.provider.ProviderOptions;
import io.kaiwa.runtime.tools.BuiltInTool;
import io.kaiwa.runtime.tools.LocalTools;

/**
 * Which of a request's built-in tools the provider hosts and which Kaiwa runs itself, and the provider options of
 * each model call of the response's tool loop.
 *
 * @param local the built-in tools Kaiwa runs (offered to the model as functions); empty for a plain request
 * @param first the options of the first model call
 * @param later the options of the following calls: a forced {@code tool_choice} applies only to the first
 * @param last the options of a call after the tool budget is spent: {@code tool_choice: none}
 * @param maxCalls the most built-in tool calls Kaiwa runs for the response
 * @param parallel whether one model call's tool calls run at the same time
 */
public record ToolPlan(Set<BuiltInTool> local, ObjectNode first, ObjectNode later, ObjectNode last, int maxCalls,
        boolean parallel) {

    /**
     * @param provider where the request goes
     * @param options the request's options as the client sent them
     * @param tools the tools Kaiwa can run
     * @param config the tool limits
     * @return the plan
     * @throws ApiException 400 naming the tool when a built-in tool can run neither at the provider nor here
     */
    public static ToolPlan of(Provider provider, ObjectNode options, LocalTools tools, KaiwaConfig.Tools config) {
        JsonNode requested = options.get("tools");
        Set<BuiltInTool> local = EnumSet.noneOf(BuiltInTool.class);
        ObjectNode sent = options;
        if (requested != null && requested.isArray()) {
            ArrayNode rewritten = null;
            for (int i = 0; i < requested.size(); i++) {
                JsonNode tool = requested.get(i);
                String type = tool.path("type").asText();
                BuiltInTool builtIn = BuiltInTool.byName(type);
                if (builtIn == null || hosted(provider, builtIn)) {
                    continue;
                }
                String unavailable = tools.unavailable(builtIn);
                if (unavailable != null) {
                    throw ApiException.badRequest("tools[" + i + "].type", "The tool '" + type + "' is not available: "
                            + "the provider '" + provider.name() + "' does not host it and " + unavailable);
                }
                if (rewritten == null) {
                    rewritten = requested.deepCopy();
                }
                rewritten.set(i, builtIn.function());
                local.add(builtIn);
            }
            for (int i = 0; i < requested.size(); i++) {
                JsonNode tool = requested.get(i);
                BuiltInTool named = BuiltInTool.byName(tool.path("name").asText());
                if ("function".equals(tool.path("type").asText()) && named != null && local.contains(named)) {
                    throw ApiException.badRequest("tools[" + i + "].name", "The function name '" + named.wire()
                            + "' is taken by the built-in tool of that name, which Kaiwa offers to the model as a "
                            + "function; rename the function.");
                }
            }
            if (rewritten != null) {
                sent = options.deepCopy();
                sent.set("tools", rewritten);
            }
        }
        int requestedMax = options.path("max_tool_calls").asInt(Integer.MAX_VALUE);
        int maxCalls = Math.min(requestedMax, config.maxCalls());
        boolean parallel = options.path("parallel_tool_calls").asBoolean(true);
        if (local.isEmpty()) {
            ObjectNode only = ProviderOptions.forProvider(provider, sent);
            return new ToolPlan(Set.of(), only, only, only, maxCalls, parallel);
        }
        ObjectNode last = sent.deepCopy();
        last.put("tool_choice", "none");
        JsonNode choice = options.get("tool_choice");
        // max_tool_calls: 0 lets the model see the tools but never call them.
        ObjectNode first = maxCalls == 0 ? last : sent;
        if (maxCalls > 0 && choice != null && choice.isObject()
                && local.contains(BuiltInTool.byName(choice.path("type").asText()))) {
            first = sent.deepCopy();
            first.putObject("tool_choice").put("type", "function").put("name", choice.path("type").asText());
        }
        ObjectNode later = sent;
        if (choice != null && (choice.isObject() || "required".equals(choice.asText()))) {
            // A forced tool is forced once: forcing it again on every call would never let the model answer.
            later = sent.deepCopy();
            later.remove("tool_choice");
        }
        if (provider.api() == KaiwaConfig.Api.RESPONSES) {
            // The provider would count only its own tools' calls; Kaiwa counts the ones it runs itself.
            first = without(first, "max_tool_calls");
            later = without(later, "max_tool_calls");
            last.remove("max_tool_calls");
        }
        return new ToolPlan(Set.copyOf(local), ProviderOptions.forProvider(provider, first),
                ProviderOptions.forProvider(provider, later), ProviderOptions.forProvider(provider, last), maxCalls,
                parallel);
    }

    private static boolean hosted(Provider provider, BuiltInTool tool) {
        return provider.api() == KaiwaConfig.Api.RESPONSES && provider.hostedTools().contains(tool.wire());
    }

    private static ObjectNode without(ObjectNode options, String field) {
        if (!options.has(field)) {
            return options;
        }
        ObjectNode copy = options.deepCopy();
        copy.remove(field);
        return copy;
    }

    /** @return whether Kaiwa runs any tool itself, so that the response is a tool loop */
    public boolean loops() {
        return !local.isEmpty();
    }
}
