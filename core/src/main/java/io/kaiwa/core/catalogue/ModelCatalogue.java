package io.kaiwa.core.catalogue;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.kaiwa.core.exception.InvalidPayloadException;
import io.kaiwa.core.internal.json.CatalogueJson;
import io.kaiwa.core.json.KaiwaJson;

/**
 * The models Kaiwa knows: their limits, modalities, thinking, multi-turn support, context cache and prices. The
 * catalogue shipped with Kaiwa ({@link #builtIn()}, Model Studio's Qwen models with the date and source of the
 * figures) is data, not code: {@code io/kaiwa/core/catalogue/models.json}. Users extend and override it
 * ({@link #with(ModelInfo)}, or the service's {@code kaiwa.models.<name>.*} settings) for any model, Qwen or not.
 *
 * <p>
 * A name is found exactly (or as an alias), else as a snapshot or variant of a known model: {@code qwen-plus-2025-07-28}
 * is {@code qwen-plus} when nothing closer is known. Immutable and thread-safe.
 */
public final class ModelCatalogue {
    private static final String RESOURCE = "/io/kaiwa/core/catalogue/models.json";
    private static volatile ModelCatalogue builtIn;

    private final Map<String, ModelInfo> byName;

    private ModelCatalogue(Map<String, ModelInfo> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** @return a catalogue with no models */
    public static ModelCatalogue empty() {
        return new ModelCatalogue(new LinkedHashMap<>());
    }

    /**
     * @return the catalogue shipped with Kaiwa, read once
     * @throws IllegalStateException when the shipped file is missing or malformed (a broken build)
     */
    public static ModelCatalogue builtIn() {
        ModelCatalogue c = builtIn;
        if (c == null) {
            try (InputStream in = ModelCatalogue.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the model catalogue " + RESOURCE + " is missing");
                }
                c = read(in);
            } catch (IOException | InvalidPayloadException e) {
                throw new IllegalStateException("the model catalogue " + RESOURCE + " cannot be read: "
                        + e.getMessage(), e);
            }
            builtIn = c;
        }
        return c;
    }

    /**
     * @param json a catalogue in the shipped file's shape
     * @return its models
     * @throws InvalidPayloadException naming the field at fault
     */
    public static ModelCatalogue read(InputStream json) {
        try {
            return of(CatalogueJson.read(KaiwaJson.parse(json.readAllBytes())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ModelCatalogue of(Collection<ModelInfo> models) {
        var map = new LinkedHashMap<String, ModelInfo>();
        for (ModelInfo m : models) {
            map.put(m.name(), m);
        }
        return new ModelCatalogue(map);
    }

    /**
     * @param model a model
     * @return a catalogue with it added, or in place of the entry of the same name
     */
    public ModelCatalogue with(ModelInfo model) {
        requireNonNull(model, "model");
        var map = new LinkedHashMap<>(byName);
        map.put(model.name(), model);
        return new ModelCatalogue(map);
    }

    /** @return every model, in the order they were given; unmodifiable */
    public Collection<ModelInfo> models() {
        return byName.values();
    }

    /**
     * @param model a model name as a request gives it
     * @return the entry of that name or alias; else the longest known name it extends with a {@code -} (a
     *         snapshot or variant); else empty
     */
    public Optional<ModelInfo> find(String model) {
        if (model == null) {
            return Optional.empty();
        }
        ModelInfo exact = byName.get(model);
        if (exact != null) {
            return Optional.of(exact);
        }
        ModelInfo best = null;
        for (ModelInfo m : byName.values()) {
            if (m.aliases().contains(model)) {
                return Optional.of(m);
            }
            if (model.startsWith(m.name() + "-") && (best == null || m.name().length() > best.name().length())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * @param model a model name
     * @return what is known of it, or {@link ModelInfo#unknown} with that name
     */
    public ModelInfo info(String model) {
        return find(model).orElseGet(() -> ModelInfo.unknown(model));
    }
}
