package io.kaiwa.responses;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.http.RetryPolicy;

/** The seeds' bodies and events, and Responses API answers written as DashScope and OpenAI send them. */
final class Fixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Fast retries, no jitter. */
    static final RetryPolicy QUICK_RETRIES = new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(200), 0);
    static final Duration WAIT = Duration.ofSeconds(10);

    private Fixtures() {
    }

    static String seed(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/seeds/responses/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing seed " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The seed's streamed events (07), in order. The page elides the events between sequence numbers 7 and 38
     * ("中間イベントは省略"); the ones after the elision are renumbered to follow on, everything else is verbatim.
     */
    static List<String> seedStreamEvents() {
        var events = new ArrayList<String>();
        for (String line : seed("07-streaming.chunks.jsonl").split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode event = (ObjectNode) tree(line);
            event.put("sequence_number", events.size());
            events.add(event.toString());
        }
        return events;
    }

    /** The seed stream's last event's response: what the same call answers without streaming. */
    static String seedStreamResponse() {
        List<String> events = seedStreamEvents();
        return tree(events.get(events.size() - 1)).get("response").toString();
    }

    /** Events as DashScope writes them: an {@code id:} line, the event name, a status comment, the data. */
    static String dashScopeSse(List<String> events) {
        var sb = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            String type = tree(events.get(i)).path("type").asText();
            sb.append("id:").append(i + 1).append('\n').append("event:").append(type).append('\n')
                    .append(":HTTP_STATUS/200\n").append("data:").append(events.get(i)).append("\n\n");
        }
        return sb.toString();
    }

    /** Events as OpenAI writes them: {@code event: } and {@code data: } lines. */
    static String openAiSse(List<String> events) {
        var sb = new StringBuilder();
        for (String e : events) {
            sb.append("event: ").append(tree(e).path("type").asText()).append("\ndata: ").append(e).append("\n\n");
        }
        return sb.toString();
    }

    /** A completed response object with one assistant message. */
    static String response(String id, String text, int input, int output) {
        return """
                {"id":"%s","object":"response","created_at":1769084048.0,"model":"qwen3-max-2026-01-23",
                 "status":"completed","output":[{"id":"msg_%s","type":"message","role":"assistant",
                 "status":"completed","content":[{"type":"output_text","text":%s,"annotations":[]}]}],
                 "usage":{"input_tokens":%d,"input_tokens_details":{"cached_tokens":0},"output_tokens":%d,
                 "output_tokens_details":{"reasoning_tokens":0},"total_tokens":%d}}"""
                .formatted(id, id, JSON.valueToTree(text).toString(), input, output, input + output);
    }

    /** Numbers a list of event objects, written without {@code sequence_number}, from 0. */
    static List<String> numbered(String... events) {
        var out = new ArrayList<String>();
        for (String e : events) {
            ObjectNode event = (ObjectNode) tree(e);
            event.put("sequence_number", out.size());
            out.add(event.toString());
        }
        return out;
    }
}
