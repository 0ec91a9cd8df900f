package io.kaiwa.runtime.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProvidersTest {
    @Test
    void aMissingKeyIsNamedByTheEnvironmentVariableQuarkusReadsForIt() {
        assertThat(Providers.apiKeyVariable("qwen")).isEqualTo("KAIWA_PROVIDERS_QWEN_API_KEY");
        assertThat(Providers.apiKeyVariable("qwen-responses")).isEqualTo("KAIWA_PROVIDERS_QWEN_RESPONSES_API_KEY");
        // KAIWA_PROVIDERS__QWEN_INTL__BASE_URL and the like make a provider named "qwen.intl".
        assertThat(Providers.apiKeyVariable("qwen.intl")).isEqualTo("KAIWA_PROVIDERS__QWEN_INTL__API_KEY");
    }
}
