package io.kaiwa.runtime.run;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.core.Usage;
import io.kaiwa.runtime.provider.Provider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the service adds to {@code /q/metrics} beyond Quarkus's HTTP metrics: responses by mode and status, upstream
 * latency per provider, and tokens per provider and kind.
 */
@ApplicationScoped
public class Metrics {
    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
     * @param provider the provider asked
     * @param mode {@code sync}, {@code stream} or {@code background}
     * @param status the response's final status
     * @param upstream how long the provider took, start to end
     * @param usage what it consumed
     */
    public void finished(Provider provider, String mode, String status, Duration upstream, Usage usage) {
        String key = provider.name() + '\n' + mode + '\n' + status;
        // Meters are looked up once per tag set: building and registering one per response costs more than counting.
        Counter responses = counters.computeIfAbsent("r\n" + key, k -> Counter.builder("kaiwa.responses")
                .description("Responses finished, by mode and status")
                .tags("provider", provider.name(), "mode", mode, "status", status).register(registry));
        responses.increment();
        timers.computeIfAbsent(provider.name() + '\n' + mode, k -> Timer.builder("kaiwa.upstream.duration")
                .description("Time the provider took to answer, start to end")
                .tags("provider", provider.name(), "mode", mode).publishPercentileHistogram().register(registry))
                .record(upstream);
        tokens(provider, "input", usage.inputTokens());
        tokens(provider, "output", usage.outputTokens());
        tokens(provider, "cached", usage.cachedTokens());
        tokens(provider, "reasoning", usage.reasoningTokens());
    }

    private void tokens(Provider provider, String kind, long count) {
        if (count > 0) {
            counters.computeIfAbsent("t\n" + provider.name() + '\n' + kind, k -> Counter.builder("kaiwa.tokens")
                    .description("Tokens reported by providers").baseUnit("tokens")
                    .tags("provider", provider.name(), "kind", kind).register(registry)).increment(count);
        }
    }
}
