package io.kaiwa.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;

/**
 * What some black-box tests need beyond a JDK (a browser, manifests from the {@code kubernetes} profile's build). On a
 * machine without it they are skipped, with the reason shown; with {@code KAIWA_TEST_EXTRAS=required} (which
 * {@code .ci/run} sets, after providing them) a missing one fails the test instead, so CI cannot go green by skipping.
 */
final class Extras {
    private static final Set<String> TOLD = new HashSet<>();

    private Extras() {
    }

    /**
     * @param present whether the extra is here
     * @param why what the test needs and how to get it, as "needs ..."
     */
    static synchronized void assume(boolean present, String why) {
        if (present) {
            return;
        }
        if ("required".equals(System.getenv("KAIWA_TEST_EXTRAS"))) {
            fail("KAIWA_TEST_EXTRAS=required, but this test " + why);
        }
        if (TOLD.add(why)) {
            // Failsafe shows only a count of skipped tests: the reason goes to the build's output once.
            System.err.println("[kaiwa] skipping a test that " + why);
        }
        Assumptions.abort(why);
    }
}
