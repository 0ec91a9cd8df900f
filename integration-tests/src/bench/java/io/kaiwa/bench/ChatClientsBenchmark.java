package io.kaiwa.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.util.ArrayList;
import java.util.List;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageParam;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionSystemMessageParam;
import com.openai.models.chat.completions.ChatCompletionUserMessageParam;

import io.kaiwa.bench.ClientBench.Scenario;
import io.kaiwa.chat.ChatCompletionsAdapter;
import io.kaiwa.core.Conversation;
import io.kaiwa.core.Turn;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.http.RetryPolicy;
import io.kaiwa.core.item.MessageItem;

/**
 * Client-side cost per turn of Kaiwa's chat adapter against the official {@code com.openai:openai-java} client,
 * doing the same calls: a conversation of {@code --turns} turns on Chat Completions, each turn sending the whole
 * history, whole answers and streamed ones. The upstream is WireMock in its own JVM on loopback, so this JVM's CPU
 * time and allocated bytes are the clients' alone.
 *
 * <p>
 * Run: {@code ./mvnw install -DskipTests && ./mvnw -Pbench -pl integration-tests verify}; options with
 * {@code -Dbench.args="--turns 50 --rounds 40 --warmup 40"}. Writes {@code target/bench/chat-clients.md}. For
 * steadier figures run the JVM pinned to one core and the upstream to another:
 * {@code taskset -c 0 java -Dbench.upstream.cpu=1 -cp ... io.kaiwa.bench.ChatClientsBenchmark ...}; with
 * {@code BENCH_ONLY=n} one scenario runs alone, for a profiler.
 */
public final class ChatClientsBenchmark {
    static final String SYSTEM = "あなたは役に立つアシスタントです。You answer briefly and precisely.";
    static final String ANSWER = ("Kaiwa は会話の履歴を管理します。It rebuilds the messages array on every turn, "
            + "drops reasoning_content, and keeps tool calls with their outputs. ").repeat(4);

