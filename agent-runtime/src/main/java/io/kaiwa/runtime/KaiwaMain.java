package io.kaiwa.runtime;

import io.kaiwa.runtime.persistence.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Starts the service. When no database is configured, an embedded PostgreSQL server is started first, in a local
 * data folder that survives restarts, and the service is pointed at it; it stops with the service.
 */
@QuarkusMain
public class KaiwaMain implements QuarkusApplication {

    /**
     * @param args passed to Quarkus
     * @throws Exception when the embedded database cannot start
     */
    public static void main(String... args) throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.startUnlessConfigured()) {
            Quarkus.run(KaiwaMain.class, args);
        }
    }

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
