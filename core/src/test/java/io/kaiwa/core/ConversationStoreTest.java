package io.kaiwa.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.exception.ConversationNotFoundException;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.spi.ConversationStore;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

class ConversationStoreTest {
    private final ConversationStore store = ConversationStore.inMemory();
    private static final Duration WAIT = Duration.ofSeconds(5);

    private static Turn turn(int n) {
        return Turn.completed(List.of(MessageItem.user("q" + n)), List.of(MessageItem.assistant("a" + n)));
    }

    @Test
    void savesFindsAppendsAndDeletes() {
        var c = Conversation.builder().id("c1").build();

        store.save(c).await().atMost(WAIT);
        var appended = store.appendTurn("c1", turn(1)).await().atMost(WAIT);

        assertThat(appended.turns()).containsExactly(turn(1));
        assertThat(store.find("c1").await().atMost(WAIT)).isEqualTo(appended);
        assertThat(store.delete("c1").await().atMost(WAIT)).isTrue();
        assertThat(store.delete("c1").await().atMost(WAIT)).isFalse();
        assertThat(store.find("c1").await().atMost(WAIT)).isNull();
    }

    @Test
    void appendingToAMissingConversationFailsWithATypedError() {
        store.appendTurn("nope", turn(1)).subscribe().withSubscriber(UniAssertSubscriber.create())
                .awaitFailure(WAIT).assertFailedWith(ConversationNotFoundException.class, "'nope'");
    }

    @Test
    void doesNothingBeforeSubscription() {
        store.save(Conversation.builder().id("lazy").build());

        assertThat(store.find("lazy").await().atMost(WAIT)).isNull();
    }

    @Test
    void concurrentAppendsAreAllKept() throws Exception {
        store.save(Conversation.builder().id("busy").build()).await().atMost(WAIT);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        var start = new CountDownLatch(1);
        try {
            for (int i = 0; i < 400; i++) {
                int n = i;
                pool.submit(() -> {
                    start.await();
                    return store.appendTurn("busy", turn(n)).await().atMost(WAIT);
                });
            }
            start.countDown();
        } finally {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }

        assertThat(store.find("busy").await().atMost(WAIT).turns()).hasSize(400).doesNotHaveDuplicates();
    }
}
