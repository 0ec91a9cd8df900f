package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ModelsApiTest} against the packaged service. */
@QuarkusIntegrationTest
class ModelsApiIT extends ModelsApiTest {
}
