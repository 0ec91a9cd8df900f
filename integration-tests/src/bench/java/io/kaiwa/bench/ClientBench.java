package io.kaiwa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

import io.kaiwa.core.http.HttpRequest;
import io.kaiwa.core.http.HttpResponse;
import io.kaiwa.core.http.HttpStream;
import io.kaiwa.core.http.HttpTransport;
import io.kaiwa.core.http.VertxHttpTransport;
import io.smallrye.mutiny.Uni;

/**
 * The harness the client benchmarks share: warm-up, many short interleaved blocks (so drift in the machine's load
 * falls on both clients alike), per-turn CPU and allocation, and the report.
 */
final class ClientBench {
    private ClientBench() {
    }

    /** One client doing one kind of conversation, and what it has cost so far. */
    static final class Scenario {
        final String client;
        final String mode;
        final Runnable conversation;
        long cpuNanos;
        long appCpuNanos;
        long allocated;
        long turns;
        final List<Long> blockCpu = new ArrayList<>();

        Scenario(String client, String mode, Runnable conversation) {
            this.client = client;
            this.mode = mode;
            this.conversation = conversation;
        }
    }

    /** One benchmark's measured part. */
    interface Body {
        /**
         * @return the report, in Markdown
         */
        String run(String base, OpenAIClient openai, int turns, int rounds, int warmup) throws Exception;
    }

    /**
     * Starts the upstream in its own JVM, stubs it, makes the openai-java client, runs the body and writes its report
     * to {@code target/bench/<file>}; then exits, as the clients' pools would otherwise keep the JVM alive.
     */
    static void main(String[] args, Consumer<WireMockProcess> stub, String file, Body body) throws Exception {
        Map<String, Integer> options = options(args);
        int turns = options.getOrDefault("turns", 50);
        int rounds = options.getOrDefault("rounds", 20);
        int warmup = options.getOrDefault("warmup", 10);
        try (var upstream = new WireMockProcess()) {
            stub.accept(upstream);
            String base = upstream.baseUrl() + "/v1";
            OpenAIClient openai = OpenAIOkHttpClient.builder().apiKey("sk-bench").baseUrl(base).maxRetries(0).build();
            try {
                write(file, body.run(base, openai, turns, rounds, warmup));
            } finally {
                openai.close();
            }
        }
        System.exit(0);
    }

    static Map<String, Integer> options(String[] args) {
        var map = new LinkedHashMap<String, Integer>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            map.put(args[i].replaceFirst("^--", ""), Integer.parseInt(args[i + 1]));
        }
        return map;
    }

    /**
     * Runs every scenario's warm-up, then the measured rounds in interleaved blocks. With {@code BENCH_ONLY=n} in
     * the environment, runs scenario n alone (for a profiler) and exits.
     */
    static void measure(List<Scenario> scenarios, int turns, int rounds, int warmup) {
        String only = System.getenv("BENCH_ONLY");
        if (only != null) {
            Scenario s = scenarios.get(Integer.parseInt(only));
            for (int i = 0; i < warmup + rounds; i++) {
                s.conversation.run();
            }
            System.exit(0);
        }
        for (Scenario s : scenarios) {
            for (int i = 0; i < warmup; i++) {
                s.conversation.run();
            }
        }
        int blocks = Math.max(1, Math.min(rounds, 10));
        for (int block = 0; block < blocks; block++) {
            for (Scenario s : scenarios) {
                System.gc();
                Measure m = Measure.start();
                for (int i = 0; i < rounds / blocks; i++) {
                    s.conversation.run();
                }
                long[] spent = m.stop();
                s.cpuNanos += spent[0];
                s.allocated += spent[1];
                s.turns += (long) (rounds / blocks) * turns;
                s.blockCpu.add(spent[0]);
                s.appCpuNanos += spent[2];
            }
        }
    }

    /**
     * @param title what was measured
     * @param scenarios pairs of (Kaiwa, openai-java), in that order
     * @return the report's table and ratios, in Markdown
     */
    static String table(String title, List<Scenario> scenarios) {
        var out = new StringBuilder(title).append(", JDK ").append(System.getProperty("java.version"))
                .append("\n\n| client | answers | process CPU per turn | application threads' CPU per turn "
                        + "| allocated per turn |\n|---|---|---|---|---|\n");
        for (Scenario s : scenarios) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %.0f µs | %.0f µs | %.1f KiB |%n", s.client, s.mode,
                    s.cpuNanos / 1e3 / s.turns, s.appCpuNanos / 1e3 / s.turns, s.allocated / 1024.0 / s.turns));
        }
        out.append('\n');
        for (int i = 0; i + 1 < scenarios.size(); i += 2) {
            Scenario k = scenarios.get(i);
            Scenario o = scenarios.get(i + 1);
            var ratios = new ArrayList<Double>();
            for (int b = 0; b < k.blockCpu.size(); b++) {
                ratios.add((double) k.blockCpu.get(b) / o.blockCpu.get(b));
            }
            ratios.sort(null);
            out.append(String.format(Locale.ROOT, "- %s: Kaiwa uses %.2fx the process CPU (median of %d interleaved "
                    + "blocks: %.2fx), %.2fx the application threads' CPU and %.2fx the allocation of openai-java "
                    + "(goal: at most 0.5x)%n", k.mode, (double) k.cpuNanos / o.cpuNanos, ratios.size(),
                    ratios.get(ratios.size() / 2), (double) k.appCpuNanos / o.appCpuNanos,
                    (double) k.allocated / o.allocated));
        }
        return out.toString();
    }

    /**
     * Runs a conversation through a transport that records each request's body size.
     *
     * @param conversation runs one conversation with the transport given
     * @return the body size of every request, in order
     */
    static List<Integer> requestSizes(Function<HttpTransport, Runnable> conversation) {
        var sizes = new ArrayList<Integer>();
        try (var vertxTransport = VertxHttpTransport.create(null, Duration.ofSeconds(10), 4)) {
            HttpTransport recording = new HttpTransport() {
                @Override
                public Uni<HttpResponse> send(HttpRequest request) {
                    sizes.add(request.body().remaining());
                    return vertxTransport.send(request);
                }

                @Override
                public Uni<HttpStream> open(HttpRequest request) {
                    sizes.add(request.body().remaining());
                    return vertxTransport.open(request);
                }
            };
            conversation.apply(recording).run();
        }
        return sizes;
    }

    /** @return "turn 1: a, turn 10: b, turn n: c" */
    static String sizesAt(List<Integer> sizes) {
        return String.format(Locale.ROOT, "turn 1: %d, turn 10: %d, turn %d: %d", sizes.get(0),
                sizes.get(Math.min(9, sizes.size() - 1)), sizes.size(), sizes.get(sizes.size() - 1));
    }

    static void write(String name, String report) throws IOException {
        System.out.println(report);
        Path file = Path.of("target", "bench", name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
    }
}
