package io.kaiwa.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link BudgetApiTest} against the packaged service. */
@QuarkusIntegrationTest
class BudgetApiIT extends BudgetApiTest {
}
