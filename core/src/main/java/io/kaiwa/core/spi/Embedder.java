package io.kaiwa.core.spi;

import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * Turns texts into vectors whose dot product says how alike the texts are: what recall of earlier turns runs on.
 *
 * <p>
 * Implementations must be thread-safe and must not block the calling thread (a model run in-process runs on a
 * worker). Vectors of different {@link #model() models} are never compared.
 */
public interface Embedder {

    /** @return the embedding model, e.g. {@code text-embedding-v4}: stored with each vector */
    String model();

    /**
     * @param texts the texts; at least one
     * @return one vector per text, in order, each of unit length; fails with a
     *         {@link io.kaiwa.core.exception.KaiwaException} when the model cannot be asked
     */
    Uni<List<float[]>> embed(List<String> texts);
}
