package io.kaiwa.runtime.provider;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.kaiwa.core.catalogue.Modality;
import io.kaiwa.core.catalogue.ModelCatalogue;
import io.kaiwa.core.catalogue.ModelInfo;
import io.kaiwa.core.catalogue.PriceTier;
import io.kaiwa.core.catalogue.Pricing;
import io.kaiwa.core.catalogue.Thinking;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.runtime.config.KaiwaConfig;

/**
 * The model catalogue the service uses: the one shipped with Kaiwa, extended and overridden by
 * {@code kaiwa.models.<name>.*}. Read once at start; a setting that makes no sense stops the start, naming it.
 */
@ApplicationScoped
public class Models {
    private final ModelCatalogue catalogue;
    private final KaiwaConfig config;

    /** @param config the service's settings */
    @Inject
    public Models(KaiwaConfig config) {
        this.config = config;
        ModelCatalogue c = ModelCatalogue.builtIn();
        for (Map.Entry<String, KaiwaConfig.Model> e : config.models().entrySet()) {
            try {
                atLeastOne(e.getValue().lastTurns().orElse(1), "last-turns");
                atLeastOne(e.getValue().lastTurnsBlock().orElse(1), "last-turns-block");
                // A snapshot or variant set up here starts from what is known of its model.
                c = c.with(merge(e.getKey(), c.find(e.getKey()).orElseGet(() -> ModelInfo.unknown(e.getKey())),
                        e.getValue()));
            } catch (IllegalArgumentException invalid) {
                throw new IllegalStateException("kaiwa.models." + e.getKey() + ": " + invalid.getMessage(), invalid);
            }
        }
        this.catalogue = c;
    }

    /** @return every model known */
    public ModelCatalogue catalogue() {
        return catalogue;
    }

    /**
     * @param model a model name as a request gives it
     * @return what is known of it, or what is assumed of a model nothing is known of
     */
    public ModelInfo info(String model) {
        return catalogue.info(model);
    }

    /**
     * @param model a model name as a request gives it
     * @return past how many input tokens a request to it is compacted: its {@code compact-threshold}, else
     *         {@code kaiwa.context.threshold} of its context window or max input, whichever is smaller; {@code null}
     *         when neither is known
     */
    public Integer compactThreshold(String model) {
        KaiwaConfig.Model own = config.models().get(model);
        if (own != null && own.compactThreshold().isPresent()) {
            return own.compactThreshold().get();
        }
        ModelInfo info = info(model);
        Integer window = info.contextWindow();
        if (info.maxInputTokens() != null && (window == null || info.maxInputTokens() < window)) {
            window = info.maxInputTokens();
        }
        return window == null ? null : (int) (window * config.context().threshold());
    }

    private static void atLeastOne(int value, String setting) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be at least 1, was " + value);
        }
    }

    private static ModelInfo merge(String name, ModelInfo base, KaiwaConfig.Model given) {
        return new ModelInfo(name, name.equals(base.name()) ? base.aliases() : List.of(),
                given.contextWindow().orElse(base.contextWindow()),
                given.maxInputTokens().orElse(base.maxInputTokens()),
                given.maxOutputTokens().orElse(base.maxOutputTokens()),
                given.input().map(Models::modalities).orElse(base.inputModalities()),
                given.output().map(Models::modalities).orElse(base.outputModalities()),
                given.thinking().map(Thinking::ofWire).orElse(base.thinking()),
                given.reasoningReplay().map(Models::replay).orElse(base.reasoningReplay()),
                given.multiTurn().orElse(base.multiTurn()), given.contextCache().orElse(base.contextCache()),
                pricing(base.pricing(), given), "configuration", null);
    }

    private static Pricing pricing(Pricing base, KaiwaConfig.Model given) {
        KaiwaConfig.Price p = given.price();
        List<PriceTier> tiers = base == null ? List.of() : base.tiers();
        String currency = base == null ? p.currency() : base.currency();
        if (p.input().isPresent() || p.output().isPresent()) {
            if (p.input().isEmpty() || p.output().isEmpty()) {
                throw new IllegalArgumentException("price.input and price.output go together");
            }
            tiers = List.of(new PriceTier(null, p.input().get(), p.cachedInput().orElse(null), p.output().get(),
                    p.thinkingOutput().orElse(null)));
            currency = p.currency();
        }
        Map<String, BigDecimal> tools = new LinkedHashMap<>(base == null ? Map.of() : base.toolCalls());
        tools.putAll(given.toolCallPrice());
        if (tiers.isEmpty()) {
            if (!tools.isEmpty()) {
                throw new IllegalArgumentException("tool-call-price needs the model's price.input and price.output");
            }
            return null;
        }
        return new Pricing(currency, new ArrayList<>(tiers), tools);
    }

    private static Set<Modality> modalities(List<String> names) {
        Set<Modality> out = EnumSet.noneOf(Modality.class);
        names.forEach(n -> out.add(Modality.ofWire(n.trim())));
        return out;
    }

    private static ReasoningReplay replay(String name) {
        return switch (name) {
            case "keep" -> ReasoningReplay.KEEP;
            case "omit" -> ReasoningReplay.OMIT;
            default -> throw new IllegalArgumentException("reasoning-replay must be omit or keep: " + name);
        };
    }
}
