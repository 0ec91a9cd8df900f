package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BackgroundApiTest} against the packaged service. */
@QuarkusIntegrationTest
class BackgroundApiIT extends BackgroundApiTest {
}
