package io.kaiwa.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Benchmark, run by hand ({@code ./mvnw -pl integration-tests verify -Dkaiwa.it.excluded-groups=none
 * -Dit.test=ToolLoopTransportIT}): a 20-step tool loop (the model calls a function 20 times, the client answers each
 * call with {@code previous_response_id} and the output, then the model answers) against the packaged service,
 * over HTTP (whole answers, and streamed) and over the WebSocket mode (stored responses, and {@code store: false}
 * ones continued from the connection), one after the other in one run. The provider is a small HTTP server in this
 * JVM that answers at once (a tool call until the conversation holds 20 tool outputs), so what is measured is the
 * service and the transport. Writes {@code target/bench/tool-loop-transports.md}.
 */
@Tag("bench")
class ToolLoopTransportIT {
    static final int STEPS = 20;
    static final int WARMUP = 15;
    static final int LOOPS = 40;
    static final ObjectMapper JSON = new ObjectMapper();
    static final Pattern TOOL_OUTPUTS = Pattern.compile("\"role\":\"tool\"");
    static final String TOOLS = "[{\"type\":\"function\",\"name\":\"step\",\"description\":\"Does one step\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}]";

    /** A chat provider that calls the tool until the conversation holds {@value #STEPS} outputs, then answers. */
    static HttpServer provider() throws IOException {
        // Without it the JDK's server leaves each answer's body to Nagle's algorithm: about 40 ms per call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = TOOL_OUTPUTS.matcher(body);
            int outputs = 0;
            while (m.find()) {
                outputs++;
            }
            boolean stream = body.contains("\"stream\":true");
            String delta = outputs < STEPS
                    ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_" + outputs
                            + "\",\"type\":\"function\",\"function\":{\"name\":\"step\",\"arguments\":\"{\\\"n\\\":"
                            + outputs + "}\"}}]}"
                    : "{\"role\":\"assistant\",\"content\":\"done after " + outputs + " steps\"}";
            String finish = outputs < STEPS ? "tool_calls" : "stop";
            String answer;
            if (stream) {
                answer = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-chat\","
                        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":\"" + finish
                        + "\"}]}\n\ndata: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                        + "\"model\":\"gpt-chat\",\"choices\":[],\"usage\":{\"prompt_tokens\":50,"
                        + "\"completion_tokens\":5,\"total_tokens\":55}}\n\ndata: [DONE]\n\n";
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            } else {
                answer = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-chat\","
                        + "\"choices\":[{\"index\":0,\"message\":" + delta.replace("\"index\":0,", "")
                        + ",\"finish_reason\":\"" + finish + "\"}],\"usage\":{\"prompt_tokens\":50,"
                        + "\"completion_tokens\":5,\"total_tokens\":55}}";
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return server;
    }

    interface Loop {
        /** @return the final answer's text */
        String run() throws Exception;
    }

    @Test
    void aToolLoopOverWebSocketNextToHttp() throws Exception {
        HttpServer provider = provider();
        Path data = Files.createTempDirectory(Path.of("target"), "it-toolloop").toAbsolutePath();
        var env = ServiceProcess.environment(data, "http://127.0.0.1:" + provider.getAddress().getPort());
        env.put("KAIWA_PROVIDERS_CHAT_BASE_URL", "http://127.0.0.1:" + provider.getAddress().getPort() + "/v1");
        try (var service = ServiceProcess.start("tool-loop", env)) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = service.baseUrl();
            List<String[]> rows = new ArrayList<>();
            rows.add(measure("HTTP, whole answers (stored)", () -> overHttp(http, base, false)));
            rows.add(measure("HTTP, streamed (stored)", () -> overHttp(http, base, true)));
            rows.add(measure("WebSocket (stored)", () -> overSocket(http, base, true)));
            rows.add(measure("WebSocket, store: false (kept on the connection)", () -> overSocket(http, base, false)));

            var table = new StringBuilder("| transport | median ms per 20-step loop | p90 ms | ms per step (median) |\n"
                    + "|---|---|---|---|\n");
            rows.forEach(r -> table.append("| ").append(String.join(" | ", r)).append(" |\n"));
            String report = "A " + STEPS + "-step tool loop against the packaged service (" + LOOPS + " loops per row"
                    + " after " + WARMUP + " warm-up loops; the provider answers at once)\n\n" + table;
            Files.createDirectories(Path.of("target", "bench"));
            Files.writeString(Path.of("target", "bench", "tool-loop-transports.md"), report);
            System.out.println(report);
        } finally {
            provider.stop(0);
        }
    }

    static String[] measure(String name, Loop loop) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            assertThat(loop.run()).isEqualTo("done after " + STEPS + " steps");
        }
        long[] millis = new long[LOOPS];
        for (int i = 0; i < LOOPS; i++) {
            long start = System.nanoTime();
            assertThat(loop.run()).isEqualTo("done after " + STEPS + " steps");
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        long median = millis[LOOPS / 2];
        return new String[]{name, String.valueOf(median), String.valueOf(millis[LOOPS * 9 / 10]),
                String.format("%.1f", median / (double) (STEPS + 1))};
    }

    static ObjectNode first(boolean store) {
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-chat").put("input", "Run the steps.")
                .put("store", store);
        body.set("tools", read(TOOLS));
        return body;
    }

    static ObjectNode next(JsonNode response, boolean store) {
        JsonNode call = response.path("output").get(response.path("output").size() - 1);
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-chat").put("store", store)
                .put("previous_response_id", response.path("id").asText());
        body.putArray("input").addObject().put("type", "function_call_output")
                .put("call_id", call.path("call_id").asText()).put("output", "ok");
        body.set("tools", read(TOOLS));
        return body;
    }

    static boolean calls(JsonNode response) {
        JsonNode output = response.path("output");
        return output.size() > 0 && "function_call".equals(output.get(output.size() - 1).path("type").asText());
    }

    static String text(JsonNode response) {
        return response.at("/output/0/content/0/text").asText();
    }

    static String overHttp(HttpClient http, String base, boolean stream) throws Exception {
        ObjectNode body = first(true);
        while (true) {
            body.put("stream", stream);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/responses"))
                    .header("Authorization", "Bearer sk-acme-it").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode response = stream ? completed(r.body()) : read(r.body());
            if (!calls(response)) {
                return text(response);
            }
            body = next(response, true);
        }
    }

    static JsonNode completed(String sse) {
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ") && line.contains("\"type\":\"response.completed\"")) {
                return read(line.substring(6)).path("response");
            }
        }
        throw new AssertionError("no response.completed in " + sse);
    }

    static String overSocket(HttpClient http, String base, boolean store) throws Exception {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer sk-acme-it")
                .buildAsync(URI.create(base.replace("http://", "ws://") + "/v1/responses"), new WebSocket.Listener() {
                    final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            messages.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        try {
            ObjectNode body = first(store);
            while (true) {
                body.put("type", "response.create");
                ws.sendText(body.toString(), true).join();
                JsonNode response = null;
                while (response == null) {
                    String m = messages.poll(10, TimeUnit.SECONDS);
                    assertThat(m).as("an event within 10 s").isNotNull();
                    if (m.contains("\"type\":\"response.completed\"")) {
                        response = read(m).path("response");
                    } else if (m.startsWith("{\"type\":\"error\"") || m.contains("\"type\":\"response.failed\"")) {
                        throw new AssertionError(m);
                    }
                }
                if (!calls(response)) {
                    return text(response);
                }
                body = next(response, store);
            }
        } finally {
            ws.abort();
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(json, e);
        }
    }
}
