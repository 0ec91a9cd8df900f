package io.kaiwa.core.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.json.KaiwaJson;

class RequestOptionsTest {
    @Test
    void readsTheResponsesFieldsItModelsAndKeepsTheRestAsExtras() {
        RequestOptions o = KaiwaJson.readOptions(KaiwaJson.parse("""
                {"tools":[{"type":"function","name":"f","x_hint":1},{"type":"web_search","search_context_size":"low"}],
                 "tool_choice":"auto","max_output_tokens":16,"temperature":1,"text":{"format":{"type":"json_object"}},
                 "metadata":{"k":"v"},"store":false,"seed":42,"stop":["\\n"],"top_p":null}"""), "");

        assertThat(o.tools()).hasSize(2);
        assertThat(((FunctionTool) o.tools().get(0)).extra()).containsOnlyKeys("x_hint");
        assertThat(((HostedTool) o.tools().get(1)).fields()).containsOnlyKeys("search_context_size");
        assertThat(o.toolChoice()).isEqualTo(ToolChoice.AUTO);
        assertThat(o.maxOutputTokens()).isEqualTo(16);
        assertThat(o.temperature()).isEqualTo(1.0);
        assertThat(o.textFormat()).isEqualTo(TextFormat.JSON_OBJECT);
        assertThat(o.metadata()).isEqualTo(Map.of("k", "v"));
        assertThat(o.store()).isFalse();
        assertThat(o.topP()).isNull();
        assertThat(o.extras()).containsOnlyKeys("seed", "stop");
    }

    @Test
    void aWrongFieldIsNamedByItsPath() {
        assertThatThrownBy(() -> KaiwaJson.readOptions(KaiwaJson.parse("{\"temperature\":3}"), ""))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.path()).isEqualTo(
                        "temperature"));
        assertThatThrownBy(() -> KaiwaJson.readOptions(KaiwaJson.parse("{\"tools\":[{\"type\":\"function\"}]}"),
                "")).isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.path()).isEqualTo(
                        "tools[0].name"));
        assertThatThrownBy(() -> KaiwaJson.readOptions(KaiwaJson.parse("{\"max_output_tokens\":0}"), ""))
                .isInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void checksItsNumbersWhenBuilt() {
        assertThatThrownBy(() -> RequestOptions.builder().topP(1.5).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topP");
        assertThatThrownBy(() -> RequestOptions.builder().maxOutputTokens(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxOutputTokens");
    }

    @Test
    void isAValueThatTheBuilderCopies() {
        RequestOptions o = RequestOptions.builder().tools(List.of(new HostedTool("web_search"))).temperature(0.5)
                .build();

        assertThat(o.toBuilder().build()).isEqualTo(o).hasSameHashCodeAs(o);
        assertThat(o.toBuilder().temperature(null).build().temperature()).isNull();
        assertThat(o.temperature()).isEqualTo(0.5);
        assertThat(RequestOptions.none().tools()).isEmpty();
    }
}
