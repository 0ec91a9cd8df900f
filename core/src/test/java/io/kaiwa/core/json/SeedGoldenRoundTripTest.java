package io.kaiwa.core.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every Responses API example in the seeds (requests, responses, streaming events) is parsed into the model and
 * written back, and must come back as equal JSON.
 *
 * <p>
 * Each document is walked for the parts the core model owns: request {@code input} arrays, response
 * {@code output} arrays and {@code usage}, and in events {@code item}, {@code part} and the nested
 * {@code response}. Each part is replaced by its round-tripped form and the whole document compared. Two
 * normalisations are applied to the expected side, both where the writer completes the OpenAI schema: JSON
 * {@code null} members are dropped (these APIs treat null and absent alike, and unmodelled nulls survive anyway as
 * extras), and fields OpenAI's schema requires are added when a seed abridged them ({@code annotations: []} on
 * {@code output_text}, both usage details objects).
 *
 * <p>
 * The six Chat Completions and DashScope native request bodies of the multi-turn seed are not in the core model's
 * shape (they are {@code messages} arrays); the chat adapter round-trips them through its own mapper.
 */
class SeedGoldenRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RESPONSES_JSON = List.of("01-basic.request.json", "02-basic.response.json",
            "03-multi-turn-round1.request.json", "04-multi-turn-round2.request.json",
            "05-multi-turn-round2.response.json", "06-streaming.request.json", "08-builtin-tools.request.json",
            "09-builtin-tools.response.json", "10-migration-chat-completions.request.json",
            "11-migration-responses.request.json");

    static Stream<Arguments> responsesDocuments() {
        return RESPONSES_JSON.stream().map(name -> Arguments.of(name, read("responses/" + name)));
    }

    static Stream<Arguments> streamingEvents() {
        String[] lines = new String(bytes("responses/07-streaming.chunks.jsonl"), StandardCharsets.UTF_8).split("\n");
        var args = new ArrayList<Arguments>();
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                args.add(Arguments.of(i + 1, parse(lines[i])));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("responsesDocuments")
    void responsesDocumentRoundTripsToEqualJson(String name, JsonNode seed) {
        JsonNode roundTripped = roundTripModelParts(seed.deepCopy());

        assertThat(roundTripped).isEqualTo(normalise(seed.deepCopy()));
    }

    @ParameterizedTest(name = "line {0}")
    @MethodSource("streamingEvents")
    void streamingEventRoundTripsToEqualJson(int line, JsonNode event) {
        JsonNode roundTripped = roundTripModelParts(event.deepCopy());

        assertThat(roundTripped).isEqualTo(normalise(event.deepCopy()));
    }

    @Test
    void builtInToolsResponseMapsToTheRightItemTypes() {
        JsonNode seed = read("responses/09-builtin-tools.response.json");

        var items = KaiwaJson.readItems(seed.get("output"), "output");

        assertThat(items).extracting(i -> i.getClass().getSimpleName()).containsExactly("ReasoningItem",
                "WebSearchCallItem", "ReasoningItem", "WebExtractorCallItem", "MessageItem");
        var usage = KaiwaJson.readUsage(seed.get("usage"), "usage");
        assertThat(usage.toolCalls()).isEqualTo(Map.of("web_extractor", 1L, "web_search", 1L));
        assertThat(usage.reasoningTokens()).isEqualTo(677);
        assertThat(usage.totalTokens()).isEqualTo(42942);
    }

    @Test
    void everySeedExampleIsCovered() {
        // A new fixture must be added to the lists above, or it is silently not round-tripped.
        assertThat(RESPONSES_JSON).hasSize(10);
        assertThat(streamingEvents()).hasSize(15);
    }

    /** Replaces every part the core model owns by its round-tripped JSON. */
    private static JsonNode roundTripModelParts(JsonNode node) {
        if (!(node instanceof ObjectNode o)) {
            return node;
        }
        if (o.get("input") instanceof ArrayNode input) {
            o.set("input", parse(KaiwaJson.toJson(KaiwaJson.readItems(input, "input"))));
        }
        if (o.get("output") instanceof ArrayNode output) {
            o.set("output", parse(KaiwaJson.toJson(KaiwaJson.readItems(output, "output"))));
        }
        if (o.get("usage") instanceof ObjectNode usage) {
            o.set("usage", parse(KaiwaJson.toJson(KaiwaJson.readUsage(usage, "usage"))));
        }
        if (o.get("item") instanceof ObjectNode item) {
            o.set("item", KaiwaJson.toTree(KaiwaJson.readItem(item, "item")));
        }
        if (o.get("part") instanceof ObjectNode part) {
            o.set("part", contentTree(part));
        }
        if (o.get("response") instanceof ObjectNode response) {
            o.set("response", roundTripModelParts(response));
        }
        return stripNulls(o);
    }

    private static JsonNode contentTree(ObjectNode part) {
        var out = new java.io.StringWriter();
        try (var g = JSON.getFactory().createGenerator(out)) {
            KaiwaJson.writeContent(g, KaiwaJson.readContent(part, "part"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parse(out.toString());
    }

    private static JsonNode normalise(JsonNode node) {
        stripNulls(node);
        completeSchema(node);
        return node;
    }

    private static JsonNode stripNulls(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.properties().removeIf(e -> e.getValue().isNull());
            o.forEach(SeedGoldenRoundTripTest::stripNulls);
        } else if (node instanceof ArrayNode a) {
            a.forEach(SeedGoldenRoundTripTest::stripNulls);
        }
        return node;
    }

    private static void completeSchema(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if ("output_text".equals(o.path("type").asText()) && !o.has("annotations")) {
                o.putArray("annotations");
            }
            if (o.get("usage") instanceof ObjectNode usage) {
                if (!usage.has("input_tokens_details")) {
                    usage.putObject("input_tokens_details").put("cached_tokens", 0);
                }
                if (!usage.has("output_tokens_details")) {
                    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
                }
            }
            o.forEach(SeedGoldenRoundTripTest::completeSchema);
        } else if (node instanceof ArrayNode a) {
            a.forEach(SeedGoldenRoundTripTest::completeSchema);
        }
    }

    static JsonNode read(String resource) {
        return parse(new String(bytes(resource), StandardCharsets.UTF_8));
    }

    static byte[] bytes(String resource) {
        try (InputStream in = SeedGoldenRoundTripTest.class.getResourceAsStream("/seeds/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
