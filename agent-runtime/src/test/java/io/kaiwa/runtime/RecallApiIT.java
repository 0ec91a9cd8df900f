package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RecallApiTest} against the packaged service. */
@QuarkusIntegrationTest
class RecallApiIT extends RecallApiTest {
}
