package io.kaiwa.runtime.tools.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import io.kaiwa.runtime.TestExtras;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

/** The path where no sandbox can be made: code is refused, never run unsandboxed. */
class PythonSandboxUnavailableTest {

    @Test
    void reportsAMissingBubblewrapAndRefusesToRun() {
        PythonSandbox sandbox = new PythonSandbox(
                SandboxSettings.builder().bwrap(Path.of("/nonexistent/bwrap")).build());

        assertThat(sandbox.availability()).isInstanceOfSatisfying(Availability.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).contains("/nonexistent/bwrap"));
        assertThat(sandbox.availability().isAvailable()).isFalse();
        assertThatThrownBy(() -> sandbox.run("print('must not run')"))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("unavailable")
                .hasMessageContaining("/nonexistent/bwrap");
    }

    @Test
    void failsTheUniWhenUnavailable() {
        // Where bubblewrap itself is missing, that is what the sandbox reports first, not the missing Python.
        TestExtras.assumeSandbox();
        PythonSandbox sandbox = new PythonSandbox(
                SandboxSettings.builder().python(Path.of("/nonexistent/python3")).build());
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            sandbox.run("print(1)", executor).subscribe().withSubscriber(UniAssertSubscriber.create())
                    .awaitFailure(Duration.ofSeconds(10))
                    .assertFailedWith(SandboxException.class, "/nonexistent/python3");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void reportsABubblewrapThatCannotBuildTheSandbox() {
        // /bin/false stands in for a bubblewrap that cannot create namespaces: it exits 1 and prints nothing.
        PythonSandbox sandbox = new PythonSandbox(SandboxSettings.builder().bwrap(Path.of("/bin/false")).build());

        assertThat(sandbox.availability()).isInstanceOfSatisfying(Availability.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).contains("trial sandbox run failed", "exit 1"));
    }

    @Test
    void refusesToRunAsRootWithoutADedicatedUid() {
        TestExtras.assumeSandbox();
        assumeTrue(SandboxUser.realUid() == 0, "only a root JVM could launch a root sandbox");
        PythonSandbox sandbox = new PythonSandbox(SandboxSettings.builder().user(SandboxUser.current()).build());

        assertThat(sandbox.availability()).isInstanceOfSatisfying(Availability.Unavailable.class,
                unavailable -> assertThat(unavailable.reason()).contains("dedicated sandbox uid"));
    }

    @Test
    void refusesToRunOnTheEventLoop() {
        var vertx = io.vertx.core.Vertx.vertx();
        try {
            PythonSandbox sandbox = new PythonSandbox(SandboxSettings.defaults());
            var failure = new java.util.concurrent.CompletableFuture<Throwable>();
            vertx.runOnContext(ignored -> {
                try {
                    sandbox.run("print(1)");
                    failure.complete(null);
                } catch (RuntimeException e) {
                    failure.complete(e);
                }
            });

            assertThat(failure.join()).isInstanceOf(IllegalStateException.class).hasMessageContaining("event loop");
        } finally {
            vertx.close();
        }
    }
}
