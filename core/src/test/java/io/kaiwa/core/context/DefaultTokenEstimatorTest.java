package io.kaiwa.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.internal.context.DefaultTokenEstimator;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.spi.TokenEstimator;

class DefaultTokenEstimatorTest {
    private final TokenEstimator estimator = TokenEstimator.defaultEstimator();

    @Test
    void countsAboutOneTokenPerCjkCharacter() {
        // 20 Japanese characters: kanji, hiragana and katakana.
        assertThat(estimator.estimateText("人工知能は人間の知的行動をシミュレートする")).isBetween(19L, 22L);
        assertThat(estimator.estimateText("안녕하세요")).isEqualTo(5);
        assertThat(estimator.estimateText("你好，世界！")).isEqualTo(6);
    }

    @Test
    void countsAboutOneTokenPerFourLatinCharacters() {
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(10);

        assertThat(estimator.estimateText(text)).isBetween(110L, 115L);
    }

    @Test
    void countsMixedTextByItsParts() {
        assertThat(estimator.estimateText("Qwen は AI です")).isEqualTo(
                estimator.estimateText("は") + estimator.estimateText("です") + 3);
    }

    @Test
    void addsFramingAndFixedMediaCosts() {
        var text = new MessageItem(null, io.kaiwa.core.item.Role.USER, List.of(new InputText("abcd")), null, null);
        var image = MessageItem.user(new InputText("abcd"), InputImage.ofUrl("https://example.com/a.png"));

        assertThat(estimator.estimate(text)).isEqualTo(5);
        assertThat(estimator.estimate(image) - estimator.estimate(text)).isGreaterThan(500);
    }

    @Test
    void handlesNullAndEmptyText() {
        assertThat(estimator.estimateText(null)).isZero();
        assertThat(estimator.estimateText("")).isZero();
    }

    @Test
    void calibratesTowardsWhatTheProviderReports() {
        var calibrated = new DefaultTokenEstimator();
        String text = "x".repeat(4000);
        long before = calibrated.estimateText(text);

        // The provider keeps counting 1.5 times the estimate: the factor converges there.
        for (int i = 0; i < 30; i++) {
            long estimate = calibrated.estimateText(text);
            calibrated.calibrate(estimate, before * 3 / 2);
        }

        assertThat(calibrated.factor()).isCloseTo(1.5, within(0.01));
        assertThat(calibrated.estimateText(text)).isCloseTo(before * 3 / 2, within(15L));
    }

    @Test
    void ignoresAbsurdObservationsBeyondItsBounds() {
        var calibrated = new DefaultTokenEstimator();
        for (int i = 0; i < 50; i++) {
            calibrated.calibrate(10, 1_000_000);
        }
        assertThat(calibrated.factor()).isEqualTo(4.0);
        calibrated.calibrate(0, 100);
        calibrated.calibrate(100, 0);
        assertThat(calibrated.factor()).isEqualTo(4.0);
    }

    @Test
    void separateInstancesCalibrateSeparately() {
        var a = (DefaultTokenEstimator) TokenEstimator.defaultEstimator();
        var b = (DefaultTokenEstimator) TokenEstimator.defaultEstimator();

        a.calibrate(100, 200);

        assertThat(a.factor()).isGreaterThan(1.0);
        assertThat(b.factor()).isEqualTo(1.0);
    }
}
