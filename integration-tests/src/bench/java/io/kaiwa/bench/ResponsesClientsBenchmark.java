package io.kaiwa.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;

import io.kaiwa.bench.ClientBench.Scenario;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.http.RetryPolicy;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.responses.ResponsesAdapter;

/**
 * Client-side cost per turn of Kaiwa's Responses adapter against {@code com.openai:openai-java}'s Responses client,
 * doing the same calls: a conversation of {@code --turns} turns chained with {@code previous_response_id}, whole
 * answers and streamed ones (openai-java's {@code ResponseAccumulator} builds the streamed response, as Kaiwa's
 * stream ends with the turn). The upstream is WireMock in its own JVM, answering with the event sequence of the
 * Model Studio seed. Also reports the request body size at turns 1, 10 and the last, chained, next to the chat
 * adapter's for the same conversation.
 *
 * <p>
 * Run: {@code ./mvnw install -DskipTests && ./mvnw -Pbench -pl integration-tests verify} (runs both client
 * benchmarks). Writes {@code target/bench/responses-clients.md}.
 */
public final class ResponsesClientsBenchmark {
    static final String MODEL = "qwen3-max-2026-01-23";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponsesClientsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ClientBench.main(args, ResponsesClientsBenchmark::stub, "responses-clients.md",
                (base, openai, turns, rounds, warmup) -> {
                    try (var kaiwa = ResponsesAdapter.builder().baseUrl(base).apiKey("sk-bench").model(MODEL)
                            .retryPolicy(RetryPolicy.none()).build()) {
                        List<Scenario> scenarios = List.of(
                                new Scenario("Kaiwa responses-adapter", "whole", () -> kaiwaWhole(kaiwa, turns)),
                                new Scenario("openai-java", "whole", () -> openaiWhole(openai, turns)),
                                new Scenario("Kaiwa responses-adapter", "streamed",
                                        () -> kaiwaStreamed(kaiwa, turns)),
                                new Scenario("openai-java", "streamed", () -> openaiStreamed(openai, turns)));
                        ClientBench.measure(scenarios, turns, rounds, warmup);
                        return ClientBench.table("Client cost per turn, " + turns
                                + "-turn Responses conversation chained with previous_response_id, " + rounds
                                + " conversations per row", scenarios)
                                + "\nRequest body bytes per turn of the same conversation: Responses adapter, "
                                + "chained: " + ClientBench.sizesAt(requestSizes(base, turns))
                                + "; chat adapter, history sent again: "
                                + ClientBench.sizesAt(ChatClientsBenchmark.requestSizes(base, turns)) + "\n";
                    }
                });
    }

    /** @return the request body size of every turn of one chained conversation */
    static List<Integer> requestSizes(String base, int turns) {
        return ClientBench.requestSizes(transport -> () -> {
            try (var adapter = ResponsesAdapter.builder().baseUrl(base).apiKey("sk-bench").model(MODEL)
                    .transport(transport).build()) {
                kaiwaWhole(adapter, turns);
            }
        });
    }

    private static void stub(WireMockProcess upstream) {
        upstream.admin.register(post(urlEqualTo("/v1/responses")).atPriority(1)
                .withRequestBody(containing("\"stream\":true")).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/event-stream").withBody(streamBody())));
        upstream.admin.register(post(urlEqualTo("/v1/responses")).atPriority(2).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(response("completed"))));
        // The chat adapter's request sizes are measured against the same upstream.
        ChatClientsBenchmark.stub(upstream);
    }

    /** A response object with every field the seed's carries, as DashScope sends it. */
    static String response(String status) {
        boolean done = status.equals("completed");
        ObjectNode r = JSON.createObjectNode();
        r.put("id", "resp_bench_47a71e7d-868c-4204-9693-ef8ff9058");
        // Now, not the seed's date: a response older than seven days is (rightly) not chained from.
        r.put("created_at", System.currentTimeMillis() / 1000.0);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.putNull("instructions");
        r.putNull("metadata");
        r.put("model", MODEL);
        r.put("object", "response");
        var output = r.putArray("output");
        if (done) {
            output.add(message("completed", ChatClientsBenchmark.ANSWER));
        }
        r.put("parallel_tool_calls", false);
        r.putNull("temperature");
        r.put("tool_choice", "auto");
        r.putArray("tools");
        r.putNull("top_p");
        r.putNull("previous_response_id");
        r.put("status", status);
        if (done) {
            var usage = r.putObject("usage");
            usage.put("input_tokens", 1200);
            usage.putObject("input_tokens_details").put("cached_tokens", 1024);
            usage.put("output_tokens", 150);
            usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
            usage.put("total_tokens", 1350);
        } else {
            r.putNull("usage");
        }
        return r.toString();
    }

    private static ObjectNode message(String status, String text) {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", "msg_16db29d6-c1d3-47d7-9177-0fba81964");
        var content = m.putArray("content");
        if (text != null) {
            content.add(part(text));
        }
        m.put("role", "assistant");
        m.put("status", status);
        m.put("type", "message");
        return m;
    }

    private static ObjectNode part(String text) {
        ObjectNode p = JSON.createObjectNode();
        p.putArray("annotations");
        p.put("text", text);
        p.put("type", "output_text");
        p.putArray("logprobs");
        return p;
    }

    /** The seed's event sequence (07-streaming), the answer in 12-character deltas. */
    static String streamBody() {
        var sb = new StringBuilder();
        int[] seq = {0};
        java.util.function.Consumer<ObjectNode> emit = event -> {
            event.put("sequence_number", seq[0]++);
            sb.append("event: ").append(event.get("type").asText()).append("\ndata: ").append(event).append("\n\n");
        };
        emit.accept(event("response.created").set("response", tree(response("queued"))));
        emit.accept(event("response.in_progress").set("response", tree(response("in_progress"))));
        emit.accept(event("response.output_item.added").put("output_index", 0).set("item",
                message("in_progress", null)));
        ObjectNode added = event("response.content_part.added").put("content_index", 0)
                .put("item_id", "msg_16db29d6-c1d3-47d7-9177-0fba81964").put("output_index", 0);
        added.set("part", part(""));
        emit.accept(added);
        String answer = ChatClientsBenchmark.ANSWER;
        for (int i = 0; i < answer.length(); i += 12) {
            ObjectNode delta = event("response.output_text.delta").put("content_index", 0)
                    .put("delta", answer.substring(i, Math.min(answer.length(), i + 12)))
                    .put("item_id", "msg_16db29d6-c1d3-47d7-9177-0fba81964").put("output_index", 0);
            delta.putArray("logprobs");
            emit.accept(delta);
        }
        ObjectNode textDone = event("response.output_text.done").put("content_index", 0)
                .put("item_id", "msg_16db29d6-c1d3-47d7-9177-0fba81964").put("output_index", 0)
                .put("text", answer);
        textDone.putArray("logprobs");
        emit.accept(textDone);
        ObjectNode partDone = event("response.content_part.done").put("content_index", 0)
                .put("item_id", "msg_16db29d6-c1d3-47d7-9177-0fba81964").put("output_index", 0);
        partDone.set("part", part(answer));
        emit.accept(partDone);
        emit.accept(event("response.output_item.done").put("output_index", 0).set("item",
                message("completed", answer)));
        emit.accept(event("response.completed").set("response", tree(response("completed"))));
        return sb.toString();
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void kaiwaWhole(ResponsesAdapter adapter, int turns) {
        Conversation c = Conversation.builder().instructions(ChatClientsBenchmark.SYSTEM).build();
        for (int t = 1; t <= turns; t++) {
            Turn turn = adapter.send(c, List.of(MessageItem.user(ChatClientsBenchmark.question(t)))).await()
                    .indefinitely();
            c = c.withTurn(turn);
        }
        check(c.lastTurn().outputText(), c.lastTurn().chaining().isChained());
    }

    private static void kaiwaStreamed(ResponsesAdapter adapter, int turns) {
        Conversation c = Conversation.builder().instructions(ChatClientsBenchmark.SYSTEM).build();
        for (int t = 1; t <= turns; t++) {
            StreamEvent last = adapter.stream(c, List.of(MessageItem.user(ChatClientsBenchmark.question(t))))
                    .collect().last().await().indefinitely();
            c = c.withTurn(((StreamEvent.Completed) last).turn());
        }
        check(c.lastTurn().outputText(), c.lastTurn().chaining().isChained());
    }

    private static ResponseCreateParams params(int turn, String previous) {
        var params = ResponseCreateParams.builder().model(MODEL).instructions(ChatClientsBenchmark.SYSTEM)
                .input(ChatClientsBenchmark.question(turn));
        if (previous != null) {
            params.previousResponseId(previous);
        }
        return params.build();
    }

    private static void openaiWhole(OpenAIClient client, int turns) {
        String previous = null;
        String last = null;
        for (int t = 1; t <= turns; t++) {
            Response response = client.responses().create(params(t, previous));
            previous = response.id();
            last = text(response);
        }
        check(last, true);
    }

    private static void openaiStreamed(OpenAIClient client, int turns) {
        String previous = null;
        String last = null;
        for (int t = 1; t <= turns; t++) {
            var accumulator = ResponseAccumulator.create();
            try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params(t, previous))) {
                stream.stream().forEach(accumulator::accumulate);
            }
            Response response = accumulator.response();
            previous = response.id();
            last = text(response);
        }
        check(last, true);
    }

    private static String text(Response response) {
        var sb = new StringBuilder();
        response.output().forEach(item -> item.message().ifPresent(m -> m.content()
                .forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text())))));
        return sb.toString();
    }

    private static void check(String answer, boolean chained) {
        if (!ChatClientsBenchmark.ANSWER.equals(answer) || !chained) {
            throw new IllegalStateException("unexpected answer (chained: " + chained + "): " + answer);
        }
    }
}
