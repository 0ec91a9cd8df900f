package io.kaiwa.chat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.context.Recall;
import io.kaiwa.core.exception.AuthenticationException;
import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.http.AdapterSettings;
import io.kaiwa.core.http.BodyBuffer;
import io.kaiwa.core.http.HttpAdapterBuilder;
import io.kaiwa.core.http.HttpRequest;
import io.kaiwa.core.http.UpstreamClient;
import io.kaiwa.core.http.UpstreamErrors;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.spi.Embedder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * An {@link Embedder} over an OpenAI-compatible {@code POST {base}/embeddings}: DashScope's compatible mode with
 * {@code text-embedding-v4} by default, or any OpenAI-compatible server. Texts go {@link Builder#batchSize} at a time
 * (DashScope takes 10 per request), one request after another, with the adapters' retries and error mapping.
 *
 * <pre>{@code
 * try (var embedder = OpenAiEmbedder.builder().build()) {
 *     List<float[]> vectors = embedder.embed(List.of("私の猫はミケです")).await().indefinitely();
 * }
 * }</pre>
 *
 * <p>
 * Thread-safe. Close it to release its connections.
 */
public final class OpenAiEmbedder implements Embedder, AutoCloseable {
    /** DashScope's current embedding model. */
    public static final String TEXT_EMBEDDING_V4 = "text-embedding-v4";

    private final AdapterSettings settings;
    private final UpstreamClient client;
    private final Integer dimensions;
    private final int batchSize;
    private final Map<String, String> headers;
    private final URI endpoint;
    private final AtomicInteger bodySizeHint = new AtomicInteger(1024);

    private OpenAiEmbedder(AdapterSettings settings, Integer dimensions, int batchSize) {
        this.settings = settings;
        // The embeddings API answers errors as the chat APIs do: the chat adapters' one error mapper.
        this.client = new UpstreamClient(settings.transport(), settings.retryPolicy(), UpstreamErrors::map);
        this.dimensions = dimensions;
        this.batchSize = batchSize;
        this.headers = Map.copyOf(settings.headers(false));
        this.endpoint = URI.create(settings.baseUri() + "/embeddings");
    }

    /** @return a builder for DashScope's compatible mode and {@link #TEXT_EMBEDDING_V4} */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String model() {
        return dimensions == null ? settings.model() : settings.model() + "@" + dimensions;
    }

    @Override
    public Uni<List<float[]>> embed(List<String> texts) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed");
        }
        return Uni.createFrom().deferred(() -> {
            if (settings.apiKey() == null) {
                throw new AuthenticationException("no API key: set the " + settings.apiKeySource()
                        + " environment variable or pass apiKey(...) to the embedder's builder", 401,
                        "missing_api_key", null, null);
            }
            var batches = new ArrayList<List<String>>();
            for (int i = 0; i < texts.size(); i += batchSize) {
                batches.add(texts.subList(i, Math.min(texts.size(), i + batchSize)));
            }
            return Multi.createFrom().iterable(batches).onItem().transformToUniAndConcatenate(this::batch)
                    .collect().in(() -> new ArrayList<float[]>(texts.size()), List::addAll)
                    .map(all -> (List<float[]>) all);
        });
    }

    private Uni<List<float[]>> batch(List<String> texts) {
        var body = BodyBuffer.sizedBy(bodySizeHint);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(body)) {
            g.writeStartObject();
            g.writeStringField("model", settings.model());
            g.writeArrayFieldStart("input");
            for (String t : texts) {
                // The API refuses an empty text; a blank one is as unlike everything.
                g.writeString(t == null || t.isBlank() ? " " : t);
            }
            g.writeEndArray();
            if (dimensions != null) {
                g.writeNumberField("dimensions", dimensions);
            }
            g.writeStringField("encoding_format", "float");
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var request = new HttpRequest(endpoint, headers, body.take(bodySizeHint), settings.requestTimeout(),
                settings.idleTimeout());
        return client.send(request).map(response -> read(KaiwaJson.parse(response.body()), texts.size()));
    }

    private static List<float[]> read(JsonNode answer, int expected) {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.size() != expected) {
            throw new InvalidPayloadException("", "the embeddings answer has " + data.size() + " vectors for "
                    + expected + " texts", null);
        }
        var out = new ArrayList<float[]>(expected);
        for (int i = 0; i < expected; i++) {
            out.add(null);
        }
        for (JsonNode d : data) {
            int index = d.path("index").asInt(-1);
            JsonNode e = d.path("embedding");
            if (index < 0 || index >= expected || !e.isArray() || e.isEmpty() || out.get(index) != null) {
                throw new InvalidPayloadException("", "the embeddings answer has a vector without a valid index or "
                        + "numbers", null);
            }
            float[] v = new float[e.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = e.get(k).floatValue();
            }
            out.set(index, Recall.unit(v));
        }
        return out;
    }

    /** Closes the connection pool, and the private Vert.x instance if the embedder started one. */
    @Override
    public void close() {
        settings.closeTransport();
    }

    /** Builds an {@link OpenAiEmbedder}. */
    public static final class Builder extends HttpAdapterBuilder<Builder> {
        private Integer dimensions;
        private int batchSize = 10;

        private Builder() {
            super(ChatCompletionsAdapter.DASHSCOPE_INTL);
            model(TEXT_EMBEDDING_V4);
        }

        /**
         * @param dimensions the vectors' length, for a model that offers several (text-embedding-v4: 64 to 2,048,
         *        1,024 by default)
         * @return this
         */
        public Builder dimensions(int dimensions) {
            if (dimensions < 1) {
                throw new IllegalArgumentException("dimensions must be at least 1, was " + dimensions);
            }
            this.dimensions = dimensions;
            return this;
        }

        /**
         * @param size the most texts per request (DashScope: 10)
         * @return this
         */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, was " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** @return the embedder */
        public OpenAiEmbedder build() {
            return new OpenAiEmbedder(settings(), dimensions, batchSize);
        }
    }
}
