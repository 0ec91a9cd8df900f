package io.kaiwa.runtime.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.exception.InvalidRequestException;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.FunctionTool;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.options.ToolChoice;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.provider.Provider;
import io.kaiwa.runtime.tools.BuiltInTool;
import io.kaiwa.runtime.tools.ToolRun;
import io.kaiwa.runtime.tools.ToolRunner;
import io.smallrye.mutiny.Uni;

class ToolPlanTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode json(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static RequestOptions options(String json) {
        return KaiwaJson.readOptions(json(json), "");
    }

    static Provider provider(KaiwaConfig.Api api, String... hosted) {
        return new Provider("p", api, "http://127.0.0.1:1/v1", "sk", "P_KEY", List.of(), Duration.ofDays(7),
                Set.of(hosted), Duration.ofMinutes(1), Duration.ofMinutes(1), null);
    }

    /** Tools that can all run here, but code_interpreter. */
    static final ToolRunner TOOLS = new ToolRunner() {
        @Override
        public String unavailable(BuiltInTool tool) {
            return tool == BuiltInTool.CODE_INTERPRETER ? "no sandbox can run Python here." : null;
        }

        @Override
        public Uni<ToolRun> run(BuiltInTool tool, FunctionCallItem call, Duration timeout) {
            throw new AssertionError("a plan runs no tool");
        }
    };

    static final ToolLimits LIMITS = new ToolLimits(Duration.ofSeconds(60), Duration.ofMinutes(5), 20, 10);

    @Test
    void aChatProviderGetsTheToolsKaiwaRunsAsFunctions() {
        ToolPlan plan = ToolPlan.of(provider(KaiwaConfig.Api.CHAT), options("""
                {"tools":[{"type":"web_search"},{"type":"function","name":"f"}],"tool_choice":{"type":"web_search"},
                 "max_tool_calls":3}"""), TOOLS, LIMITS);

        assertThat(plan.local()).containsExactly(BuiltInTool.WEB_SEARCH);
        assertThat(plan.maxCalls()).isEqualTo(3);
        var search = (FunctionTool) plan.first().tools().get(0);
        assertThat(search.name()).isEqualTo("web_search");
        assertThat(search.parameters().at("/properties/query/type").asText()).isEqualTo("string");
        assertThat(((FunctionTool) plan.first().tools().get(1)).name()).isEqualTo("f");
        assertThat(plan.first().toolChoice()).isEqualTo(ToolChoice.function("web_search"));
        assertThat(plan.later().toolChoice()).isNull();
        assertThat(plan.last().toolChoice()).isEqualTo(ToolChoice.NONE);
        assertThat(plan.first().maxToolCalls()).isNull();
    }

    @Test
    void aResponsesProviderKeepsTheToolsItHostsAndGetsTheOthersAsFunctions() {
        ToolPlan plan = ToolPlan.of(provider(KaiwaConfig.Api.RESPONSES, "web_search"), options("""
                {"tools":[{"type":"web_search"},{"type":"web_extractor"}],"max_tool_calls":4}"""), TOOLS, LIMITS);

        assertThat(plan.local()).containsExactly(BuiltInTool.WEB_EXTRACTOR);
        assertThat(plan.first().tools().get(0)).isEqualTo(new HostedTool("web_search"));
        assertThat(plan.first().tools().get(1)).isInstanceOfSatisfying(FunctionTool.class,
                f -> assertThat(f.name()).isEqualTo("web_extractor"));
        assertThat(plan.first().maxToolCalls()).isNull();
    }

    @Test
    void hostedToolsAloneAreAPlainRequest() {
        RequestOptions sent = options("{\"tools\":[{\"type\":\"code_interpreter\"}],\"max_tool_calls\":2}");
        ToolPlan plan = ToolPlan.of(provider(KaiwaConfig.Api.RESPONSES, "code_interpreter"), sent, TOOLS, LIMITS);

        assertThat(plan.loops()).isFalse();
        assertThat(plan.first()).isEqualTo(sent);
    }

    @Test
    void aToolThatCanRunNowhereIsABadRequestSayingWhy() {
        assertThatThrownBy(() -> ToolPlan.of(provider(KaiwaConfig.Api.CHAT), options("""
                {"tools":[{"type":"web_search"},{"type":"code_interpreter"}]}"""), TOOLS, LIMITS))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
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
        assertThat(plan.first().temperature()).isEqualTo(0.1);
    }

    @Test
    void aToolOnlyAProviderCanRunIsRefusedForAChatProviderNamingIt() {
        assertThatThrownBy(() -> ToolPlan.of(provider(KaiwaConfig.Api.DASHSCOPE), options("""
                {"tools":[{"type":"function","name":"f"},{"type":"mcp","server_url":"https://mcp.test"}]}"""),
                TOOLS, LIMITS)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.param()).isEqualTo("tools[1].type");
                    assertThat(e.getMessage()).contains("'mcp'").contains("'p'");
                });
    }
}
