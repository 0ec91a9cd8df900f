package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.not;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.kaiwa.it.OpenAiClientIT.chatAnswer;
import static io.kaiwa.it.OpenAiClientIT.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The Open Responses compliance suite (third-party, in {@code src/test/openresponses}, see its NOTICE.md) run against
 * the packaged service, once with a Chat Completions provider behind it and once with a Responses API provider, both
 * WireMock answering the suite's prompts as a model would. Every one of its tests must pass for both.
 */
class OpenResponsesConformanceIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SUITE = Path.of("src", "test", "openresponses");

    static WireMockServer upstream;
    static ServiceProcess service;
    static Path work;

    @BeforeAll
    static void start() throws IOException {
        Extras.assume(nodeVersion() >= 20, "needs Node.js 20 or newer and npm (.ci/run installs them)");
        work = Path.of("target", "openresponses").toAbsolutePath();
        copy(SUITE, work);
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        upstream.start();
        chatProvider();
        responsesProvider();
        Path data = Files.createTempDirectory(Path.of("target"), "it-conformance").toAbsolutePath();
        service = ServiceProcess.start("conformance",
                ServiceProcess.environment(data, "http://127.0.0.1:" + upstream.port()));
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt-chat", "qwen3-max-2026-01-23"})
    void everyTestOfTheSuitePasses(String model) throws Exception {
        Path out = work.resolve("results-" + model + ".json");
        Process run = new ProcessBuilder("bash", work.resolve("run.sh").toString(), service.baseUrl() + "/v1",
                "sk-acme-it", model).redirectOutput(out.toFile())
                .redirectError(work.resolve("run-" + model + ".log").toFile()).start();
        assertThat(run.waitFor(10, TimeUnit.MINUTES)).as("the suite finished").isTrue();
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(printed).as(Files.readString(work.resolve("run-" + model + ".log"))).startsWith("{");
        JsonNode results = JSON.readTree(printed);
        List<String> failed = new ArrayList<>();
        for (JsonNode r : results.path("results")) {
            if (!"passed".equals(r.path("status").asText())) {
                failed.add(r.path("id").asText() + " (" + r.path("status").asText() + "): " + r.path("errors"));
            }
        }
        System.out.printf("Open Responses compliance, %s: %s%n", model, results.path("summary"));
        assertThat(failed).as("tests not passed with " + model).isEmpty();
        assertThat(results.path("results").size()).isEqualTo(17);
    }

    // ---- the upstreams: answers a model would give to the suite's prompts ----

    static final String CHAT = "/chat/v1/chat/completions";
    static final String RESP = "/resp/v1/responses";
    static final String SUMMARIZER = "You keep the memory of a conversation";

    static void chatProvider() {
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(1).withRequestBody(containing(SUMMARIZER))
                .willReturn(json(chatAnswer("The user and the assistant agreed on a code word."))));
        String toolCall = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_w1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
                + "\"{\\\"location\\\":\\\"San Francisco, CA\\\"}\"}}]}";
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(2).withRequestBody(containing("get_weather"))
                .withRequestBody(not(containing("\"role\":\"tool\""))).withRequestBody(containing("\"stream\":true"))
                .willReturn(sse(chunk(toolCall, null) + chunk("{}", "tool_calls") + chatUsage() + "data: [DONE]\n\n")));
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(3).withRequestBody(containing("get_weather"))
                .withRequestBody(not(containing("\"role\":\"tool\""))).willReturn(json("""
                        {"id":"chatcmpl-w","object":"chat.completion","created":1769084048,"model":"gpt-chat",
                         "choices":[{"index":0,"message":%s,"finish_reason":"tool_calls"}],
                         "usage":{"prompt_tokens":40,"completion_tokens":12,"total_tokens":52}}"""
                        .formatted(toolCall.replace("\"index\":0,", "")))));
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(5).withRequestBody(containing("\"stream\":true"))
                .willReturn(sse(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
                        + chunk("{\"content\":\"Hello there, \"}", null) + chunk("{\"content\":\"friend.\"}", null)
                        + chunk("{}", "stop") + chatUsage() + "data: [DONE]\n\n")));
        upstream.stubFor(post(urlEqualTo(CHAT)).atPriority(6).willReturn(json(chatAnswer("Hello there, friend."))));
    }

    static String chatUsage() {
        return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":5,\"total_tokens\":25}}\n\n";
    }

    /** A DashScope Responses API provider, in the shapes of the Model Studio documentation's examples. */
    static void responsesProvider() {
        upstream.stubFor(post(urlEqualTo(RESP)).atPriority(1).withRequestBody(containing(SUMMARIZER))
                .willReturn(json(responsesMessage("resp-sum", "The user and the assistant agreed on a code word."))));
        String call = "{\"id\":\"fc_w1\",\"type\":\"function_call\",\"status\":\"completed\",\"call_id\":\"call_w1\","
                + "\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\":\\\"San Francisco, CA\\\"}\"}";
        upstream.stubFor(post(urlEqualTo(RESP)).atPriority(2).withRequestBody(containing("get_weather"))
                .withRequestBody(containing("\"stream\":true")).willReturn(sse(responsesEvents("resp-w", List.of(
                        "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"fc_w1\","
                                + "\"type\":\"function_call\",\"status\":\"in_progress\",\"call_id\":\"call_w1\","
                                + "\"name\":\"get_weather\",\"arguments\":\"\"}}",
                        "{\"type\":\"response.function_call_arguments.delta\",\"output_index\":0,\"item_id\":\"fc_w1\","
                                + "\"delta\":\"{\\\"location\\\":\\\"San Francisco, CA\\\"}\"}",
                        "{\"type\":\"response.function_call_arguments.done\",\"output_index\":0,\"item_id\":\"fc_w1\","
                                + "\"arguments\":\"{\\\"location\\\":\\\"San Francisco, CA\\\"}\"}",
                        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + call + "}"),
                        "[" + call + "]"))));
        upstream.stubFor(post(urlEqualTo(RESP)).atPriority(3).withRequestBody(containing("get_weather"))
                .willReturn(json(responsesObject("resp-w", "[" + call + "]"))));
        String message = "{\"id\":\"msg_r1\",\"type\":\"message\",\"role\":\"assistant\",\"status\":\"completed\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"Hello there, friend.\",\"annotations\":[],"
                + "\"logprobs\":null}]}";
        upstream.stubFor(post(urlEqualTo(RESP)).atPriority(5).withRequestBody(containing("\"stream\":true"))
                .willReturn(sse(responsesEvents("resp-r1", List.of(
                        "{\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"id\":\"msg_r1\","
                                + "\"type\":\"message\",\"role\":\"assistant\",\"status\":\"in_progress\",\"content\":[]}}",
                        "{\"type\":\"response.content_part.added\",\"output_index\":0,\"item_id\":\"msg_r1\","
                                + "\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[],"
                                + "\"logprobs\":null}}",
                        "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"item_id\":\"msg_r1\","
                                + "\"content_index\":0,\"delta\":\"Hello there, \",\"logprobs\":[]}",
                        "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"item_id\":\"msg_r1\","
                                + "\"content_index\":0,\"delta\":\"friend.\",\"logprobs\":[]}",
                        "{\"type\":\"response.output_text.done\",\"output_index\":0,\"item_id\":\"msg_r1\","
                                + "\"content_index\":0,\"text\":\"Hello there, friend.\",\"logprobs\":[]}",
                        "{\"type\":\"response.content_part.done\",\"output_index\":0,\"item_id\":\"msg_r1\","
                                + "\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"Hello there, friend.\","
                                + "\"annotations\":[],\"logprobs\":null}}",
                        "{\"type\":\"response.output_item.done\",\"output_index\":0,\"item\":" + message + "}"),
                        "[" + message + "]"))));
        upstream.stubFor(post(urlEqualTo(RESP)).atPriority(6)
                .willReturn(json(responsesMessage("resp-r1", "Hello there, friend."))));
    }

    static String responsesMessage(String id, String text) {
        return responsesObject(id, "[{\"id\":\"msg_" + id + "\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + text
                + "\",\"annotations\":[],\"logprobs\":null}]}]");
    }

    /** A response object as DashScope's Responses API gives it: many fields null. */
    static String responsesObject(String id, String output) {
        return ("{\"id\":\"%s\",\"created_at\":1769417481.0,\"error\":null,\"incomplete_details\":null,"
                + "\"instructions\":null,\"metadata\":null,\"model\":\"qwen3-max-2026-01-23\",\"object\":\"response\","
                + "\"output\":%s,\"parallel_tool_calls\":false,\"temperature\":null,\"tool_choice\":\"auto\","
                + "\"tools\":[],\"top_p\":null,\"background\":null,\"completed_at\":null,\"conversation\":null,"
                + "\"max_output_tokens\":null,\"max_tool_calls\":null,\"previous_response_id\":null,\"prompt\":null,"
                + "\"prompt_cache_key\":null,\"reasoning\":null,\"safety_identifier\":null,\"service_tier\":null,"
                + "\"status\":\"completed\",\"text\":null,\"top_logprobs\":null,\"truncation\":null,"
                + "\"usage\":{\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":6,"
                + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":43},\"user\":null}")
                .formatted(id, output);
    }

    static String responsesEvents(String id, List<String> middle, String output) {
        String created = responsesObject(id, "[]").replace("\"completed\"", "\"queued\"").replace(
                "\"usage\":{\"input_tokens\":37,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":6,"
                        + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":43}",
                "\"usage\":null");
        List<String> events = new ArrayList<>();
        events.add("{\"type\":\"response.created\",\"response\":" + created + "}");
        events.add("{\"type\":\"response.in_progress\",\"response\":"
                + created.replace("\"queued\"", "\"in_progress\"") + "}");
        events.addAll(middle);
        events.add("{\"type\":\"response.completed\",\"response\":" + responsesObject(id, output) + "}");
        var sse = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            String e = events.get(i);
            String type = e.substring(9, e.indexOf('"', 9));
            sse.append("event: ").append(type).append('\n').append("data: ")
                    .append(e.substring(0, e.length() - 1)).append(",\"sequence_number\":").append(i).append("}\n\n");
        }
        return sse.toString();
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream").withBody(body);
    }

    // ---- the suite's runtime ----

    static int nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "-e", "process.stdout.write(process.versions.node.split('.')[0])")
                    .redirectErrorStream(true).start();
            String major = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && major.matches("\\d+")
                    && new ProcessBuilder("npm", "--version").start().waitFor() == 0 ? Integer.parseInt(major) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The suite is copied where npm may install its two packages; an earlier copy's packages are kept. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
    }
}
