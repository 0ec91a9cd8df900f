package io.kaiwa.core.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.kaiwa.core.sse.SseDecoder;
import io.kaiwa.core.sse.SseEvent;

/**
 * How fast {@link SseDecoder} turns a Responses API event stream into {@link SseEvent}s, measured against
 * Jackson's own parse speed for the same JSON.
 *
 * <p>
 * The stream, built once in setup, is exactly {@value #STREAM_BYTES} bytes (1 MiB) of UTF-8: streamed responses
 * as DashScope's Responses API sends them, one after another. Each response is {@code response.created},
 * {@code response.in_progress}, {@code response.output_item.added}, {@code response.content_part.added}, then
 * {@value #DELTAS_PER_RESPONSE} {@code response.output_text.delta} events of mixed Japanese and English text
 * (with Markdown, escaped quotes and newlines, and an emoji), then {@code response.output_text.done},
 * {@code response.content_part.done}, {@code response.output_item.done} and {@code response.completed}, the last
 * four repeating the full text. Every frame is an {@code event:} line and a {@code data:} line ended by a blank
 * line; every tenth frame also carries an {@code id:} line, and each response opens with a
 * {@code :HTTP_STATUS/200} comment. That is 13 responses, the last cut short where the budget ends, then a
 * comment line of about 3.5 KB padding to the exact size: about 3,220 events (3,120 of them deltas) whose JSON is
 * about 910 KB, 87% of the stream (setup prints the exact counts).
 *
 * <ul>
 * <li>{@code sseDecoder}: the whole stream fed to a new decoder in {@value #CHUNK_BYTES}-byte chunks, as socket
 * reads deliver it (so lines and UTF-8 characters are split across chunks), every event consumed.
 * <li>{@code jacksonParseSameBytes}: the baseline, Jackson's streaming parser over exactly the JSON the events
 * carry (one value per line), reading every token and materialising every field name, string and number, as the
 * decoder materialises each event's data as a {@code String}. <b>The goal is {@code sseDecoder} within 2x of
 * this.</b>
 * <li>{@code sseDecoderThenJacksonTree}: decoding, then {@code ObjectMapper.readTree} of each event's data: the
 * path a streaming adapter takes, for information.
 * </ul>
 *
 * <p>
 * Times are per operation, one whole stream, in microseconds. Each operation covers {@value #STREAM_BYTES} bytes
 * of stream, so throughput in MB/s (10<sup>6</sup> bytes) is {@code STREAM_BYTES / (µs/op)}: 2,000 µs/op is 524
 * MB/s.
 *
 * <p>
 * Run with {@code ./mvnw -Pbench -pl core verify}, or only these benchmarks with an allocation profile:
 * {@code ./mvnw -Pbench -pl core verify -Djmh.args="SseDecode -prof gc"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class SseDecodeBenchmark {
    /** The bytes of event stream each operation processes: exactly 1 MiB. */
    public static final int STREAM_BYTES = 1_048_576;
    /** The size of the chunks the stream is fed in. */
    public static final int CHUNK_BYTES = 8 * 1024;
    /** The {@code response.output_text.delta} events of each streamed response. */
    public static final int DELTAS_PER_RESPONSE = 240;

    private static final int ID_EVERY = 10;
    private static final String MODEL = "qwen3-max-2026-01-23";
    private static final long CREATED_AT = 1769417481L;
    /** Text deltas as Qwen streams them: a few characters to a phrase, Japanese and English mixed. */
    private static final String[] DELTAS = {"人工知能", " (Art", "ificial Intelligence,", " 略して AI)", " は、人間の知的行動を",
            "シミュレートする", "コンピューターシステムの", "技術と科学です。", "\n\n- **学習**", " (データを用いた", "モデルのトレーニングなど)",
            "\n- **推論**", " (論理的な判断や問題解決など)", "\n\nLarge language", " models such as", " Qwen generate text",
            " one token at a time,", " and the server streams", " each delta as an", " SSE event.", " ストリーミングでは、",
            "各トークンが届き次第", "画面に表示されます", " 😊", " For example, \"hello\"", " becomes 「こんにちは」", " in Japanese.",
            " 分野で広く利用されており、私たちの", " 生活や仕事を", "大きく変えています。", "\n\n", "Tokens/sec", " depends on the",
            " model size."};

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private byte[] stream;
    private byte[] payloads;
    private int events;

    @Setup
    public void buildStream() throws IOException {
        var builder = new StreamBuilder();
        for (int n = 0; !builder.full; n++) {
            builder.response(n);
        }
        stream = builder.stream();
        payloads = builder.payloads.toByteArray();
        events = builder.frames;
        check();
        System.out.printf("stream bytes: %,d; events: %,d; JSON payload bytes: %,d%n", stream.length, events,
                payloads.length);
    }

    /**
     * @param bh consumes each event
     * @return the number of events
     */
    @Benchmark
    public int sseDecoder(Blackhole bh) {
        var sink = new Consuming(bh);
        feed(new SseDecoder(), sink);
        return sink.count;
    }

    /**
     * @param bh consumes each token's value
     * @return the number of tokens
     * @throws IOException never: the JSON is well-formed
     */
    @Benchmark
    public int jacksonParseSameBytes(Blackhole bh) throws IOException {
        int tokens = 0;
        try (JsonParser p = JSON.createParser(payloads)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                tokens++;
                switch (t) {
                    case FIELD_NAME -> bh.consume(p.currentName());
                    case VALUE_STRING -> bh.consume(p.getText());
                    case VALUE_NUMBER_INT -> bh.consume(p.getLongValue());
                    case VALUE_NUMBER_FLOAT -> bh.consume(p.getDoubleValue());
                    default -> bh.consume(t);
                }
            }
        }
        return tokens;
    }

    /**
     * @param bh consumes each event's tree
     * @return the number of events
     */
    @Benchmark
    public int sseDecoderThenJacksonTree(Blackhole bh) {
        var sink = new ReadingTrees(bh);
        feed(new SseDecoder(), sink);
        return sink.count;
    }

    private void feed(SseDecoder decoder, Consumer<SseEvent> sink) {
        for (int offset = 0; offset < stream.length; offset += CHUNK_BYTES) {
            decoder.feed(stream, offset, Math.min(CHUNK_BYTES, stream.length - offset), sink);
        }
    }

    /** Fails the run unless the decoder yields exactly the payloads and Jackson reads one object per event. */
    private void check() throws IOException {
        var decoded = new ByteArrayOutputStream(payloads.length);
        var decoder = new SseDecoder();
        feed(decoder, event -> {
            decoded.writeBytes(event.data().getBytes(StandardCharsets.UTF_8));
            decoded.write('\n');
        });
        if (decoder.hasPartialEvent() || !Arrays.equals(decoded.toByteArray(), payloads)) {
            throw new IllegalStateException("the decoder did not return the JSON the stream carries");
        }
        int objects = 0;
        try (JsonParser p = JSON.createParser(payloads)) {
            // Each token read here opens a root-level value; skipChildren moves to its end.
            while (p.nextToken() == JsonToken.START_OBJECT) {
                objects++;
                p.skipChildren();
            }
        }
        if (objects != events) {
            throw new IllegalStateException("Jackson read " + objects + " objects for " + events + " events");
        }
    }

    private static final class Consuming implements Consumer<SseEvent> {
        private final Blackhole bh;
        private int count;

        Consuming(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void accept(SseEvent event) {
            bh.consume(event);
            count++;
        }
    }

    private static final class ReadingTrees implements Consumer<SseEvent> {
        private final Blackhole bh;
        private int count;

        ReadingTrees(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void accept(SseEvent event) {
            try {
                bh.consume(MAPPER.readTree(event.data()));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            count++;
        }
    }

    /** The fields of one event's JSON object before its {@code sequence_number} and {@code type}. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** Appends frames until the next would not fit, then pads to {@link #STREAM_BYTES} with a comment. */
    private static final class StreamBuilder {
        /** The shortest comment line, {@code ":\n"}, that pads the stream to its exact size. */
        private static final int MIN_PADDING = 2;

        private final ByteArrayOutputStream stream = new ByteArrayOutputStream(STREAM_BYTES);
        private final ByteArrayOutputStream payloads = new ByteArrayOutputStream(STREAM_BYTES);
        private int frames;
        private boolean full;

        void response(int n) throws IOException {
            String id = uuid("response-" + n);
            String messageId = "msg_" + uuid("message-" + n);
            long createdAt = CREATED_AT + n;
            int seq = 0;
            event("response.created", seq++, g -> writeResponse(g, id, messageId, createdAt, "queued", null));
            event("response.in_progress", seq++, g -> writeResponse(g, id, messageId, createdAt, "in_progress", null));
            event("response.output_item.added", seq++, g -> {
                g.writeFieldName("item");
                message(g, messageId, "in_progress", null);
                g.writeNumberField("output_index", 0);
            });
            event("response.content_part.added", seq++, g -> {
                g.writeNumberField("content_index", 0);
                g.writeStringField("item_id", messageId);
                g.writeNumberField("output_index", 0);
                g.writeFieldName("part");
                outputText(g, "");
            });
            var text = new StringBuilder();
            for (int i = 0; i < DELTAS_PER_RESPONSE; i++) {
                String delta = DELTAS[(n * 7 + i) % DELTAS.length];
                text.append(delta);
                event("response.output_text.delta", seq++, g -> {
                    g.writeNumberField("content_index", 0);
                    g.writeStringField("delta", delta);
                    g.writeStringField("item_id", messageId);
                    g.writeArrayFieldStart("logprobs");
                    g.writeEndArray();
                    g.writeNumberField("output_index", 0);
                });
            }
            String whole = text.toString();
            event("response.output_text.done", seq++, g -> {
                g.writeNumberField("content_index", 0);
                g.writeStringField("item_id", messageId);
                g.writeArrayFieldStart("logprobs");
                g.writeEndArray();
                g.writeNumberField("output_index", 0);
                g.writeStringField("text", whole);
            });
            event("response.content_part.done", seq++, g -> {
                g.writeNumberField("content_index", 0);
                g.writeStringField("item_id", messageId);
                g.writeNumberField("output_index", 0);
                g.writeFieldName("part");
                outputText(g, whole);
            });
            event("response.output_item.done", seq++, g -> {
                g.writeFieldName("item");
                message(g, messageId, "completed", whole);
                g.writeNumberField("output_index", 0);
            });
            event("response.completed", seq, g -> writeResponse(g, id, messageId, createdAt, "completed", whole));
        }

        private void event(String type, int sequence, Fields fields) throws IOException {
            if (full) {
                return;
            }
            var json = new ByteArrayOutputStream(512);
            try (JsonGenerator g = JSON.createGenerator(json)) {
                g.writeStartObject();
                fields.write(g);
                g.writeNumberField("sequence_number", sequence);
                g.writeStringField("type", type);
                g.writeEndObject();
            }
            frame(type, sequence == 0, json.toByteArray());
        }

        private void frame(String type, boolean opensResponse, byte[] data) {
            var head = new StringBuilder(64);
            if (opensResponse) {
                head.append(":HTTP_STATUS/200\n");
            }
            if (frames % ID_EVERY == 0) {
                head.append("id: ").append(frames).append('\n');
            }
            head.append("event: ").append(type).append("\ndata: ");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            if (stream.size() + headBytes.length + data.length + 2 + MIN_PADDING > STREAM_BYTES) {
                full = true;
                return;
            }
            stream.writeBytes(headBytes);
            stream.writeBytes(data);
            stream.write('\n');
            stream.write('\n');
            payloads.writeBytes(data);
            payloads.write('\n');
            frames++;
        }

        byte[] stream() {
            int gap = STREAM_BYTES - stream.size();
            stream.writeBytes((":" + " ".repeat(gap - MIN_PADDING) + "\n").getBytes(StandardCharsets.US_ASCII));
            return stream.toByteArray();
        }

        private static String uuid(String name) {
            return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
        }

        /** A {@code response} object shaped as DashScope sends it, with the full text once completed. */
        private static void writeResponse(JsonGenerator g, String id, String messageId, long createdAt, String status,
                String text) throws IOException {
            g.writeObjectFieldStart("response");
            g.writeStringField("id", id);
            g.writeFieldName("created_at");
            g.writeNumber(createdAt + ".0");
            nulls(g, "error", "incomplete_details", "instructions", "metadata");
            g.writeStringField("model", text == null ? "" : MODEL);
            g.writeStringField("object", "response");
            g.writeArrayFieldStart("output");
            if (text != null) {
                message(g, messageId, "completed", text);
            }
            g.writeEndArray();
            g.writeBooleanField("parallel_tool_calls", false);
            g.writeNullField("temperature");
            g.writeStringField("tool_choice", "auto");
            g.writeArrayFieldStart("tools");
            g.writeEndArray();
            nulls(g, "top_p", "background", "completed_at", "conversation", "max_output_tokens", "max_tool_calls",
                    "previous_response_id", "prompt", "prompt_cache_key", "prompt_cache_retention", "reasoning",
                    "safety_identifier", "service_tier");
            g.writeStringField("status", status);
            nulls(g, "text", "top_logprobs", "truncation");
            if (text == null) {
                g.writeNullField("usage");
            } else {
                g.writeObjectFieldStart("usage");
                g.writeNumberField("input_tokens", 37);
                g.writeObjectFieldStart("input_tokens_details");
                g.writeNumberField("cached_tokens", 0);
                g.writeEndObject();
                g.writeNumberField("output_tokens", DELTAS_PER_RESPONSE);
                g.writeObjectFieldStart("output_tokens_details");
                g.writeNumberField("reasoning_tokens", 0);
                g.writeEndObject();
                g.writeNumberField("total_tokens", 37 + DELTAS_PER_RESPONSE);
                g.writeEndObject();
            }
            g.writeNullField("user");
            g.writeEndObject();
        }

        /** An assistant {@code message} item, with no content before its text is known. */
        private static void message(JsonGenerator g, String id, String status, String text) throws IOException {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeArrayFieldStart("content");
            if (text != null) {
                outputText(g, text);
            }
            g.writeEndArray();
            g.writeStringField("role", "assistant");
            g.writeStringField("status", status);
            g.writeStringField("type", "message");
            g.writeEndObject();
        }

        private static void outputText(JsonGenerator g, String text) throws IOException {
            g.writeStartObject();
            g.writeArrayFieldStart("annotations");
            g.writeEndArray();
            g.writeStringField("text", text);
            g.writeStringField("type", "output_text");
            g.writeNullField("logprobs");
            g.writeEndObject();
        }

        private static void nulls(JsonGenerator g, String... fields) throws IOException {
            for (String field : fields) {
                g.writeNullField(field);
            }
        }
    }
}
