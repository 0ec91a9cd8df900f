package io.kaiwa.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.Usage;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputAudio;
import io.kaiwa.core.content.InputFile;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.content.UnknownAnnotation;
import io.kaiwa.core.content.UnknownContent;
import io.kaiwa.core.content.UrlCitation;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.item.UnknownItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;

class KaiwaJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) {
        return KaiwaJson.parse(json);
    }

    private static void assertRoundTrip(String json) {
        Item item = KaiwaJson.readItem(json);
        assertThat(KaiwaJson.toTree(item)).isEqualTo(tree(json));
    }

    @Nested
    class WritesEveryItemTypeAsTheResponsesApiDoes {
        @Test
        void everyModelledItemAndContentTypeRoundTrips() {
            assertRoundTrip("""
                    {"type":"message","id":"msg_1","role":"user","status":"completed","content":[
                      {"type":"input_text","text":"Look:"},
                      {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"},
                      {"type":"input_image","file_id":"file-1"},
                      {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},
                      {"type":"input_file","file_url":"https://example.com/a.pdf","filename":"a.pdf"}]}""");
            assertRoundTrip("""
                    {"type":"message","role":"assistant","content":[
                      {"type":"output_text","text":"See [1].","annotations":[
                        {"type":"url_citation","url":"https://qwen.ai","title":"Qwen","start_index":4,"end_index":7},
                        {"type":"file_citation","file_id":"f","index":2}],"logprobs":[]},
                      {"type":"refusal","refusal":"No."}]}""");
            assertRoundTrip("""
                    {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Plan."}],
                     "content":[{"type":"reasoning_text","text":"Long thought."}],"encrypted_content":"gAAA"}""");
            assertRoundTrip("""
                    {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather",
                     "arguments":"{\\"city\\":\\"東京\\"}","status":"completed"}""");
            assertRoundTrip("""
                    {"type":"function_call_output","call_id":"call_1","output":"{\\"temp\\":21}"}""");
            assertRoundTrip("""
                    {"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search",
                     "query":"Qwen","sources":[{"type":"url","url":"https://qwen.ai","title":"Qwen"}]}}""");
            assertRoundTrip("""
                    {"type":"web_extractor_call","status":"completed","goal":"main facts","urls":["https://a.b/"],
                     "output":"Facts."}""");
            assertRoundTrip("""
                    {"type":"code_interpreter_call","id":"ci_1","status":"completed","code":"print(1)",
                     "container_id":"c1","outputs":[{"type":"logs","logs":"1\\n"},{"type":"image",
                     "url":"data:image/png;base64,AA=="},{"type":"files","files":[{"name":"a.csv"}]}]}""");
        }

        @Test
        void aNullLogprobsOnOutputTextIsLeftOutAsTheResponsesApiHasAnArrayThereOrNothing() {
            Item read = KaiwaJson.readItem(tree("""
                    {"type":"message","role":"assistant","content":[{"type":"output_text","text":"hi",
                     "annotations":[],"logprobs":null}]}"""), "input[0]");

            assertThat(KaiwaJson.toJson(read)).doesNotContain("logprobs").contains("\"text\":\"hi\"");
        }

        @Test
        void mapsEachTypeToItsRecord() {
            List<Item> items = KaiwaJson.readItems(tree("""
                    [{"role":"user","content":"hi"},
                     {"type":"reasoning","summary":[]},
                     {"type":"function_call","call_id":"c","name":"n","arguments":"{}"},
                     {"type":"function_call_output","call_id":"c","output":"ok"},
                     {"type":"web_search_call"},
                     {"type":"web_extractor_call"},
                     {"type":"code_interpreter_call"},
                     {"type":"mcp_call","server_label":"x"}]"""), "input");

            assertThat(items).hasExactlyElementsOfTypes(MessageItem.class, ReasoningItem.class,
                    FunctionCallItem.class, FunctionCallOutputItem.class, WebSearchCallItem.class,
                    WebExtractorCallItem.class, CodeInterpreterCallItem.class, UnknownItem.class);
        }

        @Test
        void readsStringContentAsTheRolesTextPart() {
            var user = (MessageItem) KaiwaJson.readItem("{\"role\":\"user\",\"content\":\"こんにちは\"}");
            var assistant = (MessageItem) KaiwaJson.readItem("{\"role\":\"assistant\",\"content\":\"はい\"}");

            assertThat(user.content()).containsExactly(new InputText("こんにちは"));
            assertThat(assistant.content()).containsExactly(new OutputText("はい"));
            assertThat(KaiwaJson.toTree(user)).isEqualTo(
                    tree("{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"こんにちは\"}]}"));
        }

        @Test
        void writesUsageWithDetailsAndToolCounts() {
            var usage = new Usage(10, 5, 15, 3, 2, Map.of("web_search", 2L));

            assertThat(tree(KaiwaJson.toJson(usage))).isEqualTo(tree("""
                    {"input_tokens":10,"input_tokens_details":{"cached_tokens":3},"output_tokens":5,
                     "output_tokens_details":{"reasoning_tokens":2},"total_tokens":15,
                     "x_tools":{"web_search":{"count":2}}}"""));
            assertThat(KaiwaJson.readUsage(tree(KaiwaJson.toJson(usage)), "usage")).isEqualTo(usage);
        }

        @Test
        void computesTheTotalWhenTheProviderLeavesItOut() {
            assertThat(KaiwaJson.readUsage(tree("{\"input_tokens\":7,\"output_tokens\":3}"), "")).isEqualTo(
                    Usage.of(7, 3));
        }

        @Test
        void registersWithAnApplicationsObjectMapper() throws Exception {
            var mapper = new ObjectMapper().registerModule(KaiwaJson.module());
            Item item = MessageItem.assistant("done");

            String json = mapper.writeValueAsString(item);
            Item back = mapper.readValue(json, Item.class);
            ContentPart part = mapper.readValue("{\"type\":\"input_text\",\"text\":\"x\"}", ContentPart.class);
            Usage usage = mapper.readValue(mapper.writeValueAsString(Usage.of(1, 2)), Usage.class);

            assertThat(back).isEqualTo(item);
            assertThat(part).isEqualTo(new InputText("x"));
            assertThat(usage).isEqualTo(Usage.of(1, 2));
            assertThat(mapper.writeValueAsString(List.of(item))).isEqualTo("[" + json + "]");
        }
    }

    @Nested
    class KeepsWhatItDoesNotKnow {
        @Test
        void anUnknownItemTypeIsWrittenBackUnchanged() {
            String json = "{\"type\":\"mcp_list_tools\",\"id\":\"mcpl_1\",\"tools\":[{\"name\":\"x\",\"n\":null}]}";

            Item item = KaiwaJson.readItem(json);

            assertThat(item).isInstanceOf(UnknownItem.class);
            assertThat(item.type()).isEqualTo("mcp_list_tools");
            assertThat(item.id()).isEqualTo("mcpl_1");
            assertThat(KaiwaJson.toTree(item)).isEqualTo(tree(json));
        }

        @Test
        void anUntypedObjectWithoutARoleIsKept() {
            String json = "{\"something\":1}";

            assertThat(KaiwaJson.readItem(json)).isEqualTo(new UnknownItem(null, (ObjectNode) tree(json)));
        }

        @Test
        void unknownFieldsOfKnownItemsSurvive() {
            String json = "{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"n\",\"arguments\":\"{}\","
                    + "\"x_provider\":{\"trace\":[1,2]},\"flag\":null}";

            var call = (FunctionCallItem) KaiwaJson.readItem(json);

            assertThat(call.extra()).containsOnlyKeys("x_provider", "flag");
            assertThat(KaiwaJson.toTree(call)).isEqualTo(tree(json));
        }

        @Test
        void anUnknownRoleOrContentOrAnnotationIsKept() {
            assertThat(KaiwaJson.readItem("{\"type\":\"message\",\"role\":\"tool\",\"content\":\"x\"}"))
                    .isInstanceOf(UnknownItem.class);
            var message = (MessageItem) KaiwaJson.readItem("""
                    {"type":"message","role":"assistant","content":[{"type":"output_audio","data":"AA=="},
                     {"image":"https://dashscope.example/cat.png"},
                     {"type":"output_text","text":"t","annotations":[{"type":"container_file_citation"}]}]}""");
            assertThat(message.content().get(0)).isEqualTo(
                    new UnknownContent("output_audio",
                            (ObjectNode) tree("{\"type\":\"output_audio\",\"data\":\"AA==\"}")));
            assertThat(message.content().get(1)).isInstanceOf(UnknownContent.class);
            assertThat(((OutputText) message.content().get(2)).annotations().get(0))
                    .isInstanceOf(UnknownAnnotation.class);
        }

        @Test
        void structuredFunctionOutputAndOddReasoningPartsAreKeptWhole() {
            String output = "{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":[{\"type\":\"input_text\","
                    + "\"text\":\"x\"}]}";
            String reasoning = "{\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\",\"text\":\"a\","
                    + "\"lang\":\"en\"}]}";

            assertThat(KaiwaJson.readItem(output)).isInstanceOf(UnknownItem.class);
            assertThat(KaiwaJson.toTree(KaiwaJson.readItem(output))).isEqualTo(tree(output));
            assertThat(KaiwaJson.readItem(reasoning)).isInstanceOf(UnknownItem.class);
            assertThat(KaiwaJson.toTree(KaiwaJson.readItem(reasoning))).isEqualTo(tree(reasoning));
        }

        @Test
        void unknownItemsAreImmutableCopies() {
            var raw = (ObjectNode) tree("{\"type\":\"x\",\"v\":1}");
            var item = new UnknownItem("x", raw);

            raw.put("v", 2);
            item.raw().put("v", 3);

            assertThat(item.raw().get("v").asInt()).isEqualTo(1);
        }
    }

    @Nested
    class RejectsBadInputNamingTheField {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                missing role               | {"type":"message","content":"x"}                              | role
                missing content            | {"type":"message","role":"user"}                              | content
                content not array/string   | {"type":"message","role":"user","content":5}                  | content
                text is a number           | {"role":"user","content":[{"type":"input_text","text":5}]}   | content[0].text
                part is not an object      | {"role":"user","content":["hi"]}                              | content[0]
                image without url or file  | {"role":"user","content":[{"type":"input_image"}]}            | content[0].image_url
                audio without data         | {"role":"user","content":[{"type":"input_audio","input_audio":{"format":"wav"}}]} | content[0].input_audio.data
                file without source        | {"role":"user","content":[{"type":"input_file","filename":"a"}]} | content[0].file_id
                citation without url       | {"role":"assistant","content":[{"type":"output_text","text":"t","annotations":[{"type":"url_citation"}]}]} | content[0].annotations[0].url
                citation index not int     | {"role":"assistant","content":[{"type":"output_text","text":"t","annotations":[{"type":"url_citation","url":"u","start_index":"3"}]}]} | content[0].annotations[0].start_index
                call without call_id       | {"type":"function_call","name":"n","arguments":"{}"}         | call_id
                call arguments as object   | {"type":"function_call","call_id":"c","name":"n","arguments":{}} | arguments
                output without output      | {"type":"function_call_output","call_id":"c"}                | output
                type is a number           | {"type":7}                                                   | type
                search sources not array   | {"type":"web_search_call","action":{"sources":{}}}           | action.sources
                extractor url not string   | {"type":"web_extractor_call","urls":[1]}                     | urls[0]
                code outputs not objects   | {"type":"code_interpreter_call","outputs":[1]}               | outputs[0]
                """)
        void itemFieldErrorsNameTheirPath(String what, String json, String field) {
            var e = catchThrowableOfType(InvalidPayloadException.class,
                    () -> KaiwaJson.readItem(tree(json), "output[3]"));

            assertThat(e).as(what).isNotNull();
            assertThat(e.path()).isEqualTo("output[3]." + field);
            assertThat(e.param()).isEqualTo("output[3]." + field);
            assertThat(e.getMessage()).startsWith("output[3]." + field + ": ");
        }

        @Test
        void anItemThatIsNotAnObjectIsRejected() {
            assertThatThrownBy(() -> KaiwaJson.readItems(tree("[{\"role\":\"user\",\"content\":\"a\"}, 3]"), "input"))
                    .isInstanceOf(InvalidPayloadException.class).hasMessage("input[1]: expected an object, got number");
            assertThatThrownBy(() -> KaiwaJson.readItem(null, "item")).isInstanceOf(InvalidPayloadException.class)
                    .hasMessage("item: expected an object, got nothing");
            assertThatThrownBy(() -> KaiwaJson.readItems(tree("{}"), "input"))
                    .isInstanceOf(InvalidPayloadException.class).hasMessage("input: expected an array, got object");
        }

        @Test
        void malformedJsonIsATypedError() {
            assertThatThrownBy(() -> KaiwaJson.readItem("{\"type\":\"message\",")).isInstanceOf(
                    InvalidPayloadException.class).hasMessageStartingWith("malformed JSON");
            assertThatThrownBy(() -> KaiwaJson.readItem("")).isInstanceOf(InvalidPayloadException.class);
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', textBlock = """
                negative count    | {"input_tokens":-1}                                  | usage.input_tokens
                fraction          | {"output_tokens":1.5}                                | usage.output_tokens
                string count      | {"total_tokens":"9"}                                 | usage.total_tokens
                details not object| {"input_tokens_details":3}                           | usage.input_tokens_details
                tool count string | {"x_tools":{"web_search":{"count":"1"}}}             | usage.x_tools.web_search.count
                tool not object   | {"x_tools":{"web_search":1}}                         | usage.x_tools.web_search
                """)
        void usageErrorsNameTheirPath(String what, String json, String field) {
            var e = catchThrowableOfType(InvalidPayloadException.class, () -> KaiwaJson.readUsage(tree(json), "usage"));

            assertThat(e).as(what).isNotNull();
            assertThat(e.path()).isEqualTo(field);
        }

        @Test
        void randomlyCorruptedSeedItemsNeverFailWithAnythingButATypedError() {
            // Property: whatever is broken in a valid document, reading gives a model value or an
            // InvalidPayloadException, never a NullPointerException, ClassCastException or the like.
            JsonNode seed = SeedGoldenRoundTripTest.read("responses/09-builtin-tools.response.json").get("output");
            var random = new Random(42);
            JsonNode[] replacements = {JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.numberNode(-3),
                    JsonNodeFactory.instance.textNode("x"), JsonNodeFactory.instance.arrayNode(),
                    JsonNodeFactory.instance.objectNode(), JsonNodeFactory.instance.booleanNode(true)};
            int typed = 0;
            for (int round = 0; round < 2_000; round++) {
                ArrayNode copy = (ArrayNode) seed.deepCopy();
                corrupt(copy, random, replacements[random.nextInt(replacements.length)]);
                try {
                    List<Item> items = KaiwaJson.readItems(copy, "output");
                    assertThat(KaiwaJson.readItems(tree(KaiwaJson.toJson(items)), "output")).isEqualTo(items);
                } catch (InvalidPayloadException expected) {
                    typed++;
                    assertThat(expected.path()).startsWith("output");
                }
            }
            assertThat(typed).as("corruptions reported as typed errors").isGreaterThan(100);
        }

        private void corrupt(JsonNode node, Random random, JsonNode replacement) {
            JsonNode current = node;
            while (true) {
                if (current instanceof ObjectNode o && o.size() > 0) {
                    var names = new java.util.ArrayList<String>();
                    o.fieldNames().forEachRemaining(names::add);
                    String name = names.get(random.nextInt(names.size()));
                    if (random.nextInt(3) == 0 || !o.get(name).isContainerNode()) {
                        if (random.nextBoolean()) {
                            o.set(name, replacement);
                        } else {
                            o.remove(name);
                        }
                        return;
                    }
                    current = o.get(name);
                } else if (current instanceof ArrayNode a && a.size() > 0) {
                    int i = random.nextInt(a.size());
                    if (random.nextInt(3) == 0 || !a.get(i).isContainerNode()) {
                        a.set(i, replacement);
                        return;
                    }
                    current = a.get(i);
                } else {
                    return;
                }
            }
        }
    }

    @Nested
    class ValidatesRecordsEagerly {
        @Test
        void requiredComponentsAreChecked() {
            assertThatThrownBy(() -> new FunctionCallItem(null, "n", "{}")).isInstanceOf(NullPointerException.class)
                    .hasMessage("callId");
            assertThatThrownBy(() -> new MessageItem(null, null, List.of(), null, null))
                    .hasMessage("role");
            assertThatThrownBy(() -> new InputImage(null, null, null, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new InputFile(null, null, null, "a", null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Usage(-1, 0, 0, 0, 0, null)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void listsAreCopiedAndUnmodifiable() {
            var parts = new java.util.ArrayList<ContentPart>(List.of(new InputText("a")));
            var message = new MessageItem(null, Role.USER, parts, null, null);

            parts.add(new Refusal("b", null));

            assertThat(message.content()).hasSize(1);
            assertThatThrownBy(() -> message.content().add(new InputText("c")))
                    .isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void factoriesBuildTheUsualShapes() {
            assertThat(InputImage.ofBytes("image/png", new byte[]{1, 2}).imageUrl())
                    .isEqualTo("data:image/png;base64,AQI=");
            assertThat(InputImage.ofBytes("image/png", new byte[]{1}).isInline()).isTrue();
            assertThat(MessageItem.user(new InputText("a"), new InputAudio("AA==", "wav")).text()).isEqualTo("a");
            assertThat(MessageItem.system("s").role()).isEqualTo(Role.SYSTEM);
            assertThat(MessageItem.developer("d").role()).isEqualTo(Role.DEVELOPER);
            assertThat(new UrlCitation("u", null, null, null, null).type()).isEqualTo("url_citation");
            assertThat(ReasoningItem.ofText("r").text()).isEqualTo("r");
        }
    }

    @Test
    void writesToAGeneratorTheCallerOwns() throws Exception {
        var out = new java.io.StringWriter();
        try (var g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("input");
            KaiwaJson.writeItems(g, List.of(MessageItem.user("q")));
            g.writeFieldName("usage");
            KaiwaJson.writeUsage(g, Usage.ZERO);
            g.writeEndObject();
        }
        assertThat(tree(out.toString()).get("input").get(0).get("role").asText()).isEqualTo("user");
    }
}
