package io.kaiwa.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.kaiwa.core.http.RetryPolicy;

/** Shared fixtures: the seeds' request bodies and wire-format answers written as the providers send them. */
final class Fixtures {
    /** Fast retries, no jitter: backoff assertions can be exact. */
    static final RetryPolicy QUICK_RETRIES = new RetryPolicy(2, Duration.ofMillis(100), Duration.ofSeconds(1), 0);
    static final Duration WAIT = Duration.ofSeconds(10);

    private Fixtures() {
    }

    static String seed(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/seeds/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing seed " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Chat Completions answer as DashScope's compatible mode sends it. */
    static String chatAnswer(String id, String content, String reasoning, String finish, int prompt, int completion,
            int cached, int reasoningTokens) {
        return """
                {"id":"%s","object":"chat.completion","created":1769084048,"model":"qwen-plus",
                 "choices":[{"index":0,"message":{"role":"assistant","content":%s%s},"finish_reason":"%s",
                 "logprobs":null}],"system_fingerprint":null,
                 "usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d,
                 "prompt_tokens_details":{"cached_tokens":%d},
                 "completion_tokens_details":{"reasoning_tokens":%d}}}"""
                .formatted(id, quote(content), reasoning == null ? "" : ",\"reasoning_content\":" + quote(reasoning),
                        finish, prompt, completion, prompt + completion, cached, reasoningTokens);
    }

    static String quote(String s) {
        return s == null
                ? "null"
                : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** One streamed Chat Completions chunk. */
    static String chunk(String id, String deltaJson, String finish) {
        return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1769084048,"
                + "\"model\":\"qwen-plus\",\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + ",\"logprobs\":null}]}\n\n";
    }

    /** The closing usage chunk ({@code include_usage}): empty choices. */
    static String usageChunk(String id, int prompt, int completion, int cached, int reasoningTokens) {
        return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1769084048,"
                + "\"model\":\"qwen-plus\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt
                + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + cached + "},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":" + reasoningTokens + "}}}\n\n";
    }

    static final String DONE = "data: [DONE]\n\n";
}
