package io.kaiwa.runtime.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.Usage;
import io.kaiwa.core.exception.RateLimitException;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.config.KaiwaConfig;
import io.quarkus.runtime.Startup;

/**
 * Per-tenant request and token rates ({@code kaiwa.rate-limits.<tenant>.*}), as token buckets held in memory: each
 * tenant has its own, so one tenant's burst never waits on another's. A request is refused (429, {@code Retry-After},
 * OpenAI's {@code x-ratelimit-*} headers) when its tenant has no request left or has used more tokens than the
 * minute gives back; the tokens a response used are counted when it ends. Limits hold per instance.
 */
@Startup
@ApplicationScoped
public class RateLimits {
    @Inject
    KaiwaConfig config;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** A limit of 0 would read as "none": refused at startup, as any other mistyped limit. */
    @PostConstruct
    void check() {
        config.rateLimits().forEach((tenant, limit) -> {
            limit.requestsPerMinute().ifPresent(n -> positive(tenant, "requests-per-minute", n));
            limit.tokensPerMinute().ifPresent(n -> positive(tenant, "tokens-per-minute", n));
        });
    }

    private static void positive(String tenant, String name, long value) {
        if (value < 1) {
            throw new IllegalStateException("kaiwa.rate-limits." + tenant + "." + name + " must be at least 1, not "
                    + value + " (leave it out for no limit)");
        }
    }

    /** A refusal, with the headers that say when to come back. */
    public static final class Limited extends RateLimitException {
        private final transient Map<String, String> headers;

        Limited(String message, Map<String, String> headers) {
            super(message, 429, "rate_limit_exceeded", null);
            this.headers = headers;
        }

        /** @return {@code Retry-After} and the {@code x-ratelimit-*} headers */
        public Map<String, String> headers() {
            return headers;
        }
    }

    /**
     * Takes one request from the tenant's allowance.
     *
     * @param tenant the caller's tenant
     * @throws Limited when it has none left
     */
    public void take(String tenant) {
        Bucket bucket = bucket(tenant);
        if (bucket != null) {
            bucket.take(tenant);
        }
    }

    /**
     * Counts what a response used against its tenant's tokens a minute.
     *
     * @param tenant the tenant
     * @param usage the response's usage JSON ({@code input_tokens}, {@code output_tokens}), or {@code null}
     */
    public void used(String tenant, String usage) {
        Bucket bucket = bucket(tenant);
        if (bucket == null || usage == null) {
            return;
        }
        JsonNode u = KaiwaJson.parse(usage);
        bucket.used(u.path("input_tokens").asLong() + u.path("output_tokens").asLong());
    }

    /**
     * Counts what a response that did not finish used (a stream its client left, a task cancelled midway).
     *
     * @param tenant the tenant
     * @param usage its estimated usage
     */
    public void used(String tenant, Usage usage) {
        Bucket bucket = bucket(tenant);
        if (bucket != null) {
            bucket.used(usage.inputTokens() + usage.outputTokens());
        }
    }

    private Bucket bucket(String tenant) {
        KaiwaConfig.RateLimit limit = config.rateLimits().get(tenant);
        if (limit == null) {
            limit = config.rateLimits().get("*");
        }
        if (limit == null || limit.requestsPerMinute().isEmpty() && limit.tokensPerMinute().isEmpty()) {
            return null;
        }
        KaiwaConfig.RateLimit l = limit;
        return buckets.computeIfAbsent(tenant, t -> new Bucket(l.requestsPerMinute().orElse(0),
                l.tokensPerMinute().orElse(0)));
    }

    /** One tenant's allowance; refilled continuously, a minute's worth at most. */
    static final class Bucket {
        private final int requestsPerMinute;
        private final long tokensPerMinute;
        private double requests;
        private double tokens;
        private long at = System.nanoTime();

        Bucket(int requestsPerMinute, long tokensPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
            this.tokensPerMinute = tokensPerMinute;
            this.requests = requestsPerMinute;
            this.tokens = tokensPerMinute;
        }

        synchronized void take(String tenant) {
            refill();
            double requestWait = requestsPerMinute > 0 && requests < 1 ? (1 - requests) * 60 / requestsPerMinute : 0;
            double tokenWait = tokensPerMinute > 0 && tokens < 0 ? -tokens * 60 / tokensPerMinute : 0;
            if (requestWait > 0 || tokenWait > 0) {
                long retryAfter = (long) Math.ceil(Math.max(requestWait, tokenWait));
                throw new Limited("Rate limit reached for " + tenant + ": " + (requestWait >= tokenWait
                        ? requestsPerMinute + " requests"
                        : tokensPerMinute + " tokens") + " a minute. Retry in " + retryAfter + " s.",
                        headers(Math.max(1, retryAfter)));
            }
            if (requestsPerMinute > 0) {
                requests -= 1;
            }
        }

        synchronized void used(long used) {
            refill();
            if (tokensPerMinute > 0) {
                tokens -= used;
            }
        }

        private void refill() {
            long now = System.nanoTime();
            double minutes = (now - at) / 60e9;
            at = now;
            requests = Math.min(requestsPerMinute, requests + minutes * requestsPerMinute);
            tokens = Math.min(tokensPerMinute, tokens + minutes * tokensPerMinute);
        }

        private Map<String, String> headers(long retryAfter) {
            var h = new LinkedHashMap<String, String>();
            h.put("Retry-After", String.valueOf(retryAfter));
            if (requestsPerMinute > 0) {
                h.put("x-ratelimit-limit-requests", String.valueOf(requestsPerMinute));
                h.put("x-ratelimit-remaining-requests", String.valueOf((long) Math.max(0, Math.floor(requests))));
                h.put("x-ratelimit-reset-requests", seconds((requestsPerMinute - requests) * 60 / requestsPerMinute));
            }
            if (tokensPerMinute > 0) {
                h.put("x-ratelimit-limit-tokens", String.valueOf(tokensPerMinute));
                h.put("x-ratelimit-remaining-tokens", String.valueOf((long) Math.max(0, Math.floor(tokens))));
                h.put("x-ratelimit-reset-tokens", seconds((tokensPerMinute - tokens) * 60 / tokensPerMinute));
            }
            return h;
        }

        /** OpenAI's duration form: {@code 850ms}, {@code 12s}. */
        private static String seconds(double s) {
            return s < 1 ? Math.round(s * 1000) + "ms" : Math.round(s) + "s";
        }
    }
}
