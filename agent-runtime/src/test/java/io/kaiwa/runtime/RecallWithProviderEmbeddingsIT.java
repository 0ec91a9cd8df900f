package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RecallWithProviderEmbeddingsTest} against the packaged service. */
@QuarkusIntegrationTest
class RecallWithProviderEmbeddingsIT extends RecallWithProviderEmbeddingsTest {
}
