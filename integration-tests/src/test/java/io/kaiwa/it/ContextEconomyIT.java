package io.kaiwa.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.kaiwa.core.spi.TokenEstimator;

/**
 * Context economy measured from outside, as the issue states it: the packaged service, a synthetic conversation in
 * Japanese and English with 20 facts planted early and asked back ~100 turns later, and a WireMock model that echoes
 * what it is told and summarises nothing useful (so a fact asked back can only come from the recent turns or from
 * recall). Measured: tokens sent per turn next to full replay, facts present in the request sent, turns whose first
 * kilobyte is the turn before's, summary calls; and, tagged {@code bench} (run by hand, see README "Performance"),
 * request-path time at turn 1,000 next to turn 10 and the time recall adds at 1,000 stored turns.
 *
 * <p>
 * Each run writes its figures to {@code target/context-economy.md}.
 */
class ContextEconomyIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final TokenEstimator TOKENS = TokenEstimator.defaultEstimator();
    static final String SUMMARISER = "You keep the memory of a conversation";
    static final int WINDOW = 16_000;
    static final Path REPORT = Path.of("target", "context-economy.md");

    static WireMockServer upstream;
    static ServiceProcess service;
    static final List<JsonNode> modelCalls = new CopyOnWriteArrayList<>();
    static final List<JsonNode> summaryCalls = new CopyOnWriteArrayList<>();
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A fact said once, the question that asks it back, and what must be in the request for the model to answer. */
    record Fact(String said, String asked, String answer) {
    }

    static final List<Fact> FACTS = List.of(
            new Fact("My locker number at the gym is 7391.", "What was my locker number at the gym?", "7391"),
            new Fact("My sister Amelia lives in Porto and makes violins.", "Where does my sister Amelia live?",
                    "Porto"),
            new Fact("Our project codename is Bluefin Tango.", "What is our project's codename?", "Bluefin Tango"),
            new Fact("The Wi-Fi password at the cabin is maple-harbor-58.", "What's the Wi-Fi password at the cabin?",
                    "maple-harbor-58"),
            new Fact("My flight to Helsinki is AY 1422 on the 14th.", "What is my flight number to Helsinki?",
                    "AY 1422"),
            new Fact("I'm allergic to cashews, so keep them out of recipes.", "Which nut am I allergic to?",
                    "cashews"),
            new Fact("My manager's name is Dolores Whitfield.", "What's my manager's name?", "Whitfield"),
            new Fact("The server room door code is 5820.", "What is the door code for the server room?", "5820"),
            new Fact("My favourite tea is a smoky lapsang souchong.", "Which tea do I like best?", "lapsang"),
            new Fact("My bike is a green Bianchi from 1987.", "What bike do I ride?", "Bianchi"),
            new Fact("私の猫の名前はミケです。三毛猫で五歳です。", "私の猫の名前は何でしたっけ?", "ミケ"),
            new Fact("来月の学会は金沢で開かれます。", "来月の学会はどこで開かれますか?", "金沢"),
            new Fact("妻の誕生日は三月十四日です。", "妻の誕生日はいつでしたか?", "三月十四日"),
            new Fact("私の車のナンバーは品川 330 す 4821 です。", "私の車のナンバーを覚えていますか?", "4821"),
            new Fact("祖母は鹿児島の指宿に住んでいます。", "祖母はどこに住んでいますか?", "指宿"),
            new Fact("好きな作家は宮部みゆきです。", "私の好きな作家は誰でしたか?", "宮部"),
            new Fact("私はトマトアレルギーがあります。", "私のアレルギーは何でしたか?", "トマト"),
            new Fact("息子のサッカーの試合は土曜日の朝九時からです。", "息子のサッカーの試合は何時からですか?", "九時"),
            new Fact("会社の創立記念日は六月二十日です。", "会社の創立記念日はいつですか?", "六月二十日"),
            new Fact("新しいプロジェクトの予算は八百万円です。", "新しいプロジェクトの予算はいくらでしたか?", "八百万円"));

    static final String[] EN_TOPICS = {"photosynthesis", "the history of the printing press", "TCP congestion control",
            "sourdough baking", "the rules of cricket", "how vaccines train the immune system", "plate tectonics",
            "the French Revolution", "garbage collection in the JVM", "urban beekeeping", "the economics of tariffs",
            "how jet engines work", "Impressionist painting", "container shipping logistics", "black holes",
            "the origins of jazz", "compound interest", "CRISPR gene editing", "the Silk Road", "rainwater harvesting"};
    static final String[] EN_ASPECTS = {"the common misconceptions", "what changed in the last decade",
            "the trade-offs involved", "how a beginner should start", "the key numbers to remember",
            "what experts still disagree about"};
    static final String[] JA_TOPICS = {"日本の城の歴史", "味噌の作り方", "新幹線の仕組み", "俳句の作り方", "江戸時代の経済",
            "地震の予知", "茶道の作法", "日本酒の種類", "量子コンピュータ", "盆栽の手入れ", "梅雨の気象", "和紙の製法",
            "浮世絵の技法", "温泉の効能", "将棋の定跡", "漆器の歴史", "発酵食品の科学", "鉄道の時刻表の作り方",
            "森林の保全", "折り紙の数学"};
    static final String[] JA_ASPECTS = {"よくある誤解", "最近十年の変化", "初心者の始め方", "覚えておくべき数字",
            "専門家の間の論点", "地域による違い"};
    static final String[] PARAGRAPHS = {
            "There is a lot to say here; the short version is that the details matter and the context changes the"
                    + " answer. I'd start with the basics, then look at the exceptions, and finally compare a few"
                    + " real cases side by side so the differences are easy to see.",
            "いくつかの観点から整理すると分かりやすいと思います。まず基本的な考え方を押さえ、次に例外や注意点を確認し、"
                    + "最後に具体的な例をいくつか比べてみましょう。そうすると違いがはっきり見えてきます。",
            "Broadly, people approach this in two ways, and both have merit. The first emphasises simplicity and"
                    + " speed; the second emphasises robustness. Which one fits depends on your constraints, so"
                    + " let me walk through each with an example.",
            "この話題は奥が深く、歴史的な背景と現代の実践の両方を見る必要があります。背景を理解すると、"
                    + "なぜ今のやり方になったのかが自然に分かります。順を追って説明します。"};

    /**
     * The model: a summary call gets a summary that keeps nothing; any other call gets the user's last words echoed
     * with a paragraph, and a usage computed from what it was sent. Every body is kept for measuring.
     */
    public static final class EchoModel implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            JsonNode body;
            try {
                body = JSON.readTree(event.getRequest().getBodyAsString());
            } catch (IOException e) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(400).withBody(e.toString()).build();
            }
            long prompt = tokens(body);
            String text;
            if (body.toString().contains(SUMMARISER)) {
                summaryCalls.add(body);
                text = "The user and the assistant talked about many everyday topics in Japanese and English.";
            } else {
                modelCalls.add(body);
                String said = lastUserText(body);
                // Two paragraphs, about what a model answers to "explain X" in a few sentences.
                int pick = Math.floorMod(said.hashCode(), PARAGRAPHS.length);
                text = "Understood: \"" + said + "\" " + PARAGRAPHS[pick] + "\n\n"
                        + PARAGRAPHS[(pick + 1) % PARAGRAPHS.length];
            }
            ObjectNode answer = JSON.createObjectNode().put("id", "chatcmpl-bench").put("object", "chat.completion")
                    .put("created", 1_769_084_048L).put("model", body.path("model").asText());
            ObjectNode choice = answer.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            choice.putObject("message").put("role", "assistant").put("content", text);
            answer.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", TOKENS.estimateText(text))
                    .put("total_tokens", prompt + TOKENS.estimateText(text));
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(answer.toString()).build();
        }

        @Override
        public boolean applyGlobally() {
            return true;
        }

        @Override
        public String getName() {
            return "echo-model";
        }
    }

    @BeforeAll
    static void start() throws IOException {
        upstream = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new EchoModel()));
        upstream.start();
        upstream.stubFor(post(urlEqualTo("/chat/v1/chat/completions")).willReturn(aResponse()));
        Path folder = Files.createTempDirectory(Path.of("target"), "it-economy").toAbsolutePath();
        Files.createDirectories(folder.resolve("config"));
        Files.writeString(folder.resolve("config/application.properties"), """
                kaiwa.providers.chat.models=gpt-chat,bench-chat
                kaiwa.models.bench-chat.context-window=%d
                """.formatted(WINDOW));
        service = ServiceProcess.start("economy", ServiceProcess.environment(folder.resolve("data"),
                "http://127.0.0.1:" + upstream.port()), folder);
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        upstream.stop();
    }

    static long tokens(JsonNode body) {
        long n = 0;
        for (JsonNode m : body.path("messages")) {
            n += TOKENS.estimateText(text(m.path("content"))) + 4;
        }
        return n;
    }

    static String text(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        var sb = new StringBuilder();
        content.forEach(p -> sb.append(p.path("text").asText()));
        return sb.toString();
    }

    static String lastUserText(JsonNode body) {
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).path("role").asText().equals("user")) {
                String t = text(messages.get(i).path("content"));
                int end = t.lastIndexOf("\n\n");
                // The recalled block comes first; the model echoes what the user said now.
                return end >= 0 && t.startsWith("Recalled") ? t.substring(end + 2) : t;
            }
        }
        return "";
    }

    /** @return the text of turn {@code n} (1-based) of the 200-turn script */
    static String said(int n, Random random) {
        int planted = n - 2;
        if (planted >= 0 && planted % 5 == 0 && planted / 5 < FACTS.size()) {
            return FACTS.get(planted / 5).said();
        }
        int asked = n - 103;
        if (asked >= 0 && asked % 5 == 0 && asked / 5 < FACTS.size()) {
            return FACTS.get(asked / 5).asked();
        }
        if (random.nextBoolean()) {
            return "Could you explain " + EN_TOPICS[random.nextInt(EN_TOPICS.length)] + "? I'm most curious about "
                    + EN_ASPECTS[random.nextInt(EN_ASPECTS.length)] + ", and how it compares with "
                    + EN_TOPICS[random.nextInt(EN_TOPICS.length)] + ".";
        }
        return JA_TOPICS[random.nextInt(JA_TOPICS.length)] + "について教えてください。特に"
                + JA_ASPECTS[random.nextInt(JA_ASPECTS.length)] + "が気になります。"
                + JA_TOPICS[random.nextInt(JA_TOPICS.length)] + "と比べるとどうですか?";
    }

    /** @return the response's id; fails on anything but a completed response */
    static JsonNode create(String model, String input, String previous, String management) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("input", input);
        if (previous != null) {
            body.put("previous_response_id", previous);
        }
        if (management != null) {
            body.set("context_management", JSON.readTree(management));
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/responses"))
                .header("Authorization", "Bearer sk-acme-it").header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode response = JSON.readTree(r.body());
        assertThat(response.path("status").asText()).as(r.body()).isEqualTo("completed");
        return response;
    }

    /** What one run of the 200-turn script sent. */
    record Run(List<JsonNode> calls, int summaries) {
    }

    static Run run(String management) throws Exception {
        modelCalls.clear();
        summaryCalls.clear();
        var random = new Random(42);
        String previous = null;
        for (int n = 1; n <= 200; n++) {
            previous = create("bench-chat", said(n, random), previous, management).path("id").asText();
        }
        assertThat(modelCalls).hasSize(200);
        return new Run(List.copyOf(modelCalls), summaryCalls.size());
    }

    static boolean samePrefix(JsonNode before, JsonNode now) {
        String a = before.path("messages").toString();
        String b = now.path("messages").toString();
        int n = Math.min(1024, a.length());
        return b.length() >= n && b.regionMatches(0, a, 0, n);
    }

    @Test
    void aTwoHundredTurnConversationStaysSmallCacheFriendlyAndRemembersItsFacts() throws Exception {
        Run full = run("[]");
        Run managed = run(null);

        var report = new StringBuilder("## Context economy: 200 turns, Japanese and English, 20 facts\n\n");
        report.append("Window ").append(WINDOW).append(" tokens (compaction at 70 %), in-process embedder, defaults")
                .append(" otherwise; tokens as Kaiwa's estimator counts the messages sent.\n\n");
        report.append("| turn | full replay | managed | share |\n|---|---|---|---|\n");
        double share200 = 0;
        for (int turn : new int[]{50, 100, 200}) {
            long f = tokens(full.calls().get(turn - 1));
            long m = tokens(managed.calls().get(turn - 1));
            double share = (double) m / f;
            share200 = share;
            report.append(String.format(Locale.ROOT, "| %d | %,d | %,d | %.1f %% |%n", turn, f, m, share * 100));
        }
        int present = 0;
        var missing = new ArrayList<String>();
        for (int i = 0; i < FACTS.size(); i++) {
            JsonNode call = managed.calls().get(103 + 5 * i - 1);
            if (call.path("messages").toString().contains(FACTS.get(i).answer())) {
                present++;
            } else {
                missing.add(FACTS.get(i).asked());
            }
        }
        int stable = 0;
        for (int i = 1; i < managed.calls().size(); i++) {
            if (samePrefix(managed.calls().get(i - 1), managed.calls().get(i))) {
                stable++;
            }
        }
        double stableShare = (double) stable / (managed.calls().size() - 1);
        report.append(String.format(Locale.ROOT, "%nFacts asked back present in the request: %d / %d (%.0f %%)%s%n",
                present, FACTS.size(), 100.0 * present / FACTS.size(), missing.isEmpty()
                        ? ""
                        : "; missing: "
                                + missing));
        report.append(String.format(Locale.ROOT, "Turns sending the turn before's first kilobyte: %d / %d (%.1f %%)%n",
                stable, managed.calls().size() - 1, stableShare * 100));
        report.append(String.format(Locale.ROOT, "Summary calls: %d in 200 turns (%.1f per 100); full replay: %d%n",
                managed.summaries(), managed.summaries() / 2.0, full.summaries()));
        write(report.toString());

        assertThat(share200).as("tokens at turn 200 next to full replay").isLessThanOrEqualTo(0.25);
        assertThat((double) present / FACTS.size()).as("facts present").isGreaterThanOrEqualTo(0.95);
        assertThat(stableShare).as("prefix-stable turns").isGreaterThanOrEqualTo(0.90);
        assertThat(full.summaries()).isZero();
    }

    /**
     * Request-path time at turn 1,000 next to turn 10 ({@code context_management: []}: the history from the latest
     * compaction, nothing made; the long chain compacted ten turns before its end, so both send about as much), and
     * the time recall adds at 1,000 stored turns (the same requests with {@code recall}). Requests alternate between
     * the cases, so that the machine's noise falls on both.
     */
    @Test
    @Tag("bench")
    void requestPathAndRecallTimeAtAThousandTurns() throws Exception {
        int turns = Integer.getInteger("kaiwa.bench.turns", 1_000);
        int rounds = Integer.getInteger("kaiwa.bench.rounds", 60);
        var random = new Random(7);
        String longChain = null;
        long built = System.nanoTime();
        for (int n = 1; n <= turns; n++) {
            // Ten turns before the end, a compaction keeping next to nothing: the last request then sends about what
            // the ten-turn chain sends, so what differs is only the length of the chain behind it.
            String management = n == turns - 9 ? "[{\"type\":\"compaction\",\"compact_threshold\":1000}]" : null;
            longChain = create("bench-chat", said(1 + (n - 1) % 200, random), longChain, management).path("id")
                    .asText();
        }
        double buildSeconds = (System.nanoTime() - built) / 1e9;
        String shortChain = null;
        for (int n = 1; n <= 10; n++) {
            shortChain = create("bench-chat", said(n, random), shortChain, null).path("id").asText();
        }
        String none = "[]";
        String recall = "[{\"type\":\"recall\"}]";
        double[] atShort = new double[rounds];
        double[] atLong = new double[rounds];
        double[] withRecall = new double[rounds];
        for (int i = -10; i < rounds; i++) {
            double s = timed("bench-chat", "Where does my sister Amelia live?", shortChain, none);
            double l = timed("bench-chat", "Where does my sister Amelia live?", longChain, none);
            double r = timed("bench-chat", "Where does my sister Amelia live?", longChain, recall);
            if (i >= 0) {
                atShort[i] = s;
                atLong[i] = l;
                withRecall[i] = r;
            }
        }
        double p50Short = p50(atShort);
        double p50Long = p50(atLong);
        double p50Recall = p50(withRecall);
        write(String.format(Locale.ROOT, """
                ## Request-path time and recall at %,d turns

                %,d turns built through the service in %.0f s. %d rounds, alternating; p50 of the whole request
                (client side, loopback, the mock model answering at once).

                | case | p50 ms |
                |---|---|
                | turn 10, `context_management: []` | %.2f |
                | turn %,d, `context_management: []` | %.2f |
                | turn %,d, `[{"type":"recall"}]` | %.2f |

                Turn %,d next to turn 10: %.2fx. Recall adds %.2f ms p50 at %,d stored turns.
                """, turns, turns, buildSeconds, rounds, p50Short, turns, p50Long, turns, p50Recall, turns,
                p50Long / p50Short, p50Recall - p50Long, turns));
    }

    static double timed(String model, String input, String previous, String management) throws Exception {
        long start = System.nanoTime();
        create(model, input, previous, management);
        return (System.nanoTime() - start) / 1e6;
    }

    static double p50(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static void write(String section) throws IOException {
        System.out.println(section);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, section + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
