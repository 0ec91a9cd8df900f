package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ResponsesApiTest} against the packaged service. */
@QuarkusIntegrationTest
class ResponsesApiIT extends ResponsesApiTest {
}
