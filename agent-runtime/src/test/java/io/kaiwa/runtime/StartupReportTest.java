package io.kaiwa.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The start report names the database without ever printing its password. */
class StartupReportTest {

    @Test
    void theDatabaseIsNamedByHostPortAndNameOnly() {
        assertThat(StartupReport.withoutCredentials("postgresql://kaiwa:s3cret@db:5432/kaiwa")).isEqualTo(
                "db:5432/kaiwa");
        assertThat(StartupReport.withoutCredentials("postgresql://kaiwa:pa/ss@word@db/kaiwa")).isEqualTo("db/kaiwa");
        assertThat(StartupReport.withoutCredentials("postgresql://db:5432/kaiwa?user=k&password=s3cret"))
                .isEqualTo("db:5432/kaiwa");
        assertThat(StartupReport.withoutCredentials("vertx-reactive:postgresql://db/kaiwa")).isEqualTo("db/kaiwa");
        assertThat(StartupReport.withoutCredentials(null)).isEqualTo("(none)");
    }
}
