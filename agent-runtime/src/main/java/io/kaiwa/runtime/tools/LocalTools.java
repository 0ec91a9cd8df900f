package io.kaiwa.runtime.tools;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.item.CodeInterpreterCallItem;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.FunctionCallOutputItem;
import io.kaiwa.core.item.WebExtractorCallItem;
import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.kaiwa.runtime.tools.sandbox.Availability;
import io.kaiwa.runtime.tools.sandbox.Outcome;
import io.kaiwa.runtime.tools.sandbox.OutputFile;
import io.kaiwa.runtime.tools.sandbox.PythonSandbox;
import io.kaiwa.runtime.tools.sandbox.SandboxResult;
import io.kaiwa.runtime.tools.sandbox.SandboxSettings;
import io.kaiwa.runtime.tools.search.SearchProvider;
import io.kaiwa.runtime.tools.search.SearchProviders;
import io.kaiwa.runtime.tools.web.FetchSettings;
import io.kaiwa.runtime.tools.web.WebExtractor;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The built-in tools Kaiwa runs itself, as configured under {@code kaiwa.tools.*}: each call's arguments checked,
 * the tool run within its timeout, and the outcome turned into the tool's item and the model's function output.
 * A tool call never fails the response: whatever goes wrong, the model reads it as the tool's error.
 */
// Made at startup, so that the sandbox's trial run (blocking) never happens on a request's event loop.
@Startup
@ApplicationScoped
public class LocalTools implements ToolRunner {

    @Inject
    KaiwaConfig config;

    @Inject
    Vertx vertx;

    private final Map<BuiltInTool, String> unavailable = new EnumMap<>(BuiltInTool.class);
    private SearchProvider search;
    private PythonSandbox sandbox;
    /** Sandboxes run one per core at most: each may use its full limits, and the rest wait their turn. */
    private ExecutorService sandboxes;
    private WebExtractor extractor;

