package io.kaiwa.embeddings.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.kaiwa.core.context.Recall;

class LocalEmbedderTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static ExecutorService pool;
    private static LocalEmbedder embedder;

    @BeforeAll
    static void load() {
        pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "embedder"));
        embedder = LocalEmbedder.create(pool);
        embedder.warmUp().await().atMost(WAIT);
    }

    @AfterAll
    static void stop() {
        pool.shutdown();
    }

    @Test
    void givesOneUnitVectorPerTextInOrderOffTheCallersThread() {
        var thread = new AtomicReference<String>();
        List<float[]> vectors = embedder.embed(List.of("私の猫はミケです", "", "The door code is 4471."))
                .invoke(v -> thread.set(Thread.currentThread().getName())).await().atMost(WAIT);

        assertThat(vectors).hasSize(3).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(Recall.similarity(v, v)).isCloseTo(1.0, within(1e-4));
        });
        assertThat(thread.get()).isEqualTo("embedder");
        assertThat(embedder.model()).isEqualTo("all-minilm-l6-v2-q");
    }

    @Test
    void aQuestionIsClosestToTheTurnThatAnswersItInJapaneseAndEnglish() {
        List<String> turns = List.of("User: 今日は天気がいいですね。\nAssistant: そうですね。",
                "User: 私の猫の名前はミケです。\nAssistant: ミケちゃん、覚えました。",
                "User: How do I sort a list in Python?\nAssistant: Use sorted().",
                "User: The server room door code is 4471.\nAssistant: Noted.",
                "User: 週末は何をしましょうか。\nAssistant: 散歩はどうですか。");
        List<float[]> stored = embedder.embed(turns).await().atMost(WAIT);
        List<float[]> questions = embedder.embed(List.of("猫の名前は何でしたっけ?", "What is the server room's code?"))
                .await().atMost(WAIT);

        assertThat(Recall.top(questions.get(0), stored, 1, 0).get(0).index()).isEqualTo(1);
        assertThat(Recall.top(questions.get(1), stored, 1, 0).get(0).index()).isEqualTo(3);
    }
}
