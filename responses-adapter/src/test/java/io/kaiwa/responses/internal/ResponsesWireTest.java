package io.kaiwa.responses.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.ProviderResponse;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.FunctionTool;
import io.kaiwa.core.options.HostedTool;
import io.kaiwa.core.options.RequestOptions;

class ResponsesWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROVIDER = "dashscope-intl/responses";
    private static final Duration SEVEN_DAYS = Duration.ofDays(7);
    private static final Instant NOW = Instant.parse("2026-01-22T12:00:00Z");

    private static JsonNode seed(String name) {
        try (InputStream in = ResponsesWireTest.class.getResourceAsStream("/seeds/responses/" + name)) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode written(ResponsesWire.Request request) {
        var out = new StringWriter();
        try (var g = JSON.getFactory().createGenerator(out)) {
            ResponsesWire.write(g, request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return JSON.readTree(out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ResponsesWire.Request request(String previous, List<Item> input, boolean stream,
            ObjectNode parameters) {
        return new ResponsesWire.Request("qwen3-max-2026-01-23", null, previous, input, null, stream,
                RequestOptions.none(), parameters);
    }

    @Test
    void writesTheSeedsRequestsExactly() {
        assertThat(written(request(null, List.of(MessageItem.user("こんにちは、一文で自己紹介をしてください。")), false, null)))
                .isEqualTo(seed("01-basic.request.json"));
        assertThat(written(request(null, List.of(MessageItem.user("私の名前は田中です。覚えておいてください。")), false, null)))
                .isEqualTo(seed("03-multi-turn-round1.request.json"));
        assertThat(written(request("response_id_from_first_round", List.of(MessageItem.user("私の名前を覚えていますか?")),
                false, null))).isEqualTo(seed("04-multi-turn-round2.request.json"));
        assertThat(written(request(null, List.of(MessageItem.user("人工知能について簡単に紹介してください。")), true, null)))
                .isEqualTo(seed("06-streaming.request.json"));
        var tools = JSON.createObjectNode();
        tools.set("tools", JSON.valueToTree(List.of(Map.of("type", "web_search"), Map.of("type", "code_interpreter"),
                Map.of("type", "web_extractor"))));
        tools.put("enable_thinking", true);
        tools.put("model", "ignored: Kaiwa writes the model itself");
        assertThat(written(request(null, List.of(MessageItem.user("Alibaba Cloud のウェブサイトを見つけて、主要な情報を抽出してください")),
                false, tools))).isEqualTo(seed("08-builtin-tools.request.json"));
    }

    @Test
    void writesAnythingButALonePlainUserTextAsItems() {
        JsonNode body = written(new ResponsesWire.Request("m", "Be brief.", null,
                List.of(MessageItem.user("q"), MessageItem.assistant("a"), MessageItem.user("q2")), null, false,
                RequestOptions.none(), null));

        assertThat(body.get("input").isArray()).isTrue();
        assertThat(body.get("input")).hasSize(3);
        assertThat(body.get("instructions").asText()).isEqualTo("Be brief.");
        assertThat(written(new ResponsesWire.Request("m", null, null, List.of(MessageItem.user("x")), false, false,
                RequestOptions.none(), null)).get("store").asBoolean()).isFalse();
    }

    @Test
    void writesACallsOptionsAsTheSeedWritesThem() {
        var options = RequestOptions.builder().tools(List.of(new HostedTool("web_search"),
                new HostedTool("code_interpreter"), new HostedTool("web_extractor"))).enableThinking(true).build();

        JsonNode body = written(new ResponsesWire.Request("qwen3-max-2026-01-23", null, null,
                List.of(MessageItem.user("Alibaba Cloud のウェブサイトを見つけて、主要な情報を抽出してください")), null, false, options,
                null));

        assertThat(body).isEqualTo(seed("08-builtin-tools.request.json"));
    }

    @Test
    void writesEveryOptionInTheResponsesApisOwnNamesAndReadsThemBack() {
        JsonNode fields = tree(
                """
                        {"tools":[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object"},
                          "strict":true},{"type":"mcp","server_url":"https://example.test/mcp"}],
                         "tool_choice":{"type":"function","name":"get_weather"},"parallel_tool_calls":false,"max_tool_calls":3,
                         "max_output_tokens":64,"temperature":0.3,"top_p":0.9,"reasoning":{"effort":"low","summary":"auto"},
                         "enable_thinking":false,"text":{"format":{"type":"json_schema","name":"w","schema":{"type":"object"},
                          "strict":true},"verbosity":"low"},"include":["reasoning.encrypted_content"],
                         "prompt_cache_key":"k1","metadata":{"ticket":"42"},"seed":7}""");
        RequestOptions options = KaiwaJson.readOptions(fields, "");

        JsonNode body = written(new ResponsesWire.Request("m", null, null, List.of(MessageItem.user("x")), null,
                false, options, null));

        var expected = (ObjectNode) fields.deepCopy();
        expected.put("model", "m").put("input", "x");
        assertThat(body).isEqualTo(expected);
        assertThat(options.tools().get(0)).isInstanceOf(FunctionTool.class);
        assertThat(options.extras()).containsOnlyKeys("seed");
    }

    @Test
    void theCallsOptionsWinOverTheBuildersParametersOfTheSameName() {
        var parameters = JSON.createObjectNode().put("temperature", 1.5).put("top_p", 0.5);

        JsonNode body = written(new ResponsesWire.Request("m", null, null, List.of(MessageItem.user("x")), null,
                false, RequestOptions.builder().temperature(0.2).build(), parameters));

        assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.get("top_p").asDouble()).isEqualTo(0.5);
    }

    @Test
    void readsTheSeedsBasicResponseIntoAChainableTurn() {
        List<Item> input = List.of(MessageItem.user("こんにちは"));

        Turn turn = ResponsesWire.read(seed("02-basic.response.json"), PROVIDER, SEVEN_DAYS, true, input, NOW, NOW,
                null);

        assertThat(turn.id()).isEqualTo("b8104cd2-ee57-903d-aae0-93d99254axxx");
        assertThat(turn.outputText()).startsWith("こんにちは!私は Tongyi Lab");
        assertThat(turn.usage()).isEqualTo(new Usage(39, 46, 85, 0, 0, null));
        assertThat(turn.status()).isEqualTo(TurnStatus.COMPLETED);
        assertThat(turn.providerResponse()).isEqualTo(new ProviderResponse(PROVIDER,
                "b8104cd2-ee57-903d-aae0-93d99254axxx", Instant.ofEpochSecond(1769084048L).plus(SEVEN_DAYS)));
        assertThat(turn.input()).isEqualTo(input);
    }

    @Test
    void readsBuiltInToolItemsAndToolCounts() {
        Turn turn = ResponsesWire.read(seed("09-builtin-tools.response.json"), PROVIDER, SEVEN_DAYS, true, List.of(),
                NOW, NOW, null);

        assertThat(turn.output()).hasExactlyElementsOfTypes(ReasoningItem.class, WebSearchCallItem.class,
                ReasoningItem.class, WebExtractorCallItem.class, MessageItem.class);
        assertThat(((WebSearchCallItem) turn.output().get(1)).action().sources()).hasSize(2);
        assertThat(turn.usage().toolCalls()).isEqualTo(Map.of("web_search", 1L, "web_extractor", 1L));
        // No created_at in this abridged example: the expiry counts from when the answer was read.
        assertThat(turn.providerResponse().expiresAt()).isEqualTo(NOW.plus(SEVEN_DAYS));
    }

    @Test
    void recordsNoChainableIdWhenNothingIsStored() {
        Turn turn = ResponsesWire.read(seed("05-multi-turn-round2.response.json"), PROVIDER, SEVEN_DAYS, false,
                List.of(), NOW, NOW, null);

        assertThat(turn.providerResponse()).isNull();
        assertThat(turn.outputText()).contains("田中さん");
    }

    @Test
    void readsAFailedResponseWithItsError() throws IOException {
        JsonNode failed = JSON.readTree("""
                {"id":"resp_1","object":"response","status":"failed","output":[],
                 "error":{"code":"server_error","message":"The model crashed."}}""");

        Turn turn = ResponsesWire.read(failed, PROVIDER, SEVEN_DAYS, true, List.of(), NOW, NOW, null);

        assertThat(turn.status()).isEqualTo(TurnStatus.FAILED);
        assertThat(turn.error().code()).isEqualTo("server_error");
        assertThat(turn.providerResponse()).isNull();
    }

    @Test
    void aResponseWithoutAnIdIsRejectedNamingTheField() throws IOException {
        assertThatThrownBy(() -> ResponsesWire.read(JSON.readTree("{\"output\":[]}"), PROVIDER, SEVEN_DAYS, true,
                List.of(), NOW, NOW, null)).isInstanceOf(InvalidPayloadException.class).hasMessageStartingWith("id:");
    }
}
