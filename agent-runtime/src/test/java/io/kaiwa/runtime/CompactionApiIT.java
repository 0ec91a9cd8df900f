package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CompactionApiTest} against the packaged service. */
@QuarkusIntegrationTest
class CompactionApiIT extends CompactionApiTest {
}
