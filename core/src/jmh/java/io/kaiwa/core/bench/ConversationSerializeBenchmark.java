package io.kaiwa.core.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.Usage;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.context.ContextWindow;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.item.Role;
import io.kaiwa.core.json.KaiwaJson;

/**
 * How long it takes to build the Responses API request body for the next turn of a long conversation: the
 * stateless path, where the whole history is replayed on every request.
 *
 * <p>
 * Setup builds a conversation of {@value #TURNS} completed turns with the keep-all context policy. Each turn's
 * input is one user message of about 200 characters of mixed Japanese and English; its output is an assistant
 * message with one {@code output_text} of about 600 characters (Markdown, a table, escaped quotes), preceded on
 * every 4th turn by a reasoning item (a summary of about 400 characters) and on every 5th by a
 * {@code function_call} and its {@code function_call_output}; every turn has usage.
 *
 * <p>
 * One operation selects the {@link ContextWindow} for a new user message, flattens it to items and writes
 * {@code {"model", "instructions", "input": [...], "stream": false}} with {@link KaiwaJson#writeItems} to a
 * reused {@link ByteArrayOutputStream} through a shared {@link JsonFactory}:
 *
 * <ul>
 * <li>{@code serializeRequestJson}: with reasoning replayed ({@link ReasoningReplay#KEEP}): 531 items, 367,233
 * bytes of UTF-8 JSON;
 * <li>{@code serializeRequestJsonOmitReasoning}: without it ({@link ReasoningReplay#OMIT}): 481 items, 332,345
 * bytes.
 * </ul>
 *
 * <p>
 * Setup prints the exact sizes ({@code request bytes: N}). Times are per request body in microseconds, so
 * bytes / (µs/op) is the write speed in MB/s.
 *
 * <p>
 * Run with {@code ./mvnw -Pbench -pl core verify}, or only these benchmarks with an allocation profile:
 * {@code ./mvnw -Pbench -pl core verify -Djmh.args="ConversationSerialize -prof gc"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ConversationSerializeBenchmark {
    /** The turns of history every request replays. */
    public static final int TURNS = 200;

    private static final String MODEL = "qwen3-max";
    private static final String INSTRUCTIONS = "あなたは東京の観光案内をする丁寧なアシスタントです。"
            + "You are a concise, friendly travel assistant for Tokyo: answer in the user's language and give "
            + "opening hours when they matter.";
    private static final String[] USER = {"東京で週末に行けるおすすめの美術館を教えてください。",
            " Also, which ones are open late on Fridays?", " 予算は一人3000円くらいです。",
            " I'd prefer somewhere quiet, not too crowded.", " 子ども連れでも大丈夫な場所がいいです。",
            " Could you compare the top two options in a table?", " 交通手段は電車を使う予定です。",
            " Please answer in Japanese, with English names in parentheses."};
    private static final String[] ASSISTANT = {"承知しました。以下におすすめをまとめます。\n\n",
            "- **国立西洋美術館** (National Museum of Western Art): 上野駅から徒歩1分。", " 金曜日と土曜日は20時まで開館しています。\n",
            "- **森美術館** (Mori Art Museum): 六本木ヒルズ53階にあり、",
            " open until 22:00 on most days, which makes it ideal for a late visit.\n",
            "- **東京都現代美術館** (MOT): 清澄白河駅から徒歩9分で、比較的空いています。\n\n",
            "| 美術館 | 料金 | 閉館時間 |\n|---|---|---|\n| 国立西洋美術館 | 500円 | 20:00 (金・土) |\n", "| 森美術館 | 2,000円 | 22:00 |\n\n",
            "どちらも子ども連れで訪れやすく、\"ベビーカー\"の貸し出しもあります。",
            " If you tell me which day you plan to go, I can check the current exhibitions for you."};
    private static final String[] REASONING = {"ユーザーは東京の美術館について尋ねている。",
            " The budget is about 3,000 yen per person, so admission fees matter.", " 金曜日の夜間開館を確認する必要がある。",
            " Mori Art Museum is open late; the National Museum of Western Art opens late on Fridays and Saturdays.",
            " 子ども連れという条件も考慮して、混雑の少ない場所を優先する。",
            " I should present a comparison table and keep the answer concise."};

    private static final JsonFactory JSON = new JsonFactory();

    private Conversation conversation;
    private List<Item> newInput;
    private ByteArrayOutputStream buffer;

    @Setup
    public void buildConversation() throws IOException {
        var builder = Conversation.builder().id("bench").model(MODEL).instructions(INSTRUCTIONS);
        for (int i = 0; i < TURNS; i++) {
            builder.addTurn(turn(i));
        }
        conversation = builder.build();
        newInput = List.of(MessageItem.user(text(USER, TURNS, 200)));
        buffer = new ByteArrayOutputStream(1 << 20);
        int kept = writeRequest(ReasoningReplay.KEEP);
        int omitted = writeRequest(ReasoningReplay.OMIT);
        System.out.printf("request bytes: %,d with reasoning (%d items), %,d without (%d items)%n", kept,
                items(ReasoningReplay.KEEP), omitted, items(ReasoningReplay.OMIT));
    }

    /**
     * @param bh consumes the body's size
     * @throws IOException never: the buffer is in memory
     */
    @Benchmark
    public void serializeRequestJson(Blackhole bh) throws IOException {
        bh.consume(writeRequest(ReasoningReplay.KEEP));
    }

    /**
     * @param bh consumes the body's size
     * @throws IOException never: the buffer is in memory
     */
    @Benchmark
    public void serializeRequestJsonOmitReasoning(Blackhole bh) throws IOException {
        bh.consume(writeRequest(ReasoningReplay.OMIT));
    }

    /** Writes the request body into {@link #buffer} and returns its size in bytes. */
    private int writeRequest(ReasoningReplay reasoning) throws IOException {
        ContextWindow window = ContextWindow.select(conversation, newInput);
        buffer.reset();
        try (JsonGenerator g = JSON.createGenerator(buffer)) {
            g.writeStartObject();
            g.writeStringField("model", conversation.model());
            g.writeStringField("instructions", window.instructions());
            g.writeFieldName("input");
            KaiwaJson.writeItems(g, window.items(reasoning));
            g.writeBooleanField("stream", false);
            g.writeEndObject();
        }
        return buffer.size();
    }

    private int items(ReasoningReplay reasoning) {
        return ContextWindow.select(conversation, newInput).items(reasoning).size();
    }

    private static Turn turn(int i) {
        String n = String.format("%04d", i);
        var output = new ArrayList<Item>(4);
        long reasoningTokens = 0;
        if (i % 4 == 3) {
            output.add(new ReasoningItem("rs_" + n, List.of(text(REASONING, i, 400)), null, null, "completed",
                    null));
            reasoningTokens = 180;
        }
        if (i % 5 == 4) {
            String callId = "call_" + n;
            output.add(new FunctionCallItem("fc_" + n, callId, "get_opening_hours",
                    "{\"museum\":\"国立西洋美術館\",\"date\":\"2026-02-06\"}", "completed", null));
            output.add(new FunctionCallOutputItem(callId,
                    "{\"museum\":\"国立西洋美術館\",\"open\":\"09:30\",\"close\":\"20:00\",\"note\":\"金曜日は夜間開館\"}"));
        }
        output.add(new MessageItem("msg_" + n, Role.ASSISTANT, List.of(new OutputText(text(ASSISTANT, i, 600))),
                "completed", null));
        long input = 150 + 420L * i;
        long cached = i == 0 ? 0 : input - 420;
        long outputTokens = 330 + reasoningTokens;
        return Turn.builder()
                .id("turn_" + n)
                .input(List.of(MessageItem.user(text(USER, i, 200))))
                .output(output)
                .usage(new Usage(input, outputTokens, input + outputTokens, cached, reasoningTokens, null))
                .build();
    }

    /** About {@code length} characters: the turn's number, then fragments of the pool from a turn-dependent one. */
    private static String text(String[] pool, int turn, int length) {
        var sb = new StringBuilder(length + 64);
        sb.append('(').append(turn + 1).append(") ");
        for (int k = turn; sb.length() < length; k++) {
            sb.append(pool[k % pool.length]);
        }
        return sb.toString();
    }
}
