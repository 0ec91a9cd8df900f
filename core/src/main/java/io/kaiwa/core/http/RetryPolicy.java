package io.kaiwa.core.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How often and how patiently an adapter retries a failed request, as trusted API clients do: 408, 409, 429 and
 * 5xx answers and connection failures are retried with exponential backoff and jitter; a {@code Retry-After} or
 * {@code retry-after-ms} header of up to a minute replaces the backoff; {@code x-should-retry} overrides the
 * status. A stream is never retried once it has delivered its first event.
 *
 * @param maxRetries retries after the first attempt; 0 disables retrying
 * @param initialBackoff the wait before the first retry; doubled for each further one
 * @param maxBackoff the longest computed wait
 * @param jitter the share of each wait randomly taken off, from 0 (none) to 1
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, double jitter) {
    /** The longest server-requested wait that is honoured; a longer one falls back to the computed backoff. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be at least 0, was " + maxRetries);
        }
        requireNonNull(initialBackoff, "initialBackoff");
        requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
        }
    }

    /** @return two retries, 0.5 s doubling up to 8 s, a quarter of jitter: what official OpenAI clients do */
    public static RetryPolicy defaults() {
        return new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(8), 0.25);
    }

    /** @return no retries at all */
    public static RetryPolicy none() {
        return new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0);
    }

    /**
     * @param retry which retry this is, from 1
     * @param random a uniformly random number in [0, 1)
     * @return the wait before that retry
     */
    public Duration backoff(int retry, double random) {
        long base = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        long wait = base;
        for (int i = 1; i < retry && wait < max; i++) {
            wait = Math.min(max, wait * 2);
        }
        return Duration.ofNanos((long) (Math.min(wait, max) * (1 - jitter * random)));
    }
}
