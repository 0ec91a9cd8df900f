package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BuiltInToolsApiTest} against the packaged service. */
@QuarkusIntegrationTest
class BuiltInToolsApiIT extends BuiltInToolsApiTest {
}
