package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.kaiwa.runtime.ResponsesApiTest.JSON;
import static io.kaiwa.runtime.ResponsesApiTest.acme;
import static io.kaiwa.runtime.ResponsesApiTest.create;
import static io.kaiwa.runtime.ResponsesApiTest.sent;
import static io.kaiwa.runtime.ResponsesApiTest.tree;
import static io.kaiwa.runtime.StreamingApiTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The built-in tools through the REST surface: run by Kaiwa for a Chat Completions provider (a WireMock model
 * scripted to call them, a WireMock SearXNG, a page served on loopback, Python in the real sandbox), passed
 * through to a Responses provider that hosts them.
 */
@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class BuiltInToolsApiTest {
    static final String CHAT = "/chat/v1/chat/completions";
    static final String ALL_TOOLS = "[{\"type\":\"web_search\"},{\"type\":\"web_extractor\"},"
            + "{\"type\":\"code_interpreter\"}]";

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    /** A chat answer calling functions: {@code name, arguments} pairs. */
    static String toolCalls(String... nameThenArguments) {
        ArrayNode calls = JSON.createArrayNode();
        for (int i = 0; i < nameThenArguments.length; i += 2) {
            ObjectNode call = calls.addObject().put("id", "call_" + nameThenArguments[i] + "_" + i).put("type",
                    "function");
            call.putObject("function").put("name", nameThenArguments[i]).put("arguments", nameThenArguments[i + 1]);
        }
        ObjectNode answer = JSON.createObjectNode().put("id", "chatcmpl-t").put("object", "chat.completion")
                .put("model", "gpt-chat");
        ObjectNode choice = answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "tool_calls");
        choice.putObject("message").put("role", "assistant").putNull("content").set("tool_calls", calls);
        answer.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
        return answer.toString();
    }

    /** Stubs the chat model's answers, one per call, in order. */
    static void script(String... answers) {
        String state = "Started";
        for (int i = 0; i < answers.length; i++) {
            String next = "call " + (i + 1);
            TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).inScenario("tools").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(answers[i]))
                    .willSetStateTo(next));
            state = next;
        }
    }

    static void searxng() {
        TestUpstreams.upstream.stubFor(get(urlPathEqualTo("/searxng/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(
                        """
                                {"query":"kaiwa java","number_of_results":0,
                                 "results":[{"url":"https://example.org/kaiwa","title":"Kaiwa","content":"Conversations for Java.",
                                             "engine":"duckduckgo","engines":["duckduckgo"],"positions":[1],"score":1.0,
                                             "category":"general"},
                                            {"url":"https://example.org/qwen","title":"Qwen","content":"A model family.",
                                             "engine":"brave","engines":["brave"],"positions":[2],"score":0.5,
                                             "category":"general"}],
                                 "answers":[],"corrections":[],"infoboxes":[],"suggestions":[],"unresponsive_engines":[]}""")));
    }

    static void page() {
        TestUpstreams.upstream.stubFor(get(urlEqualTo("/pages/kaiwa.html")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/html; charset=utf-8").withBody("""
                        <html><head><title>Kaiwa</title><script>track()</script></head><body>
                        <nav><a href="/">Home</a> <a href="/about">About</a></nav>
                        <article><h1>Kaiwa</h1>
                        <p>Kaiwa runs multi-turn conversations against Qwen on Model Studio, in Java, with durable
                        previous_response_id chains that never expire.</p>
                        <p>Its agent runtime runs the built-in tools web_search, web_extractor and code_interpreter on
                        every provider.</p></article>
                        <footer>Copyright nobody</footer></body></html>""")));
    }

    static String pageUrl() {
        return "http://127.0.0.1:" + TestUpstreams.upstream.port() + "/pages/kaiwa.html";
    }

    static String args(String... fieldThenValue) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < fieldThenValue.length; i += 2) {
            o.put(fieldThenValue[i], fieldThenValue[i + 1]);
        }
        return o.toString();
    }

    /**
     * Where no sandbox can start (no bubblewrap, no user namespaces), code_interpreter is refused, not run. Asked
     * here as the service asks at its start (same machine, same default settings), so that this runs against the
     * packaged service too.
     */

    @Test
    void aChatModelUsesAllThreeToolsRunByKaiwaAndAnswers() {
        TestExtras.assumeSandbox();
        searxng();
        page();
        script(toolCalls("web_search", args("query", "kaiwa java")),
                toolCalls("web_extractor", "{\"urls\":[\"" + pageUrl() + "\"],\"goal\":\"what Kaiwa runs\"}",
                        "code_interpreter", args("code", "print(6 * 7)")),
                ResponsesApiTest.chatAnswer("Kaiwa runs tools everywhere; 6*7=42."));

        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"Research Kaiwa\",\"tools\":" + ALL_TOOLS
                + "}");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        JsonNode body = tree(r.asString());
        assertThat(body.get("status").asText()).isEqualTo("completed");
        JsonNode output = body.get("output");
        assertThat(output).extracting(i -> i.get("type").asText()).containsExactly("web_search_call",
                "web_extractor_call", "code_interpreter_call", "message");
        JsonNode search = output.get(0);
        assertThat(search.get("status").asText()).isEqualTo("completed");
        assertThat(search.at("/action/query").asText()).isEqualTo("kaiwa java");
        assertThat(search.at("/action/sources")).extracting(s -> s.get("url").asText())
                .containsExactly("https://example.org/kaiwa", "https://example.org/qwen");
        JsonNode extractor = output.get(1);
        assertThat(extractor.get("goal").asText()).isEqualTo("what Kaiwa runs");
        assertThat(extractor.get("urls").get(0).asText()).isEqualTo(pageUrl());
        assertThat(extractor.get("output").asText()).contains("previous_response_id chains")
                .doesNotContain("track()").doesNotContain("Copyright");
        JsonNode code = output.get(2);
        assertThat(code.get("code").asText()).isEqualTo("print(6 * 7)");
        assertThat(code.at("/outputs/0/type").asText()).isEqualTo("logs");
        assertThat(code.at("/outputs/0/logs").asText()).contains("42");
        assertThat(output.get(3).at("/content/0/text").asText()).isEqualTo("Kaiwa runs tools everywhere; 6*7=42.");
        assertThat(output).allSatisfy(i -> assertThat(i.get("id").asText()).isNotEmpty());
        assertThat(body.at("/usage/input_tokens").asInt()).isEqualTo(30);
        assertThat(body.at("/usage/x_tools")).isEqualTo(tree("""
                {"code_interpreter":{"count":1},"web_extractor":{"count":1},"web_search":{"count":1}}"""));

        List<JsonNode> sent = sent(CHAT);
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).get("tools")).extracting(t -> t.at("/function/name").asText())
                .containsExactly("web_search", "web_extractor", "code_interpreter");
        assertThat(sent.get(0).at("/tools/0/function/parameters/required/0").asText()).isEqualTo("query");
        JsonNode second = sent.get(1).get("messages");
        assertThat(second.get(1).at("/tool_calls/0/function/name").asText()).isEqualTo("web_search");
        assertThat(second.get(2).get("role").asText()).isEqualTo("tool");
        assertThat(second.get(2).get("tool_call_id").asText()).isEqualTo("call_web_search_0");
        assertThat(second.get(2).get("content").asText()).contains("https://example.org/kaiwa")
                .contains("Conversations for Java.");
        JsonNode third = sent.get(2).get("messages");
        assertThat(third).hasSize(6);
        assertThat(third.get(4).get("content").asText()).contains("built-in tools web_search");
        assertThat(third.get(5).get("content").asText()).contains("42");
        TestUpstreams.upstream.verify(1, getRequestedFor(urlPathEqualTo("/searxng/search")));
    }

    @Test
    void aLaterResponseContinuesFromWhatTheModelSawOfTheTools() {
        searxng();
        script(toolCalls("web_search", args("query", "kaiwa java")), ResponsesApiTest.chatAnswer("Found it."),
                ResponsesApiTest.chatAnswer("You asked about Kaiwa."));
        String first = ResponsesApiTest.createOk("{\"model\":\"gpt-chat\",\"input\":\"Find Kaiwa\",\"tools\":"
                + "[{\"type\":\"web_search\"}]}");

        Response second = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"What did I ask?\","
                + "\"previous_response_id\":\"" + first + "\"}");

        assertThat(second.statusCode()).isEqualTo(200);
        JsonNode messages = sent(CHAT).get(2).get("messages");
        assertThat(messages).extracting(m -> m.get("role").asText()).containsExactly("user", "assistant", "tool",
                "assistant", "user");
        assertThat(messages.get(1).at("/tool_calls/0/function/arguments").asText()).contains("kaiwa java");
        assertThat(messages.get(2).get("content").asText()).contains("example.org/kaiwa");
        JsonNode stored = tree(acme().get("/v1/responses/" + first).asString());
        assertThat(stored.get("output")).extracting(i -> i.get("type").asText()).containsExactly("web_search_call",
                "message");
    }

    @Test
    void argumentsTheModelGetsWrongGoBackToItAsAToolError() {
        // code_interpreter is refused outright where no sandbox can run, before the model is asked.
        TestExtras.assumeSandbox();
        script(toolCalls("code_interpreter", "{\"source\":42}"), ResponsesApiTest.chatAnswer("Sorry."));

        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"run\",\"tools\":[{\"type\":"
                + "\"code_interpreter\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("status")).isEqualTo("completed");
        assertThat(r.jsonPath().getString("output[0].status")).isEqualTo("failed");
        String toolMessage = sent(CHAT).get(1).get("messages").get(2).get("content").asText();
        assertThat(toolMessage).startsWith("error:").contains("code");
    }

    @Test
    void maxToolCallsLeavesFurtherCallsUnrunAndLetsTheModelAnswer() {
        searxng();
        script(toolCalls("web_search", args("query", "a"), "web_search", args("query", "b")),
                ResponsesApiTest.chatAnswer("Enough."));

        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"two searches\",\"max_tool_calls\":1,"
                + "\"tools\":[{\"type\":\"web_search\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getList("output.status")).containsExactly("completed", "failed", "completed");
        assertThat(r.jsonPath().getInt("usage.x_tools.web_search.count")).isEqualTo(1);
        JsonNode last = sent(CHAT).get(1);
        assertThat(last.get("tool_choice").asText()).isEqualTo("none");
        assertThat(last.at("/messages/3/content").asText()).contains("not run");
        TestUpstreams.upstream.verify(1, getRequestedFor(urlPathEqualTo("/searxng/search")));
    }

    @Test
    void aForcedBuiltInToolIsForcedOnTheFirstCallOnly() {
        searxng();
        script(toolCalls("web_search", args("query", "a")), ResponsesApiTest.chatAnswer("Done."));

        create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"search\",\"tool_choice\":{\"type\":\"web_search\"},"
                + "\"tools\":[{\"type\":\"web_search\"}]}");

        List<JsonNode> sent = sent(CHAT);
        assertThat(sent.get(0).get("tool_choice")).isEqualTo(tree("""
                {"type":"function","function":{"name":"web_search"}}"""));
        assertThat(sent.get(1).has("tool_choice")).isFalse();
    }

    @Test
    void theClientsOwnFunctionsReturnToItBesideTheToolsKaiwaRan() {
        searxng();
        script(toolCalls("web_search", args("query", "weather tokyo"), "get_weather", args("city", "Tokyo")),
                ResponsesApiTest.chatAnswer("Sunny."));
        Response first = create(acme(),
                """
                        {"model":"gpt-chat","input":"weather?","tools":[{"type":"web_search"},
                         {"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}""");

        assertThat(first.jsonPath().getList("output.type")).containsExactly("web_search_call", "function_call");
        assertThat(first.jsonPath().getString("output[1].name")).isEqualTo("get_weather");
        String callId = first.jsonPath().getString("output[1].call_id");

        Response second = create(acme(), "{\"model\":\"gpt-chat\",\"previous_response_id\":\""
                + first.jsonPath().getString("id") + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\""
                + callId + "\",\"output\":\"sunny\"}],\"tools\":[{\"type\":\"web_search\"}]}");

        assertThat(second.jsonPath().getString("output[0].content[0].text")).isEqualTo("Sunny.");
        JsonNode messages = sent(CHAT).get(1).get("messages");
        assertThat(messages).extracting(m -> m.get("role").asText()).containsExactly("user", "assistant", "tool",
                "tool");
        assertThat(messages.get(2).get("tool_call_id").asText()).isEqualTo("call_web_search_0");
        assertThat(messages.get(3).get("tool_call_id").asText()).isEqualTo(callId);
    }

    @Test
    void aFunctionNamedLikeABuiltInToolKaiwaRunsIsRefused() {
        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"},"
                + "{\"type\":\"function\",\"name\":\"web_search\"}]}");

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.jsonPath().getString("error.param")).isEqualTo("tools[1].name");
    }

    @Test
    void aStreamedToolLoopShowsTheToolsEventsInOrder() {
        searxng();
        String toolCallStream = StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
                + "[{\"index\":0,\"id\":\"call_s\",\"type\":\"function\",\"function\":{\"name\":\"web_search\","
                + "\"arguments\":\"\"}}]}", null)
                + StreamingApiTest.chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
                        + "\"{\\\"query\\\":\\\"kaiwa\\\"}\"}}]}", null)
                + StreamingApiTest.chunk("{}", "tool_calls") + "data: [DONE]\n\n";
        String answerStream = StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":\"Found\"}", null)
                + StreamingApiTest.chunk("{}", "stop") + "data: [DONE]\n\n";
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).inScenario("s").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody(toolCallStream))
                .willSetStateTo("answer"));
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).inScenario("s").whenScenarioStateIs("answer")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                        .withBody(answerStream)));

        Response r = acme().body("{\"model\":\"gpt-chat\",\"input\":\"find\",\"stream\":true,\"tools\":"
                + "[{\"type\":\"web_search\"}]}").post("/v1/responses");

        List<JsonNode> events = events(r.asString());
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("response.created",
                "response.in_progress", "response.output_item.added", "response.web_search_call.in_progress",
                "response.web_search_call.searching", "response.web_search_call.completed",
                "response.output_item.done", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(events.get(2).at("/item/type").asText()).isEqualTo("web_search_call");
        assertThat(events.get(6).at("/item/action/sources/0/url").asText()).isEqualTo("https://example.org/kaiwa");
        assertThat(events.get(6).at("/item/id").asText()).isEqualTo(events.get(2).at("/item/id").asText());
        assertThat(events.get(7).get("output_index").asInt()).isEqualTo(1);
        JsonNode done = events.get(events.size() - 1).get("response");
        assertThat(done.get("output")).extracting(i -> i.get("type").asText()).containsExactly("web_search_call",
                "message");
        assertThat(done.at("/output/0/id").asText()).isEqualTo(events.get(2).at("/item/id").asText());
        assertThat(tree(acme().get("/v1/responses/" + done.get("id").asText()).asString())).isEqualTo(done);
    }

    /** A streamed chat answer calling functions: {@code name, arguments} pairs, arguments split in two chunks. */
    static String streamedToolCalls(String... nameThenArguments) {
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < nameThenArguments.length; i += 2) {
            int index = i / 2;
            String args = nameThenArguments[i + 1];
            String head = args.substring(0, args.length() / 2);
            String tail = args.substring(args.length() / 2);
            sse.append(StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":"
                    + index + ",\"id\":\"call_" + index + "\",\"type\":\"function\",\"function\":{\"name\":\""
                    + nameThenArguments[i] + "\",\"arguments\":" + JSON.valueToTree(head) + "}}]}", null));
            sse.append(StreamingApiTest.chunk("{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":"
                    + JSON.valueToTree(tail) + "}}]}", null));
        }
        return sse + StreamingApiTest.chunk("{}", "tool_calls") + usageChunk() + "data: [DONE]\n\n";
    }

    static String usageChunk() {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}\n\n";
    }

    static void scriptStreams(String... streams) {
        String state = "Started";
        for (int i = 0; i < streams.length; i++) {
            String next = "stream " + (i + 1);
            TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).inScenario("streams").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                            .withBody(streams[i]))
                    .willSetStateTo(next));
            state = next;
        }
    }

    static final String PNG_CODE = """
            import struct, zlib
            def chunk(kind, data):
                body = kind + data
                return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body))
            raw = b'\\x00\\xff\\x00\\x00'
            png = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) \\
                + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
            open('dot.png', 'wb').write(png)
            print('drew', len(png), 'bytes')
            """;

    @Test
    void aStreamedTaskUsingAllThreeToolsStreamsEachToolsEventsAndStoresTheSameResponse() {
        TestExtras.assumeSandbox();
        searxng();
        page();
        scriptStreams(streamedToolCalls("web_search", args("query", "kaiwa java")),
                streamedToolCalls("web_extractor", "{\"urls\":[\"" + pageUrl() + "\"],\"goal\":\"tools\"}",
                        "code_interpreter", args("code", PNG_CODE)),
                StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":\"All done\"}", null)
                        + StreamingApiTest.chunk("{}", "stop") + usageChunk() + "data: [DONE]\n\n");

        Response r = acme().body("{\"model\":\"gpt-chat\",\"input\":\"research\",\"stream\":true,\"tools\":"
                + ALL_TOOLS + "}").post("/v1/responses");

        List<JsonNode> events = events(r.asString());
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("response.created",
                "response.in_progress",
                "response.output_item.added", "response.web_search_call.in_progress",
                "response.web_search_call.searching", "response.web_search_call.completed",
                "response.output_item.done",
                "response.output_item.added",
                "response.output_item.added", "response.code_interpreter_call.in_progress",
                "response.code_interpreter_call.interpreting",
                "response.output_item.done",
                "response.code_interpreter_call.completed", "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed");
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i).get("sequence_number").asInt()).isEqualTo(i);
        }
        assertThat(events).filteredOn(e -> e.get("type").asText().equals("response.output_item.done"))
                .extracting(e -> e.get("output_index").asInt()).containsExactly(0, 1, 2, 3);
        JsonNode done = events.get(events.size() - 1).get("response");
        JsonNode output = done.get("output");
        assertThat(output).extracting(i -> i.get("type").asText()).containsExactly("web_search_call",
                "web_extractor_call", "code_interpreter_call", "message");
        assertThat(output.get(1).get("output").asText()).contains("built-in tools");
        JsonNode code = output.get(2);
        assertThat(code.get("status").asText()).isEqualTo("completed");
        assertThat(code.at("/outputs/0/logs").asText()).startsWith("drew");
        assertThat(code.at("/outputs/1/type").asText()).isEqualTo("image");
        assertThat(code.at("/outputs/1/url").asText()).startsWith("data:image/png;base64,iVBORw0KGgo");
        assertThat(done.at("/usage/total_tokens").asInt()).isEqualTo(45);
        assertThat(done.at("/usage/x_tools/code_interpreter/count").asInt()).isEqualTo(1);
        assertThat(tree(acme().get("/v1/responses/" + done.get("id").asText()).asString())).isEqualTo(done);
        String toolMessage = sent(CHAT).get(2).get("messages").get(5).get("content").asText();
        assertThat(toolMessage).contains("drew").contains("[file written: dot.png (image/png");
    }

    @Test
    void aBackgroundAgentTaskRunsTheSameLoopAndItsProgressIsStoredAsEvents() {
        searxng();
        scriptStreams(streamedToolCalls("web_search", args("query", "kaiwa")),
                StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":\"Background answer\"}", null)
                        + StreamingApiTest.chunk("{}", "stop") + "data: [DONE]\n\n");

        Response queued = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"find\",\"background\":true,"
                + "\"tools\":[{\"type\":\"web_search\"}]}");
        String id = queued.jsonPath().getString("id");
        JsonNode stored = BackgroundApiTest.awaitStatus(id, "completed");

        assertThat(stored.get("output")).extracting(i -> i.get("type").asText()).containsExactly("web_search_call",
                "message");
        assertThat(stored.at("/output/0/action/sources/0/url").asText()).isEqualTo("https://example.org/kaiwa");
        List<JsonNode> replay = events(acme().get("/v1/responses/" + id + "?stream=true").asString());
        assertThat(replay).extracting(e -> e.get("type").asText()).contains("response.web_search_call.searching",
                "response.web_search_call.completed", "response.completed");
    }

    @Test
    void aToolThatTakesTooLongIsStoppedAndTheModelToldSo() {
        TestUpstreams.upstream.stubFor(get(urlPathEqualTo("/searxng/search")).willReturn(aResponse()
                .withStatus(200).withFixedDelay(5_000).withHeader("Content-Type", "application/json")
                .withBody("{\"results\":[]}")));
        script(toolCalls("web_search", args("query", "slow")), ResponsesApiTest.chatAnswer("Gave up."));

        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"tools\":[{\"type\":"
                + "\"web_search\"}]}");

        assertThat(r.jsonPath().getString("status")).isEqualTo("completed");
        assertThat(r.jsonPath().getString("output[0].status")).isEqualTo("failed");
        assertThat(sent(CHAT).get(1).at("/messages/2/content").asText()).contains("longer than 3 s");
    }

    @Test
    void aBackgroundTaskRunningCodeFinishesAndIsStored() {
        TestExtras.assumeSandbox();
        scriptStreams(streamedToolCalls("code_interpreter", args("code", "print(sum(range(10)))")),
                StreamingApiTest.chunk("{\"role\":\"assistant\",\"content\":\"45\"}", null)
                        + StreamingApiTest.chunk("{}", "stop") + "data: [DONE]\n\n");

        String id = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"sum\",\"background\":true,\"tools\":"
                + "[{\"type\":\"code_interpreter\"}]}").jsonPath().getString("id");
        JsonNode stored = BackgroundApiTest.awaitStatus(id, "completed", "failed");

        assertThat(stored.get("status").asText()).isEqualTo("completed");
        assertThat(stored.at("/output/0/outputs/0/logs").asText()).isEqualTo("45\n");
        assertThat(stored.at("/output/1/content/0/text").asText()).isEqualTo("45");
    }

    @Test
    void sequentialToolCallsAllRunWhenParallelCallsAreOff() {
        searxng();
        script(toolCalls("web_search", args("query", "a"), "web_search", args("query", "b")),
                ResponsesApiTest.chatAnswer("Both."));

        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"parallel_tool_calls\":false,"
                + "\"tools\":[{\"type\":\"web_search\"}]}");

        assertThat(r.jsonPath().getList("output.status")).containsExactly("completed", "completed", "completed");
        assertThat(r.jsonPath().getList("output.action.query")).containsExactly("a", "b");
        assertThat(sent(CHAT).get(0).get("parallel_tool_calls").asBoolean()).isFalse();
        TestUpstreams.upstream.verify(2, getRequestedFor(urlPathEqualTo("/searxng/search")));
    }

    @Test
    void aProviderFailureAfterToolsRanEndsTheResponseFailedKeepingTheToolsItems() {
        searxng();
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).inScenario("fail").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(toolCalls("web_search", args("query", "a"))))
                .willSetStateTo("broken"));
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).inScenario("fail").whenScenarioStateIs("broken")
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                        """
                                {"error":{"message":"Input is too long","type":"invalid_request_error","code":"context_length_exceeded"}}""")));

        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"tools\":[{\"type\":"
                + "\"web_search\"}]}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.jsonPath().getString("status")).isEqualTo("failed");
        assertThat(r.jsonPath().getString("error.code")).isEqualTo("context_length_exceeded");
        assertThat(r.jsonPath().getList("output.type")).containsExactly("web_search_call");
        assertThat(r.jsonPath().getInt("usage.x_tools.web_search.count")).isEqualTo(1);
        JsonNode stored = tree(acme().get("/v1/responses/" + r.jsonPath().getString("id")).asString());
        assertThat(stored.get("status").asText()).isEqualTo("failed");
        assertThat(stored.at("/output/0/type").asText()).isEqualTo("web_search_call");
    }

    @Test
    void aModelThatNeverStopsCallingToolsEndsIncompleteAfterTheLastAllowedCall() {
        searxng();
        TestUpstreams.upstream.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(toolCalls("web_search", args("query",
                        "again")))));

        Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"loop\",\"tools\":[{\"type\":"
                + "\"web_search\"}]}");

        assertThat(r.jsonPath().getString("status")).isEqualTo("incomplete");
        List<JsonNode> sent = sent(CHAT);
        assertThat(sent).hasSize(10);
        assertThat(sent.get(9).get("tool_choice").asText()).isEqualTo("none");
        assertThat(r.jsonPath().getList("output.status")).hasSize(10).last().isEqualTo("failed");
        assertThat(r.jsonPath().getInt("usage.x_tools.web_search.count")).isEqualTo(9);
        TestUpstreams.upstream.verify(9, getRequestedFor(urlPathEqualTo("/searxng/search")));
    }

    @Test
    void aHostedToolsStreamIsPassedOnWithItsToolEventsAndStored() {
        String[] events = {
                """
                        {"type":"response.created","response":{"id":"up_s","object":"response","status":"queued","output":[]}}""",
                """
                        {"type":"response.output_item.added","output_index":0,"item":{"id":"ws_up","type":"web_search_call","status":"in_progress"}}""",
                """
                        {"type":"response.web_search_call.in_progress","output_index":0,"item_id":"ws_up"}""",
                """
                        {"type":"response.web_search_call.searching","output_index":0,"item_id":"ws_up"}""",
                """
                        {"type":"response.web_search_call.completed","output_index":0,"item_id":"ws_up"}""",
                """
                        {"type":"response.output_item.done","output_index":0,"item":{"id":"ws_up","type":"web_search_call","status":"completed","action":{"type":"search","query":"kaiwa","sources":[{"type":"url","url":"https://example.org/k"}]}}}""",
                """
                        {"type":"response.output_item.added","output_index":1,"item":{"id":"msg_up","type":"message","role":"assistant","status":"in_progress","content":[]}}""",
                """
                        {"type":"response.output_text.delta","output_index":1,"item_id":"msg_up","content_index":0,"delta":"Hosted."}""",
                """
                        {"type":"response.output_item.done","output_index":1,"item":{"id":"msg_up","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hosted.","annotations":[]}]}}""",
                """
                        {"type":"response.completed","response":{"id":"up_s","object":"response","created_at":1769084048,"status":"completed","output":[
                          {"id":"ws_up","type":"web_search_call","status":"completed","action":{"type":"search","query":"kaiwa","sources":[{"type":"url","url":"https://example.org/k"}]}},
                          {"id":"msg_up","type":"message","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hosted.","annotations":[]}]}],
                         "usage":{"input_tokens":9,"output_tokens":2,"total_tokens":11,"x_tools":{"web_search":{"count":1}}}}}"""};
        StringBuilder sse = new StringBuilder();
        for (int i = 0; i < events.length; i++) {
            ObjectNode event = (ObjectNode) tree(events[i]);
            event.put("sequence_number", i);
            sse.append("event: ").append(event.get("type").asText()).append("\ndata: ").append(event).append("\n\n");
        }
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/resp/v1/responses")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(sse.toString())));

        Response r = acme().body("{\"model\":\"qwen3-max-2026-01-23\",\"input\":\"search\",\"stream\":true,"
                + "\"tools\":[{\"type\":\"web_search\"}]}").post("/v1/responses");

        List<JsonNode> out = events(r.asString());
        assertThat(out).extracting(e -> e.get("type").asText()).contains("response.web_search_call.in_progress",
                "response.web_search_call.searching", "response.web_search_call.completed");
        JsonNode done = out.get(out.size() - 1).get("response");
        assertThat(done.get("output")).extracting(i -> i.get("type").asText()).containsExactly("web_search_call",
                "message");
        assertThat(done.at("/usage/x_tools/web_search/count").asInt()).isEqualTo(1);
        assertThat(tree(acme().get("/v1/responses/" + done.get("id").asText()).asString())).isEqualTo(done);
        TestUpstreams.upstream.verify(0, getRequestedFor(urlPathEqualTo("/searxng/search")));
    }

    @Test
    void aResponsesProviderHostingTheToolsGetsThemPassedThrough() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/resp/v1/responses")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(
                        """
                                {"id":"up_t","object":"response","created_at":1769084048,"status":"completed",
                                 "model":"qwen3-max-2026-01-23","output":[
                                  {"type":"web_search_call","id":"ws_up","status":"completed",
                                   "action":{"type":"search","query":"kaiwa","sources":[{"type":"url","url":"https://example.org/k"}]}},
                                  {"type":"message","id":"msg_up","role":"assistant","status":"completed",
                                   "content":[{"type":"output_text","text":"Hosted.","annotations":[]}]}],
                                 "usage":{"input_tokens":9,"output_tokens":2,"total_tokens":11,
                                          "input_tokens_details":{"cached_tokens":0},"output_tokens_details":{"reasoning_tokens":0},
                                          "x_tools":{"web_search":{"count":1}}}}""")));

        Response r = create(acme(), "{\"model\":\"qwen3-max-2026-01-23\",\"input\":\"search\",\"tools\":"
                + ALL_TOOLS + "}");

        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(sent("/resp/v1/responses").get(0).get("tools")).isEqualTo(tree(ALL_TOOLS));
        assertThat(r.jsonPath().getList("output.type")).containsExactly("web_search_call", "message");
        assertThat(r.jsonPath().getInt("usage.x_tools.web_search.count")).isEqualTo(1);
        TestUpstreams.upstream.verify(0, getRequestedFor(urlPathEqualTo("/searxng/search")));
    }
}