    @PostConstruct
    void start() {
        KaiwaConfig.WebSearch ws = config.tools().webSearch();
        if (ws.provider().isEmpty()) {
            unavailable.put(BuiltInTool.WEB_SEARCH, "no search provider is configured (kaiwa.tools.web-search."
                    + "provider: searxng or brave).");
        } else {
            try {
                search = SearchProviders.create(ws, vertx);
            } catch (IllegalArgumentException e) {
                unavailable.put(BuiltInTool.WEB_SEARCH, "its search provider is misconfigured: " + e.getMessage());
            }
        }
        KaiwaConfig.WebExtractor we = config.tools().webExtractor();
        if (!we.enabled()) {
            unavailable.put(BuiltInTool.WEB_EXTRACTOR, "it is turned off (kaiwa.tools.web-extractor.enabled).");
        } else {
            extractor = new WebExtractor(vertx, FetchSettings.defaults().withMaxBodyBytes(we.maxBytes())
                    .withTimeout(we.timeout()).withOutputBudgetChars(we.budget())
                    .withAllowedPrivateCidrs(we.allowPrivate().orElse(List.of())));
        }
        KaiwaConfig.CodeInterpreter ci = config.tools().codeInterpreter();
        if (!ci.enabled()) {
            unavailable.put(BuiltInTool.CODE_INTERPRETER, "it is turned off (kaiwa.tools.code-interpreter.enabled).");
        } else {
            sandbox = new PythonSandbox(SandboxSettings.defaults().toBuilder().bwrap(Path.of(ci.bwrap()))
                    .python(Path.of(ci.python())).cpuTime(ci.cpu()).wallTimeout(ci.wall()).memoryBytes(ci.memory())
                    .maxProcesses(ci.processes()).maxOutputBytes(ci.output()).build());
            sandboxes = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
                Thread t = new Thread(r, "kaiwa-sandbox");
                t.setDaemon(true);
                return t;
            });
            // A trial run in a real sandbox: blocking, so here at startup rather than on a request's event loop.
            Availability availability = sandbox.availability();
            if (availability instanceof Availability.Unavailable u) {
                unavailable.put(BuiltInTool.CODE_INTERPRETER, "no sandbox can run Python here (" + u.reason()
                        + "); code is never run unsandboxed.");
            }
        }
    }

    @PreDestroy
    void stop() {
        if (search != null) {
            search.close();
        }
        if (extractor != null) {
            extractor.close();
        }
        if (sandboxes != null) {
            sandboxes.shutdownNow();
        }
    }

    /**
     * @param tool a built-in tool
     * @return why Kaiwa cannot run it (a sentence for an error message), or {@code null} when it can
     */
    @Override
    public String unavailable(BuiltInTool tool) {
        return unavailable.get(tool);
    }

    /**
     * Runs one call. Never fails: a bad argument, a timeout or a tool's failure become a failed item and an
     * {@code error: ...} output the model reads.
     *
     * @param tool the tool
     * @param call the model's function call
     * @param timeout the longest the call may take
     * @return the tool's item and the model's function output
     */
    @Override
    public Uni<ToolRun> run(BuiltInTool tool, FunctionCallItem call, Duration timeout) {
        JsonNode args;
        try {
            args = KaiwaJson.parse(call.arguments() == null ? "" : call.arguments());
        } catch (RuntimeException e) {
            return Uni.createFrom().item(ToolRun.refused(tool, call, "the arguments are not a JSON object."));
        }
        Uni<ToolRun> run;
        try {
            run = switch (tool) {
                case WEB_SEARCH -> search(call, text(args, "query"));
                case CODE_INTERPRETER -> interpret(call, text(args, "code"));
                case WEB_EXTRACTOR -> extract(call, strings(args, "urls", 5), text(args, "goal"));
            };
        } catch (BadArguments e) {
            return Uni.createFrom().item(ToolRun.refused(tool, call, e.getMessage()));
        } catch (RuntimeException e) {
            return Uni.createFrom().item(ToolRun.refused(tool, call, message(e)));
        }
        return run.ifNoItem().after(timeout)
                .recoverWithItem(() -> ToolRun.refused(tool, call, "the tool took longer than " + timeout.toSeconds()
                        + " s and was stopped."))
                .onFailure().recoverWithItem(failure -> ToolRun.refused(tool, call, message(failure)));
    }

    private Uni<ToolRun> search(FunctionCallItem call, String query) {
        return search.search(query, config.tools().webSearch().maxResults()).map(results -> {
            var item = new WebSearchCallItem(null, "completed", results.action(), null);
            String text = results.isEmpty() ? "No results for: " + query : results.render();
            return new ToolRun(item, new FunctionCallOutputItem(call.callId(), text));
        });
    }

    private Uni<ToolRun> extract(FunctionCallItem call, List<String> urls, String goal) {
        return extractor.extract(urls, goal).map(extraction -> {
            String text = extraction.output();
            var item = new WebExtractorCallItem(null, extraction.allFailed() ? "failed" : "completed", goal, urls,
                    text, null);
            return new ToolRun(item, new FunctionCallOutputItem(call.callId(), extraction.allFailed()
                    ? "error: no page could be read.\n" + text
                    : text));
        });
    }

    private Uni<ToolRun> interpret(FunctionCallItem call, String code) {
        return sandbox.run(code, sandboxes).map(result -> {
            List<CodeInterpreterCallItem.Output> outputs = new ArrayList<>();
            StringBuilder seen = new StringBuilder();
            String logs = logs(result);
            if (!logs.isEmpty()) {
                outputs.add(new CodeInterpreterCallItem.Logs(logs));
                seen.append(logs);
            }
            for (OutputFile file : result.files()) {
                String data = Base64.getEncoder().encodeToString(file.bytes());
                // SVG is code a client might render on its own origin: it comes back as a file, not an image.
                if (file.image() && !"image/svg+xml".equals(file.mediaType())) {
                    outputs.add(new CodeInterpreterCallItem.Image("data:" + file.mediaType() + ";base64," + data));
                } else {
                    ObjectNode raw = JsonNodeFactory.instance.objectNode().put("type", "file")
                            .put("name", file.name()).put("media_type", file.mediaType()).put("bytes", file.size())
                            .put("data", data);
                    outputs.add(new CodeInterpreterCallItem.UnknownOutput("file", raw));
                }
                seen.append(seen.isEmpty() ? "" : "\n").append("[file written: ").append(printable(file.name()))
                        .append(" (")
                        .append(file.mediaType()).append(", ").append(file.size()).append(" bytes)]");
            }
            for (String skipped : result.skippedFiles()) {
                seen.append(seen.isEmpty() ? "" : "\n").append("[file not returned: ").append(printable(skipped))
                        .append(']');
            }
            boolean ok = result.outcome() == Outcome.COMPLETED;
            String status = ok ? "completed" : "failed";
            // Every run has a sandbox of its own, gone when the run ends: its id names it, nothing can reopen it.
            var item = new CodeInterpreterCallItem(null, status, code, Ids.next("cntr"), outputs, null);
            String text = ok ? seen.toString() : "error: " + outcome(result) + (seen.isEmpty() ? "" : "\n" + seen);
            return new ToolRun(item, new FunctionCallOutputItem(call.callId(), text.isEmpty()
                    ? "(no output)"
                    : text));
        });
    }

    /** @return a file name the code chose, without the control characters that could forge lines the model reads */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }

    private static String logs(SandboxResult result) {
        String out = result.stdout();
        String err = result.stderr();
        if (err.isEmpty()) {
            return out;
        }
        return out.isEmpty() ? err : out + (out.endsWith("\n") ? "" : "\n") + err;
    }

    private String outcome(SandboxResult result) {
        KaiwaConfig.CodeInterpreter ci = config.tools().codeInterpreter();
        return switch (result.outcome()) {
            case COMPLETED -> "completed";
            case ERROR -> "the program exited with status " + result.exitCode() + ".";
            case TIMED_OUT -> "the program ran longer than " + ci.wall().toSeconds() + " s and was stopped.";
            case CPU_LIMIT -> "the program used more than " + ci.cpu().toSeconds() + " s of CPU and was stopped.";
            case MEMORY_LIMIT -> "the program ran out of memory (" + (ci.memory() >> 20) + " MiB).";
            case OUTPUT_LIMIT -> "the program wrote too much output and was stopped.";
        };
    }

    /** The model's arguments were wrong: it reads why and may try again. */
    private static final class BadArguments extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArguments(String message) {
            super(message, null, false, false);
        }
    }

    private static String text(JsonNode args, String field) {
        JsonNode value = args.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new BadArguments("'" + field + "' is required and must be a non-empty string.");
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode args, String field, int max) {
        JsonNode value = args.get(field);
        List<String> out = new ArrayList<>();
        if (value != null && value.isTextual()) {
            out.add(value.asText());
        } else if (value != null && value.isArray()) {
            for (JsonNode v : value) {
                if (!v.isTextual()) {
                    throw new BadArguments("'" + field + "' must be an array of strings.");
                }
                out.add(v.asText());
            }
        }
        if (out.isEmpty() || out.size() > max) {
            throw new BadArguments("'" + field + "' needs 1 to " + max + " strings.");
        }
        return out;
    }

    private static String message(Throwable failure) {
        String m = failure.getMessage();
        return m == null || m.isBlank() ? failure.getClass().getSimpleName() : m;
    }
}