    private ChatClientsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ClientBench.main(args, ChatClientsBenchmark::stub, "chat-clients.md", (base, openai, turns, rounds, warmup) -> {
            try (var kaiwa = ChatCompletionsAdapter.builder().baseUrl(base).apiKey("sk-bench").model("qwen-plus")
                    .retryPolicy(RetryPolicy.none()).build()) {
                List<Scenario> scenarios = List.of(
                        new Scenario("Kaiwa chat-adapter", "whole", () -> kaiwaWhole(kaiwa, turns)),
                        new Scenario("openai-java", "whole", () -> openaiWhole(openai, turns)),
                        new Scenario("Kaiwa chat-adapter", "streamed", () -> kaiwaStreamed(kaiwa, turns)),
                        new Scenario("openai-java", "streamed", () -> openaiStreamed(openai, turns)));
                ClientBench.measure(scenarios, turns, rounds, warmup);
                return ClientBench.table("Client cost per turn, " + turns + "-turn Chat Completions conversation, "
                        + rounds + " conversations per row", scenarios)
                        + "\nRequest body bytes sent by the chat adapter (the history grows every turn): "
                        + ClientBench.sizesAt(requestSizes(base, turns)) + "\n";
            }
        });
    }

    static void stub(WireMockProcess upstream) {
        upstream.admin.register(post(urlEqualTo("/v1/chat/completions")).atPriority(1)
                .withRequestBody(containing("\"stream\":true")).willReturn(aResponse().withStatus(200)
                        .withHeader("Content-Type", "text/event-stream").withBody(streamBody())));
        upstream.admin.register(post(urlEqualTo("/v1/chat/completions")).atPriority(2).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody(wholeBody())));
    }

    static String wholeBody() {
        return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1769084048,\"model\":\"qwen-plus\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + ANSWER + "\"},"
                + "\"finish_reason\":\"stop\",\"logprobs\":null}],\"usage\":{\"prompt_tokens\":1200,"
                + "\"completion_tokens\":150,\"total_tokens\":1350,\"prompt_tokens_details\":{\"cached_tokens\":1024}}}";
    }

    static String streamBody() {
        var sb = new StringBuilder();
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1769084048,"
                + "\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"delta\":";
        sb.append(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < ANSWER.length(); i += 12) {
            String piece = ANSWER.substring(i, Math.min(ANSWER.length(), i + 12));
            sb.append(head).append("{\"content\":\"").append(piece).append("\"},\"finish_reason\":null}]}\n\n");
        }
        sb.append(head).append("{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1769084048,"
                + "\"model\":\"qwen-plus\",\"choices\":[],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":150,"
                + "\"total_tokens\":1350}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString();
    }

    static String question(int turn) {
        return "質問 " + turn + ": what changed since the last answer, and why does it matter?";
    }

    private static void kaiwaWhole(ChatCompletionsAdapter adapter, int turns) {
        Conversation c = Conversation.builder().instructions(SYSTEM).build();
        for (int t = 1; t <= turns; t++) {
            Turn turn = adapter.send(c, List.of(MessageItem.user(question(t)))).await().indefinitely();
            c = c.withTurn(turn);
        }
        check(c.turns().get(turns - 1).outputText());
    }

    private static void kaiwaStreamed(ChatCompletionsAdapter adapter, int turns) {
        Conversation c = Conversation.builder().instructions(SYSTEM).build();
        for (int t = 1; t <= turns; t++) {
            StreamEvent last = adapter.stream(c, List.of(MessageItem.user(question(t)))).collect().last().await()
                    .indefinitely();
            c = c.withTurn(((StreamEvent.Completed) last).turn());
        }
        check(c.turns().get(turns - 1).outputText());
    }

    private static void openaiWhole(OpenAIClient client, int turns) {
        var history = new ArrayList<ChatCompletionMessageParam>();
        history.add(ChatCompletionMessageParam
                .ofSystem(ChatCompletionSystemMessageParam.builder().content(SYSTEM).build()));
        String last = null;
        for (int t = 1; t <= turns; t++) {
            history.add(ChatCompletionMessageParam
                    .ofUser(ChatCompletionUserMessageParam.builder().content(question(t)).build()));
            ChatCompletion completion = client.chat().completions()
                    .create(ChatCompletionCreateParams.builder().model("qwen-plus").messages(history).build());
            var message = completion.choices().get(0).message();
            history.add(ChatCompletionMessageParam.ofAssistant(message.toParam()));
            last = message.content().orElse("");
        }
        check(last);
    }

    private static void openaiStreamed(OpenAIClient client, int turns) {
        var history = new ArrayList<ChatCompletionMessageParam>();
        history.add(ChatCompletionMessageParam
                .ofSystem(ChatCompletionSystemMessageParam.builder().content(SYSTEM).build()));
        String last = null;
        for (int t = 1; t <= turns; t++) {
            history.add(ChatCompletionMessageParam
                    .ofUser(ChatCompletionUserMessageParam.builder().content(question(t)).build()));
            var params = ChatCompletionCreateParams.builder().model("qwen-plus").messages(history)
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
            var accumulator = ChatCompletionAccumulator.create();
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                stream.stream().forEach(accumulator::accumulate);
            }
            var message = accumulator.chatCompletion().choices().get(0).message();
            history.add(ChatCompletionMessageParam.ofAssistant(message.toParam()));
            last = message.content().orElse("");
        }
        check(last);
    }

    private static void check(String answer) {
        if (!ANSWER.equals(answer)) {
            throw new IllegalStateException("unexpected answer: " + answer);
        }
    }

    /** @return the request body size of every turn of one conversation, as the transport sent them */
    static List<Integer> requestSizes(String base, int turns) {
        return ClientBench.requestSizes(transport -> () -> {
            try (var adapter = ChatCompletionsAdapter.builder().baseUrl(base).apiKey("sk-bench").model("qwen-plus")
                    .transport(transport).build()) {
                kaiwaWhole(adapter, turns);
            }
        });
    }
}
