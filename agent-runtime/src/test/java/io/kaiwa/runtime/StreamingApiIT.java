package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link StreamingApiTest} against the packaged service. */
@QuarkusIntegrationTest
class StreamingApiIT extends StreamingApiTest {
}
