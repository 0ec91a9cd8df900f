package io.kaiwa.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol (one WebSocket, Java's own client): enough to open a
 * page, run script in it, wait for what it shows and take a screenshot. Errors the page throws or logs are kept, for
 * the test to assert there were none.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<String> pageErrors = new CopyOnWriteArrayList<>();
    private String session;

    private Chromium(Process process, WebSocket.Builder builder, URI endpoint) {
        this.process = process;
        this.socket = builder.buildAsync(endpoint, new Listener()).join();
    }

    /** @return the Chromium to run: {@code KAIWA_CHROMIUM}, else {@code chromium} or Chrome on the path */
    static Optional<Path> find() {
        String given = System.getenv("KAIWA_CHROMIUM");
        if (given != null && !given.isBlank()) {
            return Optional.of(Path.of(given)).filter(Files::isExecutable);
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .flatMap(dir -> Stream.of("chromium", "chromium-browser", "google-chrome").map(n -> Path.of(dir, n)))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * @param binary the browser
     * @param profile an empty folder for its profile
     * @param width the window's width
     * @param height the window's height
     * @return the browser, with one blank page attached
     * @throws IOException when it cannot be started
     */
    static Chromium launch(Path binary, Path profile, int width, int height) throws IOException {
        // --no-sandbox: CI runs as root, where Chromium's own sandbox cannot start.
        Process process = new ProcessBuilder(binary.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        var seen = new StringBuffer();
        var endpoint = new CompletableFuture<URI>();
        // Its error output is read to the end on a thread of its own: it says where DevTools listens, then must not
        // fill up and block the browser.
        Thread reader = new Thread(() -> {
            try (var stderr = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = stderr.readLine()) != null;) {
                    if (!endpoint.isDone()) {
                        seen.append(line).append('\n');
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            endpoint.complete(URI.create(m.group(1)));
                        }
                    }
                }
            } catch (IOException ignored) {
                // The browser is gone; a start still waiting says so below.
            }
            endpoint.completeExceptionally(new IllegalStateException("Chromium exited"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        Chromium browser = null;
        try {
            browser = new Chromium(process, HttpClient.newHttpClient().newWebSocketBuilder(),
                    endpoint.orTimeout(30, TimeUnit.SECONDS).join());
            String target = browser.call("Target.createTarget", Map.of("url", "about:blank")).path("targetId")
                    .asText();
            browser.session = browser.call("Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                    .path("sessionId").asText();
            browser.call("Runtime.enable", Map.of());
            browser.call("Page.enable", Map.of());
            // A page broken by its Content-Security-Policy says so as an error the test sees.
            browser.call("Page.addScriptToEvaluateOnNewDocument", Map.of("source", "document.addEventListener("
                    + "'securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' '"
                    + " + e.blockedURI))"));
            return browser;
        } catch (RuntimeException e) {
            if (browser != null) {
                browser.close();
            } else {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            throw new IllegalStateException("Chromium did not start:\n" + seen, e);
        }
    }

    /**
     * @param method a DevTools method, sent to the attached page once there is one
     * @param params its parameters
     * @return its result
     */
    JsonNode call(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        var answer = new CompletableFuture<JsonNode>();
        pending.put(id, answer);
        socket.sendText(message.toString(), true).join();
        JsonNode reply;
        try {
            reply = answer.orTimeout(30, TimeUnit.SECONDS).join();
        } finally {
            pending.remove(id);
        }
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    /**
     * @param url where to go
     */
    void open(String url) {
        call("Page.navigate", Map.of("url", url));
        waitFor("document.readyState === 'complete'", Duration.ofSeconds(20));
    }

    /**
     * @param expression script run in the page (a promise is awaited)
     * @return its value
     */
    JsonNode eval(String expression) {
        JsonNode result = call("Runtime.evaluate",
                Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * @param condition a script expression, true once what is awaited is there
     * @param within how long to wait
     */
    void waitFor(String condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (eval("Boolean(" + condition + ")").asBoolean()) {
                return;
            }
            ServiceProcess.sleep(50);
        }
        throw new AssertionError("not within " + within + ": " + condition + "\npage: "
                + eval("document.body ? document.body.innerText : ''").asText() + "\nerrors: " + pageErrors);
    }

    /** @return the page as it is shown, as PNG */
    byte[] screenshot() {
        return Base64.getDecoder()
                .decode(call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
    }

    /** @return what the page threw or logged as an error so far */
    List<String> pageErrors() {
        return new ArrayList<>(pageErrors);
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder frame = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                receive(frame.toString());
                frame.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failPending(error);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failPending(new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason));
            return null;
        }

        private void failPending(Throwable error) {
            // A browser that crashed fails the calls waiting on it at once, not after their timeout.
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }

        private void receive(String text) {
            try {
                JsonNode message = JSON.readTree(text);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                    if (answer != null) {
                        answer.complete(message);
                    }
                } else if ("Runtime.exceptionThrown".equals(message.path("method").asText())) {
                    pageErrors.add(message.at("/params/exceptionDetails").toString());
                } else if ("Runtime.consoleAPICalled".equals(message.path("method").asText())
                        && "error".equals(message.at("/params/type").asText())) {
                    pageErrors.add(message.at("/params/args").toString());
                }
            } catch (IOException e) {
                pageErrors.add("unreadable DevTools message: " + e);
            }
        }
    }
}
