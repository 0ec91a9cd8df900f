package io.kaiwa.runtime;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@QuarkusTestResource(value = TestUpstreams.class, restrictToAnnotatedClass = false)
class ResponsesApiTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static RequestSpecification acme() {
        return given().header("Authorization", "Bearer sk-acme-test").contentType("application/json");
    }

    static RequestSpecification globex() {
        return given().header("Authorization", "Bearer sk-globex-test").contentType("application/json");
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String chatAnswer(String text) {
        return """
                {"id":"chatcmpl-1","object":"chat.completion","created":1769084048,"model":"gpt-chat",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":10,"completion_tokens":3,"total_tokens":13}}"""
                .formatted(JSON.valueToTree(text).toString());
    }

    /** The DashScope native API's answer "はい", from the seeds' shape. */
    static void nativeAnswer() {
        TestUpstreams.upstream.stubFor(post(urlEqualTo("/native/api/v1/services/aigc/text-generation/generation"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"output":{"choices":[{"finish_reason":"stop","message":{"role":"assistant","content":"はい"}}]},
                         "usage":{"input_tokens":5,"output_tokens":1,"total_tokens":6},"request_id":"r1"}""")));
    }

    static void chatAnswers(String... texts) {
        String state = "Started";
        for (int i = 0; i < texts.length; i++) {
            String next = "answer " + (i + 1);
            TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).inScenario("chat")
                    .whenScenarioStateIs(state).willReturn(aResponse().withStatus(200)
                            .withHeader("Content-Type", "application/json").withBody(chatAnswer(texts[i])))
                    .willSetStateTo(next));
            state = next;
        }
    }

    static List<JsonNode> sent(String path) {
        var out = new ArrayList<JsonNode>();
        for (LoggedRequest r : TestUpstreams.upstream.findAll(postRequestedFor(urlEqualTo(path)))) {
            out.add(tree(r.getBodyAsString()));
        }
        return out;
    }

    static Response create(RequestSpecification who, String body) {
        return who.body(body).post("/v1/responses");
    }

    static String createOk(String body) {
        Response r = create(acme(), body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return r.jsonPath().getString("id");
    }

    long storedResponses() {
        return TestDatabase.number("SELECT count(*) FROM kaiwa_response");
    }

    @BeforeEach
    void resetUpstream() {
        TestUpstreams.upstream.resetAll();
    }

    @Nested
    class CreatesAndStoresResponses {
        @Test
        void aChatProviderAnswerBecomesAStoredResponseObject() {
            chatAnswers("こんにちは!");

            Response r = create(acme(), """
                    {"model":"gpt-chat","input":"やあ","instructions":"短く","temperature":0.2,"metadata":{"k":"v"}}""");

            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = tree(r.asString());
            assertThat(body.get("object").asText()).isEqualTo("response");
            assertThat(body.get("status").asText()).isEqualTo("completed");
            assertThat(body.at("/output/0/content/0/text").asText()).isEqualTo("こんにちは!");
            assertThat(body.at("/output/0/id").asText()).startsWith("msg_");
            assertThat(body.get("usage").get("input_tokens").asInt()).isEqualTo(10);
            assertThat(body.get("temperature").asDouble()).isEqualTo(0.2);
            assertThat(body.get("metadata").get("k").asText()).isEqualTo("v");
            assertThat(sent("/chat/v1/chat/completions")).containsExactly(tree("""
                    {"model":"gpt-chat","messages":[{"role":"system","content":"短く"},{"role":"user","content":"やあ"}],
                     "temperature":0.2}"""));
            assertThat(tree(acme().get("/v1/responses/" + body.get("id").asText()).asString())).isEqualTo(body);
        }

        @Test
        void aWholeResponseGoesOutWithItsLengthInOneBodyNotInChunks() {
            chatAnswers("ok");

            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\"}");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(Integer.parseInt(r.header("Content-Length"))).isEqualTo(r.asByteArray().length);
            assertThat(r.contentType()).startsWith("application/json");
        }

        @Test
        void aClientThatExpects100ContinueGetsItThenItsResponse() throws Exception {
            chatAnswers("go on");
            String request = "{\"model\":\"gpt-chat\",\"input\":\"hi\"}";

            try (var socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                out.write(("POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer sk-acme-test\r\n"
                        + "Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: "
                        + request.length()
                        + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
                assertThat(in.readLine()).isEmpty();
                out.write(request.getBytes(StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            }
            assertThat(TestUpstreams.upstream.getAllServeEvents()).hasSize(1);
        }

        @Test
        void aChainOfThreeTurnsSendsTheWholeHistoryToAChatProvider() {
            chatAnswers("一", "二", "三");
            String first = createOk("{\"model\":\"gpt-chat\",\"input\":\"a\"}");
            String second = createOk("{\"model\":\"gpt-chat\",\"input\":\"b\",\"previous_response_id\":\"" + first
                    + "\"}");
            createOk("{\"model\":\"gpt-chat\",\"input\":\"c\",\"previous_response_id\":\"" + second + "\"}");

            assertThat(sent("/chat/v1/chat/completions").get(2)).isEqualTo(
                    tree("""
                            {"model":"gpt-chat","messages":[{"role":"user","content":"a"},{"role":"assistant","content":"一"},
                             {"role":"user","content":"b"},{"role":"assistant","content":"二"},{"role":"user","content":"c"}]}"""));
        }

        @Test
        void truncationAutoLeavesOutTheOldestTurnsWhenTheProviderFindsTheContextTooLong() {
            String path = "/chat/v1/chat/completions";
            String[] states = {"Started", "2", "3", "4"};
            String tooLong = """
                    {"error":{"message":"This model's maximum context length is 8192 tokens","type":"invalid_request_error","code":"context_length_exceeded"}}""";
            for (int i = 0; i < 4; i++) {
                var answer = i == 2
                        ? aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(tooLong)
                        : aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                                .withBody(chatAnswer(new String[]{"一", "二", "", "三"}[i]));
                TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).inScenario("long")
                        .whenScenarioStateIs(states[i]).willReturn(answer)
                        .willSetStateTo(i < 3 ? states[i + 1] : "done"));
            }
            String first = createOk("{\"model\":\"gpt-chat\",\"input\":\"a\"}");
            String second = createOk("{\"model\":\"gpt-chat\",\"input\":\"b\",\"previous_response_id\":\"" + first
                    + "\"}");

            Response third = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"c\",\"truncation\":\"auto\","
                    + "\"previous_response_id\":\"" + second + "\"}");

            assertThat(third.statusCode()).as(third.asString()).isEqualTo(200);
            assertThat(third.jsonPath().getString("truncation")).isEqualTo("auto");
            List<JsonNode> sent = sent(path);
            assertThat(sent.get(2).get("messages")).hasSize(5);
            assertThat(sent.get(3).get("messages")).isEqualTo(
                    tree("""
                            [{"role":"user","content":"b"},{"role":"assistant","content":"二"},{"role":"user","content":"c"}]"""));
        }

        @Test
        void withoutTruncationAContextTooLongIsTheProvidersError() {
            TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                    .withStatus(400).withHeader("Content-Type", "application/json").withBody(
                            """
                                    {"error":{"message":"maximum context length exceeded","type":"invalid_request_error","code":"context_length_exceeded"}}""")));

            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"c\"}");

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("context_length_exceeded");
            assertThat(sent("/chat/v1/chat/completions")).hasSize(1);
        }

        @Test
        void twoContinuationsOfOneResponseForkWithoutSeeingEachOther() {
            chatAnswers("root", "left", "right", "left again");
            String root = createOk("{\"model\":\"gpt-chat\",\"input\":\"r\"}");
            String left = createOk(
                    "{\"model\":\"gpt-chat\",\"input\":\"L\",\"previous_response_id\":\"" + root + "\"}");
            createOk("{\"model\":\"gpt-chat\",\"input\":\"R\",\"previous_response_id\":\"" + root + "\"}");
            createOk("{\"model\":\"gpt-chat\",\"input\":\"L2\",\"previous_response_id\":\"" + left + "\"}");

            List<JsonNode> sent = sent("/chat/v1/chat/completions");
            assertThat(sent.get(2).get("messages")).isEqualTo(
                    tree("""
                            [{"role":"user","content":"r"},{"role":"assistant","content":"root"},{"role":"user","content":"R"}]"""));
            assertThat(sent.get(3).get("messages")).isEqualTo(tree("""
                    [{"role":"user","content":"r"},{"role":"assistant","content":"root"},{"role":"user","content":"L"},
                     {"role":"assistant","content":"left"},{"role":"user","content":"L2"}]"""));
        }

        @Test
        void aResponsesProviderIsChainedWithItsOwnIdAndOnlyTheNewInput() {
            String path = "/resp/v1/responses";
            TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).inScenario("resp").whenScenarioStateIs("Started")
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(providerResponse("up_1", "覚えました")))
                    .willSetStateTo("second"));
            TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).inScenario("resp").whenScenarioStateIs("second")
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody(providerResponse("up_2", "田中さん"))));
            String first = createOk("{\"model\":\"qwen3-max-2026-01-23\",\"input\":\"私は田中です\"}");
            Response second = create(acme(), "{\"model\":\"qwen3-max-2026-01-23\",\"input\":\"名前は?\","
                    + "\"previous_response_id\":\"" + first + "\",\"tools\":[{\"type\":\"web_search\"}]}");

            assertThat(second.jsonPath().getString("output[0].content[0].text")).isEqualTo("田中さん");
            assertThat(second.jsonPath().getString("previous_response_id")).isEqualTo(first);
            assertThat(sent(path).get(1)).isEqualTo(tree("""
                    {"model":"qwen3-max-2026-01-23","input":"名前は?","previous_response_id":"up_1",
                     "tools":[{"type":"web_search"}]}"""));
        }

        @Test
        void theDashScopeNativeApiIsAProviderLikeTheOthers() {
            nativeAnswer();

            Response r = create(acme(), "{\"model\":\"qwen-plus-native\",\"input\":\"やあ\"}");

            assertThat(r.jsonPath().getString("output[0].content[0].text")).isEqualTo("はい");
        }

        @Test
        void aChatProviderGetsTheRequestOptionsInChatCompletionsNames() {
            chatAnswers("{}");

            createOk(
                    """
                            {"model":"gpt-chat","input":"x","max_output_tokens":64,"top_p":0.5,"enable_thinking":true,
                             "reasoning":{"effort":"low"},"metadata":{"k":"v"},"truncation":"auto",
                             "text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}}}""");

            assertThat(sent("/chat/v1/chat/completions")).containsExactly(tree("""
                    {"model":"gpt-chat","messages":[{"role":"user","content":"x"}],"enable_thinking":true,
                     "max_tokens":64,"top_p":0.5,"reasoning_effort":"low",
                     "response_format":{"type":"json_schema",
                                        "json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}}}"""));
        }

        @Test
        void enableThinkingReachesTheDashScopeNativeApiInItsParameters() {
            nativeAnswer();

            createOk("{\"model\":\"qwen-plus-native\",\"input\":\"やあ\",\"enable_thinking\":false}");

            JsonNode sent = sent("/native/api/v1/services/aigc/text-generation/generation").get(0);
            assertThat(sent.at("/parameters/enable_thinking").isBoolean()).as(sent.toString()).isTrue();
            assertThat(sent.at("/parameters/enable_thinking").booleanValue()).isFalse();
        }

        @Test
        void anEnableThinkingThatIsNotABooleanIsABadRequestNamingIt() {
            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"enable_thinking\":\"yes\"}");

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.jsonPath().getString("error.param")).isEqualTo("enable_thinking");
            assertThat(TestUpstreams.upstream.getAllServeEvents()).isEmpty();
        }

        @Test
        void storeFalseIsNeitherRetrievableNorChainable() {
            chatAnswers("ephemeral");
            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"store\":false}");
            String id = r.jsonPath().getString("id");

            assertThat(r.jsonPath().getBoolean("store")).isFalse();
            assertThat(acme().get("/v1/responses/" + id).statusCode()).isEqualTo(404);
            Response chained = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"y\",\"previous_response_id\":\"" + id
                    + "\"}");
            assertThat(chained.statusCode()).isEqualTo(404);
            assertThat(chained.jsonPath().getString("error.param")).isEqualTo("previous_response_id");
        }

        @Test
        void inputItemsArePagedInEitherOrder() {
            chatAnswers("ok");
            String id = createOk("""
                    {"model":"gpt-chat","input":[{"role":"user","content":"one"},{"role":"user","content":"two"},
                     {"role":"user","content":"three"}]}""");

            Response desc = acme().get("/v1/responses/" + id + "/input_items?limit=2");
            assertThat(desc.jsonPath().getList("data.collect { it.content[0].text }", String.class))
                    .containsExactly("three", "two");
            assertThat(desc.jsonPath().getBoolean("has_more")).isTrue();
            Response rest = acme().get("/v1/responses/" + id + "/input_items?limit=2&after="
                    + desc.jsonPath().getString("last_id"));
            assertThat(rest.jsonPath().getList("data.collect { it.content[0].text }", String.class))
                    .containsExactly("one");
            Response asc = acme().get("/v1/responses/" + id + "/input_items?order=asc");
            assertThat(asc.jsonPath().getList("data.collect { it.content[0].text }", String.class)).containsExactly(
                    "one", "two",
                    "three");
        }

        @Test
        void aQueryParameterThatIsNotANumberIsABadRequestNamingIt() {
            chatAnswers("ok");
            String id = createOk("{\"model\":\"gpt-chat\",\"input\":\"x\"}");

            Response limit = acme().get("/v1/responses/" + id + "/input_items?limit=ten");
            Response after = acme().get("/v1/responses/" + id + "?stream=true&starting_after=last");

            assertThat(limit.statusCode()).isEqualTo(400);
            assertThat(limit.jsonPath().getString("error.param")).isEqualTo("limit");
            assertThat(after.statusCode()).isEqualTo(400);
            assertThat(after.jsonPath().getString("error.param")).isEqualTo("starting_after");
        }

        @Test
        void manyConcurrentResponsesAreAllStoredByTheGroupCommit() throws Exception {
            TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                    .withStatus(200).withHeader("Content-Type", "application/json").withBody(chatAnswer("many"))));
            var pool = java.util.concurrent.Executors.newFixedThreadPool(16);
            try {
                var futures = new ArrayList<java.util.concurrent.Future<String>>();
                for (int i = 0; i < 64; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> createOk("{\"model\":\"gpt-chat\",\"input\":\"n" + n + "\"}")));
                }
                for (var f : futures) {
                    String id = f.get();
                    assertThat(acme().get("/v1/responses/" + id).statusCode()).isEqualTo(200);
                }
            } finally {
                pool.shutdown();
            }
        }

        @Test
        void aDeletedResponseIsGone() {
            chatAnswers("bye");
            String id = createOk("{\"model\":\"gpt-chat\",\"input\":\"x\"}");

            Response deleted = acme().delete("/v1/responses/" + id);

            assertThat(tree(deleted.asString())).isEqualTo(tree("{\"id\":\"" + id
                    + "\",\"object\":\"response.deleted\",\"deleted\":true}"));
            assertThat(acme().get("/v1/responses/" + id).statusCode()).isEqualTo(404);
            assertThat(acme().delete("/v1/responses/" + id).statusCode()).isEqualTo(404);
        }
    }

    @Nested
    class KeepsTenantsApart {
        @Test
        void anotherTenantsIdAnswersExactlyLikeAMissingOne() {
            chatAnswers("secret");
            String id = createOk("{\"model\":\"gpt-chat\",\"input\":\"x\"}");

            Response other = globex().get("/v1/responses/" + id);
            Response missing = globex().get("/v1/responses/" + id.replace('a', 'b'));

            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(other.jsonPath().getString("error.code")).isEqualTo(missing.jsonPath().getString("error.code"));
            assertThat(globex().delete("/v1/responses/" + id).statusCode()).isEqualTo(404);
            assertThat(create(globex(), "{\"model\":\"gpt-chat\",\"input\":\"y\",\"previous_response_id\":\"" + id
                    + "\"}").statusCode()).isEqualTo(404);
            assertThat(acme().get("/v1/responses/" + id).statusCode()).isEqualTo(200);
        }

        @Test
        void aMissingOrWrongKeyIs401() {
            Response none = given().contentType("application/json").body("{}").post("/v1/responses");
            Response wrong = given().header("Authorization", "Bearer sk-nope").get("/v1/models");

            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.jsonPath().getString("error.message")).contains("Missing bearer");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.jsonPath().getString("error.code")).isEqualTo("invalid_api_key");
        }

        @Test
        void noPathSpellingGetsPastTheKeyCheck() throws Exception {
            chatAnswers("secret");
            String id = createOk("{\"model\":\"gpt-chat\",\"input\":\"x\"}");
            HttpClient http = HttpClient.newHttpClient();
            List<String> paths = List.of("/v1;x=1/models", "/v1;/models", "/v1/models;x=1", "/%761/models",
                    "/v1;x=1/responses/" + id, "/v1;/responses/" + id + "/input_items", "//v1/models",
                    "/q/health/../../v1/models", "/q;x=1/metrics", "/q/metrics;x=1", "/nothing-here",
                    "/playground/../v1/models", "/playground;x=1/../v1/models");

            for (String path : paths) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(tree(r.body()).path("error").path("code").asText()).as(path).isEqualTo("invalid_api_key");
            }
            HttpResponse<String> withKey = http.send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + RestAssured.port + "/v1;x=1/responses/" + id))
                    .header("Authorization", "Bearer sk-acme-test").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(withKey.statusCode()).isEqualTo(200);
            assertThat(given().get("/q/health/live").statusCode()).isEqualTo(200);
            assertThat(given().get("/q/openapi").statusCode()).isEqualTo(200);
        }

        @Test
        void thePlaygroundsFilesAreServedWithoutAKeyUnderAStrictContentSecurityPolicy() {
            for (String path : List.of("/playground/", "/playground/playground.js", "/playground/playground.css")) {
                Response r = given().get(path);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.header("Content-Security-Policy")).as(path).contains("default-src 'self'")
                        .contains("frame-ancestors 'none'").doesNotContain("unsafe");
            }
            assertThat(given().get("/playground/").contentType()).startsWith("text/html");
            // The page holds no data: what it shows comes from the API, with the key its user pastes.
            assertThat(given().get("/playground/playground.js").asString()).contains("fetch('/v1/responses'")
                    .doesNotContain("innerHTML");
        }
    }

    @Nested
    class AnswersErrorsInOpenAisShape {
        @Test
        void badInputIs400NamingTheField() {
            assertThat(create(acme(), "{\"input\":\"x\"}").jsonPath().getString("error.param")).isEqualTo("model");
            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"top_p\":3}");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.jsonPath().getString("error.param")).isEqualTo("top_p");
            assertThat(r.jsonPath().getString("error.type")).isEqualTo("invalid_request_error");
            assertThat(create(acme(), "{\"model\":\"gpt-chat\",\"input\":[{\"type\":\"message\",\"role\":7}]}")
                    .jsonPath().getString("error.param")).startsWith("input[0]");
            assertThat(create(acme(), "not json").jsonPath().getString("error.message")).contains("not valid JSON");
            assertThat(sent("/chat/v1/chat/completions")).isEmpty();
        }

        @Test
        void inputItemsOfAnUnknownTypeOrRoleAreRefusedNamingThemAndNothingIsSent() {
            Response wizard = create(acme(), """
                    {"model":"gpt-chat","input":[{"type":"message","role":"user","content":"a"},
                     {"type":"message","role":"wizard","content":"x"}]}""");
            Response noType = create(acme(), "{\"model\":\"gpt-chat\",\"input\":[{\"foo\":\"bar\"}]}");
            Response hologram = create(acme(), "{\"model\":\"gpt-chat\",\"input\":[{\"type\":\"hologram\"}]}");
            Response easyWizard = create(acme(), """
                    {"model":"gpt-chat","input":[{"role":"wizard","content":"x"}]}""");
            Response compact = acme().body("{\"model\":\"gpt-chat\",\"input\":[{\"type\":\"hologram\"}]}")
                    .post("/v1/responses/compact");

            assertThat(wizard.statusCode()).isEqualTo(400);
            assertThat(wizard.jsonPath().getString("error.param")).isEqualTo("input[1].role");
            assertThat(wizard.jsonPath().getString("error.message")).contains("'wizard'").contains("'user'");
            assertThat(noType.jsonPath().getString("error.param")).isEqualTo("input[0].type");
            assertThat(noType.jsonPath().getString("error.message")).contains("Missing required parameter");
            assertThat(hologram.jsonPath().getString("error.param")).isEqualTo("input[0].type");
            assertThat(hologram.jsonPath().getString("error.message")).contains("'hologram'");
            assertThat(easyWizard.jsonPath().getString("error.param")).isEqualTo("input[0].role");
            assertThat(compact.statusCode()).isEqualTo(400);
            assertThat(compact.jsonPath().getString("error.param")).isEqualTo("input[0].type");
            assertThat(sent("/chat/v1/chat/completions")).isEmpty();
        }

        @Test
        void inputItemsOfAKnownTypeKaiwaDoesNotModelReachAResponsesProviderAsSent() {
            String path = "/resp/v1/responses";
            TestUpstreams.upstream.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(providerResponse("up_9", "42"))));
            String items = """
                    [{"type":"function_call","call_id":"c1","name":"f","arguments":"{}"},
                     {"type":"function_call_output","call_id":"c1","output":[{"type":"input_text","text":"42"}]},
                     {"type":"item_reference","id":"msg_1"}]""";

            Response r = create(acme(), "{\"model\":\"qwen3-max-2026-01-23\",\"input\":" + items + "}");

            assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
            JsonNode sentInput = sent(path).get(0).get("input");
            assertThat(sentInput.get(1)).isEqualTo(tree(
                    "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":[{\"type\":\"input_text\","
                            + "\"text\":\"42\"}]}"));
            assertThat(sentInput.get(2)).isEqualTo(tree("{\"type\":\"item_reference\",\"id\":\"msg_1\"}"));
        }

        @Test
        void anIdThatCannotBeAResponsesIsNotFoundOnEveryRouteNamingItSafely() {
            String nul = "resp_%00abc";
            String huge = "resp_" + "a".repeat(8 * 1024);
            var answers = new ArrayList<Response>();
            for (String id : List.of(nul, huge, "resp_ABC", "msg_" + "0".repeat(48))) {
                answers.add(acme().urlEncodingEnabled(false).get("/v1/responses/" + id));
                answers.add(acme().urlEncodingEnabled(false).get("/v1/responses/" + id + "?stream=true"));
                answers.add(acme().urlEncodingEnabled(false).get("/v1/responses/" + id + "/input_items"));
                answers.add(acme().urlEncodingEnabled(false).delete("/v1/responses/" + id));
                answers.add(acme().urlEncodingEnabled(false).post("/v1/responses/" + id + "/cancel"));
            }
            Response previous = create(acme(), """
                    {"model":"gpt-chat","input":"x","previous_response_id":"resp_\\u0000"}""");

            for (Response r : answers) {
                assertThat(r.statusCode()).as(r.asString()).isEqualTo(404);
                assertThat(r.jsonPath().getString("error.code")).isEqualTo("not_found");
                assertThat(r.jsonPath().getString("error.message").length()).isLessThan(120);
            }
            assertThat(answers.get(0).jsonPath().getString("error.message")).contains("'resp_?abc'");
            assertThat(previous.statusCode()).as(previous.asString()).isEqualTo(404);
            assertThat(previous.jsonPath().getString("error.param")).isEqualTo("previous_response_id");
            assertThat(sent("/chat/v1/chat/completions")).isEmpty();
        }

        @Test
        void aBodyOverTheSizeLimitIs413AndNothingIsSent() {
            // quarkus.http.limits.max-body-size defaults to 10240K.
            String big = "{\"model\":\"gpt-chat\",\"input\":\"" + "x".repeat(10_240 * 1024) + "\"}";

            Response r = create(acme(), big);

            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("request_too_large");
            assertThat(r.jsonPath().getString("error.message")).contains("max-body-size");
            assertThat(sent("/chat/v1/chat/completions")).isEmpty();
        }

        @Test
        void aChunkedBodyThatGrowsPastTheSizeLimitIs413AndNothingIsSent() throws Exception {
            // No Content-Length to refuse up front: the limit is found while reading.
            byte[] chunk = ("{\"model\":\"gpt-chat\",\"input\":\"" + "x".repeat(64 * 1024))
                    .getBytes(StandardCharsets.UTF_8);

            try (var socket = new Socket(InetAddress.getLoopbackAddress(), RestAssured.port)) {
                socket.setSoTimeout(10_000);
                var out = socket.getOutputStream();
                out.write(("POST /v1/responses HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer sk-acme-test\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                for (int sent = 0; sent <= 10_240 * 1024; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

                assertThat(answer).startsWith("HTTP/1.1 413 ");
                assertThat(answer).containsIgnoringCase("connection: close");
                assertThat(answer).contains("\"code\":\"request_too_large\"");
            }
            assertThat(sent("/chat/v1/chat/completions")).isEmpty();
        }

        @Test
        void anUpstream429IsPassedOnWithItsCode() {
            TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                    .withStatus(429).withHeader("x-should-retry", "false").withBody(
                            """
                                    {"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""")));

            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\"}");

            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
            assertThat(r.jsonPath().getString("error.type")).isEqualTo("rate_limit_error");
        }

        @Test
        void anUpstream5xxIsPassedOnAndNothingIsStored() {
            TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                    .withStatus(503).withHeader("x-should-retry", "false").withBody("""
                            {"error":{"message":"Overloaded","type":"server_error","code":"overloaded"}}""")));

            long before = storedResponses();

            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\"}");

            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("overloaded");
            assertThat(storedResponses()).isEqualTo(before);
        }

        @Test
        void anUpstream409IsPassedOnWithItsCode() {
            TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                    .withStatus(409).withBody("""
                            {"error":{"message":"Conflict","type":"invalid_request_error","code":"conflict"}}""")));

            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\"}");

            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("conflict");
        }

        @Test
        void aProviderWithoutAKeyIsTheServicesErrorNamingTheVariableNotTheCallersKey() {
            Response r = create(acme(), "{\"model\":\"nokey-model\",\"input\":\"x\"}");

            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(r.jsonPath().getString("error.type")).isEqualTo("server_error");
            assertThat(r.jsonPath().getString("error.code")).isEqualTo("provider_not_configured");
            assertThat(r.jsonPath().getString("error.message")).contains("NOKEY_API_KEY");
        }

        @Test
        void aProviderRefusingTheServicesKeyIsABadGatewayThatQuotesNoKey() {
            for (int status : new int[]{401, 403}) {
                TestUpstreams.upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()
                        .withStatus(status).withHeader("Content-Type", "application/json").withBody("""
                                {"error":{"message":"Incorrect API key provided: sk-upst****chat",
                                 "type":"invalid_request_error","code":"invalid_api_key"}}""")));

                Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\"}");
                Response background = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"background\":true}");
                JsonNode ended = BackgroundApiTest.awaitStatus(ResponsesApiTest::acme,
                        background.jsonPath().getString("id"), "failed");

                assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
                assertThat(r.jsonPath().getString("error.type")).isEqualTo("server_error");
                assertThat(r.jsonPath().getString("error.code")).isEqualTo("upstream_authentication_failed");
                assertThat(r.asString()).doesNotContain("sk-").contains("operator");
                assertThat(ended.at("/error/code").asText()).isEqualTo("upstream_authentication_failed");
                assertThat(ended.toString()).doesNotContain("sk-");
            }
        }

        @Test
        void anUnreachableProviderIsABadGatewayThatNamesNoAddress() {
            Response r = create(acme(), "{\"model\":\"down-model\",\"input\":\"x\"}");

            assertThat(r.statusCode()).as(r.asString()).isEqualTo(502);
            assertThat(r.jsonPath().getString("error.message")).isEqualTo(
                    "The model provider could not be reached; try again later.");
            assertThat(r.asString()).doesNotContain("127.0.0.1").doesNotContain("Exception").doesNotContain("netty");
        }

        @Test
        void aHostedToolNeitherTheChatProviderNorKaiwaCanRunIs400() {
            Response r = create(acme(), "{\"model\":\"gpt-chat\",\"input\":\"x\",\"tools\":[{\"type\":"
                    + "\"web_search\"},{\"type\":\"file_search\"}]}");

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.jsonPath().getString("error.param")).isEqualTo("tools[1].type");
            assertThat(r.jsonPath().getString("error.message")).contains("file_search");
        }
    }

    static String providerResponse(String id, String text) {
        return """
                {"id":"%s","object":"response","created_at":%d,"model":"qwen3-max-2026-01-23","status":"completed",
                 "output":[{"id":"msg_%s","type":"message","role":"assistant","status":"completed",
                 "content":[{"type":"output_text","text":"%s","annotations":[]}]}],
                 "usage":{"input_tokens":20,"output_tokens":5,"total_tokens":25}}"""
                .formatted(id, System.currentTimeMillis() / 1000, id, text);
    }
}
