package io.kaiwa.core.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.Usage;
import io.kaiwa.core.context.ReasoningReplay;
import io.kaiwa.core.exception.InvalidPayloadException;

class ModelCatalogueTest {
    static ModelCatalogue read(String json) {
        return ModelCatalogue.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    static final String TIERED = """
            {"currency":"USD","source":"https://example.test/models","sourceDate":"2026-11-20","models":[
             {"name":"qwen3-max","aliases":["qwen3-max-2026-01-23"],"contextWindow":262144,"maxInputTokens":258048,
              "maxOutputTokens":65536,"input":["text"],"output":["text"],"thinking":"optional","contextCache":true,
              "prices":[{"maxInputTokens":32768,"input":"1.2","cachedInput":"0.24","output":"6"},
                        {"maxInputTokens":131072,"input":"2.4","cachedInput":"0.48","output":"12"},
                        {"input":"3","cachedInput":"0.6","output":"15","thinkingOutput":"30"}],
              "toolCalls":{"web_search":"0.005"}},
             {"name":"qwen-vl-ocr","input":["image","text"],"multiTurn":false,
              "prices":[{"input":"0.72","output":"0.72"}]}]}""";

    @Test
    void findsAModelByItsNameAnAliasOrAsASnapshotOfIt() {
        ModelCatalogue c = read(TIERED);

        assertThat(c.find("qwen3-max").map(ModelInfo::name)).contains("qwen3-max");
        assertThat(c.find("qwen3-max-2026-01-23").map(ModelInfo::name)).contains("qwen3-max");
        assertThat(c.find("qwen-vl-ocr-2025-11-20").map(ModelInfo::name)).contains("qwen-vl-ocr");
        assertThat(c.find("qwen3-maximal")).isEmpty();
        assertThat(c.info("gpt-chat")).isEqualTo(ModelInfo.unknown("gpt-chat"));
        ModelInfo ocr = c.find("qwen-vl-ocr").orElseThrow();
        assertThat(ocr.multiTurn()).isFalse();
        assertThat(ocr.inputModalities()).containsExactlyInAnyOrder(Modality.IMAGE, Modality.TEXT);
        assertThat(ocr.source()).isEqualTo("https://example.test/models");
        assertThat(ocr.sourceDate()).hasToString("2026-11-20");
    }

    @Test
    void pricesACallByTheTierOfItsInputCachedTokensThinkingAndToolCalls() {
        ModelInfo max = read(TIERED).find("qwen3-max").orElseThrow();

        Cost small = max.cost(new Usage(10_000, 1_000, 11_000, 4_000, 0, Map.of("web_search", 2L)));
        Cost large = max.cost(new Usage(200_000, 1_000, 201_000, 0, 500, null));

        // 6,000 uncached at 1.2/M, 4,000 cached at 0.24/M, 1,000 out at 6/M, two searches at 0.005.
        assertThat(small.input()).isEqualByComparingTo("0.0072");
        assertThat(small.cachedInput()).isEqualByComparingTo("0.00096");
        assertThat(small.output()).isEqualByComparingTo("0.006");
        assertThat(small.toolCalls()).isEqualByComparingTo("0.01");
        assertThat(small.total()).isEqualByComparingTo("0.02416");
        assertThat(small.currency()).isEqualTo("USD");
        // Past 131,072 input tokens: the last tier, and an answer that thought is priced as thinking.
        assertThat(large.input()).isEqualByComparingTo("0.6");
        assertThat(large.output()).isEqualByComparingTo("0.03");
        assertThat(small.plus(large).total()).isEqualByComparingTo(small.total().add(large.total()));
    }

    @Test
    void aModelWithoutPricesHasNoCost() {
        assertThat(ModelInfo.unknown("m").cost(Usage.of(10, 10))).isNull();
    }

    @Test
    void aMalformedCatalogueNamesTheFieldAtFault() {
        assertThatThrownBy(() -> read("""
                {"currency":"USD","models":[{"name":"m","prices":[{"input":"x","output":"1"}]}]}"""))
                .isInstanceOfSatisfying(InvalidPayloadException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0].prices[0].input"));
        assertThatThrownBy(() -> read("""
                {"currency":"USD","models":[{"name":"m","thinking":"sometimes"}]}"""))
                .isInstanceOfSatisfying(InvalidPayloadException.class,
                        e -> assertThat(e.path()).isEqualTo("models[0]"));
        assertThatThrownBy(() -> new Pricing("USD", List.of(new PriceTier(null, BigDecimal.ONE, null,
                BigDecimal.ONE, null), new PriceTier(10L, BigDecimal.ONE, null, BigDecimal.ONE, null)), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rise");
    }

    @Test
    void isExtendedAndOverriddenWithoutChangingTheOriginal() {
        ModelCatalogue base = read(TIERED);
        var mine = new ModelInfo("my-model", List.of(), 32_000, null, 4_000, Set.of(Modality.TEXT),
                Set.of(Modality.TEXT), Thinking.NONE, ReasoningReplay.KEEP, true, false, null, "configuration", null);

        ModelCatalogue extended = base.with(mine);

        assertThat(extended.find("my-model")).contains(mine);
        assertThat(base.find("my-model")).isEmpty();
        assertThat(extended.models()).hasSize(3);
    }

    @Test
    void theShippedCatalogueReadsAndKnowsTheSeedsModels() {
        ModelCatalogue c = ModelCatalogue.builtIn();

        for (String model : List.of("qwen3-max", "qwen3-max-2026-01-23", "qwen3-max-preview", "qwen-plus", "qwen-flash",
                "qwen-turbo",
                "qwen3-vl-plus", "qwen-vl-ocr", "qwen3-omni-flash", "qwq-plus", "text-embedding-v4")) {
            assertThat(c.find(model)).as(model).isPresent();
        }
        assertThat(c.find("qwen-vl-ocr").orElseThrow().multiTurn()).isFalse();
        assertThat(c.find("qwen3-omni-30b-a3b-captioner").orElseThrow().multiTurn()).isFalse();
        assertThat(c.find("qwq-plus").orElseThrow().thinking()).isEqualTo(Thinking.ALWAYS);
        assertThat(c.find("text-embedding-v4").orElseThrow().outputModalities()).isEmpty();
        assertThat(c.find("qwen3-max-2026-01-23").orElseThrow().contextCache()).as("snapshots are not cached")
                .isFalse();
        assertThat(c.models()).allSatisfy(m -> {
            assertThat(m.source()).as(m.name()).startsWith("https://");
            assertThat(m.sourceDate()).as(m.name()).isNotNull();
        });
    }
}
