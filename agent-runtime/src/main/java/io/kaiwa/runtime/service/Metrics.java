package io.kaiwa.runtime.service;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.core.Conversation;
import io.kaiwa.core.ModelAdapter;
import io.kaiwa.core.Turn;
import io.kaiwa.core.Usage;
import io.kaiwa.core.catalogue.Cost;
import io.kaiwa.core.event.StreamEvent;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.runtime.provider.Provider;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

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
    private final Map<String, ModelAdapter> timedAdapters = new ConcurrentHashMap<>();

    /**
     * @param provider the provider asked
     * @param mode {@code sync}, {@code stream} or {@code background}
     * @param status the response's final status ({@code failed} too when the provider's refusal was passed on as an
     *        HTTP error)
     * @param usage what it consumed
     */
    public void finished(Provider provider, String mode, String status, Usage usage) {
        // Meters are looked up once per tag set: building and registering one per response costs more than counting.
        counters.computeIfAbsent("r\n" + provider.name() + '\n' + mode + '\n' + status, k -> Counter.builder(
                "kaiwa.responses").description("Responses finished, by mode and status")
                .tags("provider", provider.name(), "mode", mode, "status", status).register(registry)).increment();
        tokens(provider, "input", usage.inputTokens());
        tokens(provider, "output", usage.outputTokens());
        tokens(provider, "cached", usage.cachedTokens());
        tokens(provider, "reasoning", usage.reasoningTokens());
    }

    /**
     * @param provider the provider the adapter calls
     * @param adapter its adapter
     * @return the same adapter, each of its calls timed in {@code kaiwa.upstream.duration}: one model call, from the
     *         request to the end of the answer (the tools Kaiwa runs between calls are not in it); made once per
     *         provider
     */
    public ModelAdapter timed(Provider provider, ModelAdapter adapter) {
        return timedAdapters.computeIfAbsent(provider.name(), name -> {
            Timer send = upstream(provider, "send");
            Timer stream = upstream(provider, "stream");
            return new ModelAdapter() {
                @Override
                public Uni<Turn> send(Conversation conversation, List<Item> input, RequestOptions options) {
                    return Uni.createFrom().deferred(() -> {
                        long start = System.nanoTime();
                        return adapter.send(conversation, input, options)
                                .onTermination().invoke(() -> send.record(System.nanoTime() - start, NANOSECONDS));
                    });
                }

                @Override
                public Multi<StreamEvent> stream(Conversation conversation, List<Item> input,
                        RequestOptions options) {
                    return Multi.createFrom().deferred(() -> {
                        long start = System.nanoTime();
                        return adapter.stream(conversation, input, options).onTermination()
                                .invoke(() -> stream.record(System.nanoTime() - start, NANOSECONDS));
                    });
                }
            };
        });
    }

    private Timer upstream(Provider provider, String call) {
        return timers.computeIfAbsent(provider.name() + '\n' + call, k -> Timer.builder("kaiwa.upstream.duration")
                .description("One call to the provider, from the request to the end of its answer")
                .tags("provider", provider.name(), "call", call).publishPercentileHistogram().register(registry));
    }

    /**
     * @param tenant whose response it was
     * @param model the model asked (as the catalogue names it)
     * @param cost what it cost
     */
    public void cost(String tenant, String model, Cost cost) {
        if (cost.total().signum() > 0) {
            counters.computeIfAbsent("c\n" + tenant + '\n' + model + '\n' + cost.currency(), k -> Counter.builder(
                    "kaiwa.cost").description("What responses cost, from their usage and the model catalogue's prices")
                    .baseUnit(cost.currency()).tags("tenant", tenant, "model", model, "currency", cost.currency())
                    .register(registry)).increment(cost.total().doubleValue());
        }
    }

    private void tokens(Provider provider, String kind, long count) {
        if (count > 0) {
            counters.computeIfAbsent("t\n" + provider.name() + '\n' + kind, k -> Counter.builder("kaiwa.tokens")
                    .description("Tokens reported by providers").baseUnit("tokens")
                    .tags("provider", provider.name(), "kind", kind).register(registry)).increment(count);
        }
    }
}
