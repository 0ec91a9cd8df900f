package io.kaiwa.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

import io.kaiwa.runtime.tools.sandbox.Availability;
import io.kaiwa.runtime.tools.sandbox.PythonSandbox;
import io.kaiwa.runtime.tools.sandbox.SandboxSettings;

/**
 * Tests that need what a machine with only a JDK lacks (bubblewrap and Python for {@code code_interpreter}). There
 * they are skipped, with the reason shown; with {@code KAIWA_TEST_EXTRAS=required} (which {@code .ci/run} sets, after
 * installing them) a missing extra fails the test instead, so CI cannot go green by skipping.
 */
public final class TestExtras {
    /** Whether the Python sandbox can run here, and if not, why. */
    public static final Availability SANDBOX = new PythonSandbox(SandboxSettings.defaults()).availability();

    private static volatile boolean told;

    private TestExtras() {
    }

    /** @return whether {@code KAIWA_TEST_EXTRAS=required} */
    public static boolean required() {
        return "required".equals(System.getenv("KAIWA_TEST_EXTRAS"));
    }

    /** Skips the test (or, when extras are required, fails it) unless the Python sandbox can run here. */
    public static void assumeSandbox() {
        if (SANDBOX instanceof Availability.Unavailable unavailable) {
            String why = "needs the code_interpreter sandbox (bubblewrap and Python; .ci/run installs them): "
                    + unavailable.reason();
            if (required()) {
                fail("KAIWA_TEST_EXTRAS=required, but this " + why);
            }
            if (!told) {
                // Surefire shows only a count of skipped tests: the reason goes to the build's output once.
                told = true;
                System.err.println("[kaiwa] skipping the tests that " + why.replaceFirst("^needs", "need"));
            }
            Assumptions.abort(why);
        }
    }
}
