package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.ResponseConnection;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.conversations.Conversation;
import com.openai.models.conversations.ConversationCreateParams;
import com.openai.models.conversations.Message;
import com.openai.models.conversations.items.ConversationItem;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseItem;
import com.openai.models.responses.ResponseRetrieveParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponsesClientEvent;
import com.openai.models.responses.inputtokens.InputTokenCountParams;
import com.openai.models.responses.inputtokens.InputTokenCountResponse;

/**
 * The official OpenAI Java client against the packaged service, unchanged but for its base URL and key, with
 * WireMock as every provider.
 */
class OpenAiClientIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static WireMockServer upstream;
    static ServiceProcess service;
    static OpenAIClient acme;
    static OpenAIClient globex;

    @BeforeAll
    static void start() throws Exception {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        Path data = Files.createTempDirectory(Path.of("target"), "it-data");
        service = ServiceProcess.start("openai-client",
                ServiceProcess.environment(data.toAbsolutePath(), "http://127.0.0.1:" + upstream.port()));
        acme = client("sk-acme-it");
        globex = client("sk-globex-it");
    }

    static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(service.baseUrl() + "/v1").apiKey(key).maxRetries(0).build();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    static String chatAnswer(String text) {
        return """
                {"id":"chatcmpl-it","object":"chat.completion","created":1769084048,"model":"gpt-chat",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"%s"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}""".formatted(text);
    }

    static void answersInOrder(String path, String... bodies) {
        String state = "Started";
        for (int i = 0; i < bodies.length; i++) {
            String next = "call " + (i + 1);
            boolean sse = bodies[i].startsWith("data:");
            upstream.stubFor(post(urlEqualTo(path)).inScenario(path).whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(200)
                            .withHeader("Content-Type", sse ? "text/event-stream" : "application/json")
                            .withBody(bodies[i]))
                    .willSetStateTo(next));
            state = next;
        }
    }

    static List<JsonNode> received(String path) {
        var out = new ArrayList<JsonNode>();
        for (LoggedRequest r : upstream.findAll(postRequestedFor(urlEqualTo(path)))) {
            try {
                out.add(JSON.readTree(r.getBodyAsString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static String text(Response r) {
        var sb = new StringBuilder();
        r.output().forEach(item -> item.message().ifPresent(m -> m.content()
                .forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text())))));
        return sb.toString();
    }

    static ResponseCreateParams.Builder params(String model, String input) {
        return ResponseCreateParams.builder().model(model).input(input);
    }

    @Test
    void createsAResponseAndReadsItBack() {
        answersInOrder("/chat/v1/chat/completions", chatAnswer("こんにちは"));

        Response created = acme.responses().create(params("gpt-chat", "やあ").instructions("短く").build());
        Response read = acme.responses().retrieve(created.id());

        assertThat(text(created)).isEqualTo("こんにちは");
        assertThat(created.status()).contains(ResponseStatus.COMPLETED);
        assertThat(read.id()).isEqualTo(created.id());
        assertThat(text(read)).isEqualTo("こんにちは");
        assertThat(created.usage().orElseThrow().totalTokens()).isEqualTo(13);
    }

    @Test
    void chainsThreeTurnsOnAChatProviderByRebuildingTheHistory() {
        answersInOrder("/chat/v1/chat/completions", chatAnswer("one"), chatAnswer("two"), chatAnswer("three"));

        Response first = acme.responses().create(params("gpt-chat", "a").build());
        Response second = acme.responses().create(params("gpt-chat", "b").previousResponseId(first.id()).build());
        Response third = acme.responses().create(params("gpt-chat", "c").previousResponseId(second.id()).build());

        assertThat(text(third)).isEqualTo("three");
        assertThat(received("/chat/v1/chat/completions").get(2).get("messages")).isEqualTo(tree("""
                [{"role":"user","content":"a"},{"role":"assistant","content":"one"},{"role":"user","content":"b"},
                 {"role":"assistant","content":"two"},{"role":"user","content":"c"}]"""));
    }

    @Test
    void chainsThreeTurnsOnAResponsesProviderWithTheProvidersOwnIds() {
        answersInOrder("/resp/v1/responses", upstreamResponse("up_1", "one"), upstreamResponse("up_2", "two"),
                upstreamResponse("up_3", "three"));

        Response first = acme.responses().create(params("qwen3-max-2026-01-23", "a").build());
        Response second = acme.responses().create(params("qwen3-max-2026-01-23", "b").previousResponseId(first.id())
                .build());
        Response third = acme.responses().create(params("qwen3-max-2026-01-23", "c").previousResponseId(second.id())
                .build());

        assertThat(text(third)).isEqualTo("three");
        assertThat(third.previousResponseId()).contains(second.id());
        List<JsonNode> sent = received("/resp/v1/responses");
        assertThat(sent.get(0)).isEqualTo(tree("{\"model\":\"qwen3-max-2026-01-23\",\"input\":\"a\"}"));
        assertThat(sent.get(1)).isEqualTo(tree("""
                {"model":"qwen3-max-2026-01-23","input":"b","previous_response_id":"up_1"}"""));
        assertThat(sent.get(2)).isEqualTo(tree("""
                {"model":"qwen3-max-2026-01-23","input":"c","previous_response_id":"up_2"}"""));
    }

    static void searxng() {
        upstream.stubFor(get(urlPathEqualTo("/searxng/search")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"query":"kaiwa","number_of_results":0,"results":[{"url":"https://example.org/kaiwa",
                         "title":"Kaiwa","content":"Conversations for Java.","engine":"brave","engines":["brave"],
                         "positions":[1],"score":1.0,"category":"general"}],"answers":[],"corrections":[],
                         "infoboxes":[],"suggestions":[],"unresponsive_engines":[]}""")));
    }

    static String toolCall(String id, String name, String arguments) {
        return """
                {"id":"chatcmpl-t","object":"chat.completion","created":1769084048,"model":"gpt-chat",
                 "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                  "tool_calls":[{"id":"%s","type":"function","function":{"name":"%s","arguments":%s}}]}}],
                 "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"""
                .formatted(id, name, JSON.valueToTree(arguments).toString());
    }

    static boolean sandboxed() {
        return Files.isExecutable(Path.of("/usr/bin/bwrap")) && Files.isExecutable(Path.of("/usr/bin/python3"));
    }

    @Test
    void builtInToolsRunByKaiwaComeBackAsItemsTheClientReads() {
        Extras.assume(sandboxed(),
                "needs the code_interpreter sandbox (bubblewrap and python3; .ci/run installs them)");
        searxng();
        answersInOrder("/chat/v1/chat/completions", toolCall("call_s", "web_search", "{\"query\":\"kaiwa\"}"),
                toolCall("call_c", "code_interpreter", "{\"code\":\"print(2 ** 10)\"}"), chatAnswer("1024"));

        Response r = acme.responses().create(params("gpt-chat", "search then compute")
                .putAdditionalBodyProperty("tools", JsonValue.from(List.of(Map.of("type", "web_search"),
                        Map.of("type", "code_interpreter", "container", Map.of("type", "auto")))))
                .build());

        assertThat(r.output()).hasSize(3);
        // The client's own strict check of every item's fields.
        r.output().forEach(item -> item.validate());
        var search = r.output().get(0).asWebSearchCall();
        assertThat(search.action().asSearch().query()).contains("kaiwa");
        assertThat(search.action().asSearch().sources().orElseThrow().get(0).url())
                .isEqualTo("https://example.org/kaiwa");
        var code = r.output().get(1).asCodeInterpreterCall();
        assertThat(code.code()).contains("print(2 ** 10)");
        assertThat(code.outputs().orElseThrow().get(0).asLogs().logs()).isEqualTo("1024\n");
        assertThat(text(r)).isEqualTo("1024");
        assertThat(received("/chat/v1/chat/completions").get(2).at("/messages/4/content").asText()).contains("1024");
    }

    static String streamedToolCall(String id, String name, String arguments) {
        return chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + id
                + "\",\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"arguments\":"
                + JSON.valueToTree(arguments) + "}}]}", null) + chunk("{}", "tool_calls") + "data: [DONE]\n\n";
    }

    @Test
    void theClientAccumulatesAStreamedToolLoopWithTheToolsEvents() {
        Extras.assume(sandboxed(),
                "needs the code_interpreter sandbox (bubblewrap and python3; .ci/run installs them)");
        searxng();
        answersInOrder("/chat/v1/chat/completions", streamedToolCall("call_s", "web_search", "{\"query\":\"kaiwa\"}"),
                streamedToolCall("call_c", "code_interpreter", "{\"code\":\"print(3 * 3)\"}"),
                chunk("{\"role\":\"assistant\",\"content\":\"9\"}", null) + chunk("{}", "stop")
                        + "data: [DONE]\n\n");

        var accumulator = ResponseAccumulator.create();
        var kinds = new ArrayList<String>();
        try (StreamResponse<ResponseStreamEvent> stream = acme.responses().createStreaming(
                params("gpt-chat", "search, compute").putAdditionalBodyProperty("tools", JsonValue.from(List.of(
                        Map.of("type", "web_search"), Map.of("type", "code_interpreter", "container",
                                Map.of("type", "auto")))))
                        .build())) {
            stream.stream().forEach(e -> {
                accumulator.accumulate(e);
                if (e.isWebSearchCallSearching()) {
                    kinds.add("searching");
                } else if (e.isCodeInterpreterCallInterpreting()) {
                    kinds.add("interpreting");
                } else if (e.isCodeInterpreterCallCompleted() || e.isWebSearchCallCompleted()) {
                    kinds.add("tool_completed");
                }
            });
        }
        Response response = accumulator.response();

        assertThat(kinds).containsExactly("searching", "tool_completed", "interpreting", "tool_completed");
        assertThat(response.output()).hasSize(3);
        response.output().forEach(item -> item.validate());
        assertThat(response.output().get(1).asCodeInterpreterCall().outputs().orElseThrow().get(0).asLogs().logs())
                .isEqualTo("9\n");
        assertThat(text(response)).isEqualTo("9");
    }

    @Test
    void streamsEventsTheClientAccumulatesIntoTheResponse() {
        answersInOrder("/chat/v1/chat/completions", chunk("{\"role\":\"assistant\",\"content\":\"Hel\"}", null)
                + chunk("{\"content\":\"lo\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n");

        var accumulator = ResponseAccumulator.create();
        var types = new ArrayList<String>();
        try (StreamResponse<ResponseStreamEvent> stream = acme.responses()
                .createStreaming(params("gpt-chat", "hi").build())) {
            stream.stream().forEach(e -> {
                accumulator.accumulate(e);
                types.add(type(e));
            });
        }
        Response response = accumulator.response();

        assertThat(types).startsWith("created", "in_progress").endsWith("completed").contains("output_text_delta");
        assertThat(text(response)).isEqualTo("Hello");
        assertThat(text(acme.responses().retrieve(response.id()))).isEqualTo("Hello");
    }

    @Test
    void runsABackgroundResponseThatCanBePolledAndCancelled() {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withFixedDelay(10_000)
                .withBody(chunk("{\"role\":\"assistant\",\"content\":\"late\"}", "stop") + "data: [DONE]\n\n")));

        Response queued = acme.responses().create(params("gpt-chat", "slow").background(true).build());
        assertThat(queued.status()).contains(ResponseStatus.QUEUED);
        Response running = poll(queued.id(), ResponseStatus.IN_PROGRESS);
        assertThat(running.status()).contains(ResponseStatus.IN_PROGRESS);

        Response cancelled = acme.responses().cancel(queued.id());

        assertThat(cancelled.status()).contains(ResponseStatus.CANCELLED);
        assertThat(acme.responses().retrieve(queued.id()).status()).contains(ResponseStatus.CANCELLED);
    }

    @Test
    void resumesABackgroundStreamAfterTheLastEventSeen() {
        answersInOrder("/chat/v1/chat/completions", chunk("{\"role\":\"assistant\",\"content\":\"a\"}", null)
                + chunk("{\"content\":\"b\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n");
        Response queued = acme.responses().create(params("gpt-chat", "hi").background(true).build());
        poll(queued.id(), ResponseStatus.COMPLETED);

        var all = new ArrayList<ResponseStreamEvent>();
        try (var stream = acme.responses().retrieveStreaming(queued.id())) {
            stream.stream().forEach(all::add);
        }
        var resumed = new ArrayList<ResponseStreamEvent>();
        try (var stream = acme.responses().retrieveStreaming(queued.id(),
                ResponseRetrieveParams.builder().startingAfter(3).build())) {
            stream.stream().forEach(resumed::add);
        }

        assertThat(all).hasSizeGreaterThan(6);
        assertThat(resumed).hasSize(all.size() - 4);
        assertThat(type(resumed.get(0))).isEqualTo(type(all.get(4)));
        assertThat(type(resumed.get(resumed.size() - 1))).isEqualTo("completed");
    }

    @Test
    void listsInputItemsAndDeletes() {
        answersInOrder("/chat/v1/chat/completions", chatAnswer("ok"));
        Response created = acme.responses().create(params("gpt-chat", "remember me").build());

        List<ResponseItem> items = acme.responses().inputItems().list(created.id()).data();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).isResponseInputMessageItem()).isTrue();
        assertThat(items.get(0).asResponseInputMessageItem().content().get(0).asInputText().text())
                .isEqualTo("remember me");

        acme.responses().delete(created.id());

        assertThatThrownBy(() -> acme.responses().retrieve(created.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void rejectsAWrongKeyAndHidesOtherTenantsResponses() {
        answersInOrder("/chat/v1/chat/completions", chatAnswer("mine"));
        Response mine = acme.responses().create(params("gpt-chat", "x").build());

        assertThatThrownBy(() -> client("sk-wrong").responses().retrieve(mine.id()))
                .isInstanceOf(UnauthorizedException.class);
        assertThatThrownBy(() -> globex.responses().retrieve(mine.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> globex.responses().create(params("gpt-chat", "y").previousResponseId(mine.id())
                .build())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theServiceLogShowsNoKeyEvenWhenCallsFail() {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}")));

        // The provider refused the service's key, not the caller's: the SDK must not say the caller's is wrong.
        assertThatThrownBy(() -> acme.responses().create(params("gpt-chat", "x").build()))
                .isInstanceOfSatisfying(InternalServerException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(502));
        assertThatThrownBy(() -> client("sk-wrong-it").responses().create(params("gpt-chat", "x").build()))
                .isInstanceOf(UnauthorizedException.class);

        assertThat(service.log()).isNotEmpty().doesNotContain("sk-acme-it", "sk-globex-it", "sk-wrong-it",
                "sk-upstream-chat", "sk-upstream-resp");
    }

    @Test
    void passesOnAnUpstream429AndNamesTheFieldOfBadInput() {
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse().withStatus(429)
                .withHeader("x-should-retry", "false").withBody("""
                        {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""")));

        assertThatThrownBy(() -> acme.responses().create(params("gpt-chat", "x").build()))
                .isInstanceOfSatisfying(RateLimitException.class,
                        e -> assertThat(e.code()).contains("rate_limit_exceeded"));
        assertThatThrownBy(() -> acme.responses().create(params("gpt-chat", "x").temperature(7.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).contains("temperature"));
    }

    Response poll(String id, ResponseStatus wanted) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        Response r = acme.responses().retrieve(id);
        while (!r.status().map(wanted::equals).orElse(false) && System.nanoTime() < deadline) {
            ServiceProcess.sleep(50);
            r = acme.responses().retrieve(id);
        }
        return r;
    }

    static String type(ResponseStreamEvent e) {
        if (e.isCreated()) {
            return "created";
        }
        if (e.isInProgress()) {
            return "in_progress";
        }
        if (e.isQueued()) {
            return "queued";
        }
        if (e.isCompleted()) {
            return "completed";
        }
        if (e.isOutputTextDelta()) {
            return "output_text_delta";
        }
        if (e.isOutputItemAdded()) {
            return "output_item_added";
        }
        return "other";
    }

    @Test
    void theClientsWebSocketModeRunsAndContinuesResponsesOnOneConnection() {
        answersInOrder("/chat/v1/chat/completions",
                chunk("{\"role\":\"assistant\",\"content\":\"OK\"}", null) + chunk("{}", "stop") + "data: [DONE]\n\n",
                chunk("{\"role\":\"assistant\",\"content\":\"cobalt\"}", null) + chunk("{}", "stop")
                        + "data: [DONE]\n\n");

        try (ResponseConnection connection = acme.responses().connect()) {
            connection.send(ResponsesClientEvent.ofResponseCreate(ResponsesClientEvent.ResponseCreate.builder()
                    .model("gpt-chat").store(false).input("Remember the code word: cobalt.").build()));
            Response first = connection.finalResponse();
            connection.send(ResponsesClientEvent.ofResponseCreate(ResponsesClientEvent.ResponseCreate.builder()
                    .model("gpt-chat").store(false).previousResponseId(first.id()).input("What is the code word?")
                    .build()));
            Response second = connection.finalResponse();

            assertThat(text(first)).isEqualTo("OK");
            assertThat(text(second)).isEqualTo("cobalt");
        }
        // The continuation carried the first turn, kept by the connection (store: false keeps it nowhere else).
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/chat/v1/chat/completions"))).get(1)
                .getBodyAsString()).contains("Remember the code word: cobalt.").contains("\"OK\"");
    }

    @Test
    void theChatCompletionsClientWorksWholeAndStreamedWithItsUsageChunk() {
        answersInOrder("/chat/v1/chat/completions", chatAnswer("Bonjour"),
                chunk("{\"role\":\"assistant\",\"content\":\"Sa\"}", null) + chunk("{\"content\":\"lut\"}", null)
                        + chunk("{}", "stop") + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
                        + "\"created\":1,\"model\":\"gpt-chat\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,"
                        + "\"completion_tokens\":2,\"total_tokens\":6}}\n\ndata: [DONE]\n\n");
        var params = ChatCompletionCreateParams.builder().model("gpt-chat").addSystemMessage("Be brief.")
                .addUserMessage("Say hello in French.").build();

        ChatCompletion whole = acme.chat().completions().create(params);
        assertThat(whole.choices().get(0).message().content()).contains("Bonjour");
        assertThat(whole.usage().map(u -> u.totalTokens())).contains(13L);

        var text = new StringBuilder();
        var usage = new java.util.concurrent.atomic.AtomicLong();
        try (StreamResponse<ChatCompletionChunk> stream = acme.chat().completions().createStreaming(params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(c -> {
                c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
                c.usage().ifPresent(u -> usage.set(u.totalTokens()));
            });
        }
        assertThat(text.toString()).isEqualTo("Salut");
        assertThat(usage.get()).isEqualTo(6);
    }

    @Test
    void theClientKeepsAConversationAndCountsInputTokens() {
        answersInOrder("/chat/v1/chat/completions", chatAnswer("Your name is Ada."));
        Conversation conversation = acme.conversations().create(ConversationCreateParams.builder()
                .addItem(EasyInputMessage.builder().role(EasyInputMessage.Role.USER).content("My name is Ada.").build())
                .build());

        Response answer = acme.responses().create(params("gpt-chat", "What is my name?")
                .conversation(conversation.id()).build());

        assertThat(text(answer)).isEqualTo("Your name is Ada.");
        assertThat(upstream.findAll(postRequestedFor(urlEqualTo("/chat/v1/chat/completions"))).get(0)
                .getBodyAsString()).contains("My name is Ada.");
        List<ConversationItem> items = acme.conversations().items().list(conversation.id()).data();
        assertThat(items).hasSize(3).allSatisfy(i -> assertThat(i.isMessage()).isTrue());
        // Newest first, as OpenAI lists them.
        assertThat(items.get(0).asMessage().role()).isEqualTo(Message.Role.ASSISTANT);

        InputTokenCountResponse counted = acme.responses().inputTokens().count(InputTokenCountParams.builder()
                .model("gpt-chat").input("And now?").previousResponseId(answer.id()).build());
        assertThat(counted.inputTokens()).isPositive();
        assertThat(acme.conversations().delete(conversation.id()).deleted()).isTrue();
    }

    static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    static String upstreamResponse(String id, String text) {
        return """
                {"id":"%s","object":"response","created_at":%d,"model":"qwen3-max-2026-01-23","status":"completed",
                 "output":[{"id":"msg_%s","type":"message","role":"assistant","status":"completed",
                 "content":[{"type":"output_text","text":"%s","annotations":[]}]}],
                 "usage":{"input_tokens":20,"output_tokens":5,"total_tokens":25}}"""
                .formatted(id, System.currentTimeMillis() / 1000, id, text);
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
