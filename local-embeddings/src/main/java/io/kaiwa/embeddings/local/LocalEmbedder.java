package io.kaiwa.embeddings.local;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.kaiwa.core.context.Recall;
import io.kaiwa.core.exception.ConnectionException;
import io.kaiwa.core.spi.Embedder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * An {@link Embedder} that runs all-MiniLM-L6-v2 (quantized, 384 dimensions) in this process with ONNX Runtime: no
 * service to call, no key, nothing leaves the machine. The model is loaded on first use (about half a second) and
 * each text then takes a few milliseconds of CPU, on the executor given (Mutiny's worker pool by default), never on
 * the caller's thread. A text longer than 510 tokens is embedded in pieces, averaged (LangChain4j's split; the
 * model was trained on 256).
 *
 * <pre>{@code
 * Embedder embedder = LocalEmbedder.create();
 * List<float[]> vectors = embedder.embed(List.of("私の猫はミケです")).await().indefinitely();
 * }</pre>
 *
 * <p>
 * Thread-safe; one instance serves everything (the model is held once).
 */
public final class LocalEmbedder implements Embedder {
    /** The model's name, stored with its vectors. */
    public static final String MODEL = "all-minilm-l6-v2-q";

    private final Executor executor;
    private volatile EmbeddingModel model;

    private LocalEmbedder(Executor executor) {
        this.executor = requireNonNull(executor, "executor");
    }

    /** @return an embedder working on Mutiny's default worker pool */
    public static LocalEmbedder create() {
        return new LocalEmbedder(Infrastructure.getDefaultWorkerPool());
    }

    /**
     * @param executor where the model runs; it blocks a thread for the time of each call
     * @return an embedder working there
     */
    public static LocalEmbedder create(Executor executor) {
        return new LocalEmbedder(executor);
    }

    @Override
    public String model() {
        return MODEL;
    }

    @Override
    public Uni<List<float[]>> embed(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed");
        }
        return Uni.createFrom().item(() -> run(texts)).runSubscriptionOn(executor);
    }

    /** @return resolves once the model is loaded, so that the first request does not wait for it */
    public Uni<Void> warmUp() {
        return Uni.createFrom().item(() -> {
            loaded();
            return (Void) null;
        }).runSubscriptionOn(executor);
    }

    private List<float[]> run(List<String> texts) {
        var segments = new ArrayList<TextSegment>(texts.size());
        for (String t : texts) {
            // The model takes no blank text; a placeholder is as unlike every real text.
            segments.add(TextSegment.from(t == null || t.isBlank() ? "(empty)" : t));
        }
        List<Embedding> embeddings;
        try {
            embeddings = loaded().embedAll(segments).content();
        } catch (RuntimeException | LinkageError e) {
            throw new ConnectionException("the local embedding model failed: " + e, 0, null, e);
        }
        var out = new ArrayList<float[]>(embeddings.size());
        for (Embedding e : embeddings) {
            out.add(Recall.unit(e.vector()));
        }
        return out;
    }

    private EmbeddingModel loaded() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    // The model's own pool splits long texts; the caller's executor already runs this call.
                    m = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
                    model = m;
                }
            }
        }
        return m;
    }
}
