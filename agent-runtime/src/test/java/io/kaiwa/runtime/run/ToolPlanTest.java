package io.kaiwa.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.runtime.api.ApiException;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.tools.BuiltInTool;
import io.kaiwa.runtime.tools.LocalTools;

class ToolPlanTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode options(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Provider provider(KaiwaConfig.Api api, String... hosted) {
        return new Provider("p", api, "http://127.0.0.1:1/v1", "sk", "P_KEY", List.of(), Duration.ofDays(7),
                Set.of(hosted), Duration.ofMinutes(1), Duration.ofMinutes(1), null);
    }

    /** Tools that can all run here, but code_interpreter. */
    static final LocalTools TOOLS = new LocalTools() {
        @Override
        public String unavailable(BuiltInTool tool) {
            return tool == BuiltInTool.CODE_INTERPRETER ? "no sandbox can run Python here." : null;
        }
    };

    static final KaiwaConfig.Tools LIMITS = new KaiwaConfig.Tools() {
        @Override
        public Duration timeout() {
            return Duration.ofSeconds(60);
        }

        @Override
        public Duration budget() {
            return Duration.ofMinutes(5);
        }

        @Override
        public int maxCalls() {
            return 20;
        }

        @Override
        public int maxSteps() {
            return 10;
        }

        @Override
        public KaiwaConfig.WebSearch webSearch() {
            return null;
        }

        @Override
        public KaiwaConfig.WebExtractor webExtractor() {
            return null;
        }

        @Override
        public KaiwaConfig.CodeInterpreter codeInterpreter() {
            return null;
        }
    };

    @Test
    void aChatProviderGetsTheToolsKaiwaRunsAsFunctions() {
        ToolPlan plan = ToolPlan.of(provider(KaiwaConfig.Api.CHAT), options("""
                {"tools":[{"type":"web_search"},{"type":"function","name":"f"}],"tool_choice":{"type":"web_search"},
                 "max_tool_calls":3}"""), TOOLS, LIMITS);

        assertThat(plan.local()).containsExactly(BuiltInTool.WEB_SEARCH);
        assertThat(plan.maxCalls()).isEqualTo(3);
        assertThat(plan.first().at("/tools/0/function/name").asText()).isEqualTo("web_search");
        assertThat(plan.first().at("/tools/0/function/parameters/properties/query/type").asText())
                .isEqualTo("string");
        assertThat(plan.first().at("/tools/1/function/name").asText()).isEqualTo("f");
        assertThat(plan.first().get("tool_choice")).isEqualTo(options("""
                {"type":"function","function":{"name":"web_search"}}"""));
        assertThat(plan.later().has("tool_choice")).isFalse();
        assertThat(plan.last().get("tool_choice").asText()).isEqualTo("none");
        assertThat(plan.first().has("max_tool_calls")).isFalse();
    }

    @Test
    void aResponsesProviderKeepsTheToolsItHostsAndGetsTheOthersAsFunctions() {
        ToolPlan plan = ToolPlan.of(provider(KaiwaConfig.Api.RESPONSES, "web_search"), options("""
                {"tools":[{"type":"web_search"},{"type":"web_extractor"}],"max_tool_calls":4}"""), TOOLS, LIMITS);

        assertThat(plan.local()).containsExactly(BuiltInTool.WEB_EXTRACTOR);
        assertThat(plan.first().get("tools").get(0)).isEqualTo(options("{\"type\":\"web_search\"}"));
        assertThat(plan.first().at("/tools/1/type").asText()).isEqualTo("function");
        assertThat(plan.first().at("/tools/1/name").asText()).isEqualTo("web_extractor");
        assertThat(plan.first().has("max_tool_calls")).isFalse();
    }

    @Test
    void hostedToolsAloneAreAPlainRequest() {
        ObjectNode sent = options("{\"tools\":[{\"type\":\"code_interpreter\"}],\"max_tool_calls\":2}");
        ToolPlan plan = ToolPlan.of(provider(KaiwaConfig.Api.RESPONSES, "code_interpreter"), sent, TOOLS, LIMITS);

        assertThat(plan.loops()).isFalse();
        assertThat(plan.first()).isEqualTo(sent);
    }

    @Test
    void aToolThatCanRunNowhereIsABadRequestSayingWhy() {
        assertThatThrownBy(() -> ToolPlan.of(provider(KaiwaConfig.Api.CHAT), options("""
                {"tools":[{"type":"web_search"},{"type":"code_interpreter"}]}"""), TOOLS, LIMITS))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.param()).isEqualTo("tools[1].type");
                    assertThat(e.getMessage()).contains("'p' does not host it").contains("no sandbox");
                });
    }

    @Test
    void noToolsNoLoop() {
        ToolPlan plan = ToolPlan.of(provider(KaiwaConfig.Api.CHAT), options("{\"temperature\":0.1}"), TOOLS,
                LIMITS);

        assertThat(plan.loops()).isFalse();
        assertThat(plan.maxCalls()).isEqualTo(20);
        assertThat(Optional.ofNullable(plan.first().get("temperature"))).isPresent();
    }
}
