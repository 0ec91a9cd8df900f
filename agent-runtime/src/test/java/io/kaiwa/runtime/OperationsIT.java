package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OperationsTest} against the packaged service. */
@QuarkusIntegrationTest
class OperationsIT extends OperationsTest {
}
