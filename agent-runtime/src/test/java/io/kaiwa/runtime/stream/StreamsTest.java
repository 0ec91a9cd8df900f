package io.kaiwa.runtime.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

class StreamsTest {
    static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void resolvesAtTheFirstItemWithAStreamOfEveryItem() {
        Multi<Integer> stream = Streams.firstThenRest(Multi.createFrom().items(1, 2, 3)).await().atMost(WAIT);

        assertThat(stream.collect().asList().await().atMost(WAIT)).containsExactly(1, 2, 3);
    }

    @Test
    void asksTheSourceOnlyForWhatItsSubscriberAsksFor() {
        AtomicLong requested = new AtomicLong();
        Multi<Integer> source = Multi.createFrom().range(0, 1_000).onRequest().invoke(requested::addAndGet);

        Multi<Integer> stream = Streams.firstThenRest(source).await().atMost(WAIT);
        assertThat(requested.get()).isEqualTo(1);
        AssertSubscriber<Integer> subscriber = stream.subscribe().withSubscriber(AssertSubscriber.create(3));

        subscriber.awaitItems(3, WAIT).assertNotTerminated();
        assertThat(subscriber.getItems()).containsExactly(0, 1, 2);
        assertThat(requested.get()).isEqualTo(3);
        subscriber.request(2).awaitItems(5, WAIT);
        assertThat(requested.get()).isEqualTo(5);
    }

    @Test
    void failsInsteadWhenTheSourceFailsFirst() {
        var failure = new IllegalStateException("refused");

        var result = Streams.firstThenRest(Multi.createFrom().<Integer>failure(failure)).subscribe()
                .withSubscriber(UniAssertSubscriber.create()).awaitFailure(WAIT);

        assertThat(result.getFailure()).isSameAs(failure);
    }

    @Test
    void aLaterFailureComesAfterTheItemsBeforeIt() {
        Multi<Integer> source = Multi.createBy().concatenating().streams(Multi.createFrom().items(1, 2),
                Multi.createFrom().failure(new IllegalStateException("cut")));

        AssertSubscriber<Integer> subscriber = Streams.firstThenRest(source).await().atMost(WAIT).subscribe()
                .withSubscriber(AssertSubscriber.create(10)).awaitFailure(WAIT);

        assertThat(subscriber.getItems()).isEqualTo(List.of(1, 2));
        assertThat(subscriber.getFailure()).hasMessage("cut");
    }

    @Test
    void aSourceThatEndsAfterOneItemEndsTheStreamAfterIt() {
        AssertSubscriber<String> subscriber = Streams.firstThenRest(Multi.createFrom().item("only")).await()
                .atMost(WAIT).subscribe().withSubscriber(AssertSubscriber.create(1)).awaitCompletion(WAIT);

        assertThat(subscriber.getItems()).containsExactly("only");
    }

    @Test
    void cancellingTheStreamCancelsTheSource() {
        AtomicBoolean cancelled = new AtomicBoolean();
        Multi<Long> source = Multi.createFrom().ticks().every(Duration.ofMillis(5)).onCancellation()
                .invoke(() -> cancelled.set(true));

        AssertSubscriber<Long> subscriber = Streams.firstThenRest(source).await().atMost(WAIT).subscribe()
                .withSubscriber(AssertSubscriber.create(1));
        subscriber.awaitItems(1, WAIT).cancel();

        assertThat(cancelled).isTrue();
    }
}
