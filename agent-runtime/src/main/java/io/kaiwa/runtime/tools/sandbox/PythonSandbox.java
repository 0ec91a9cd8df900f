package io.kaiwa.runtime.tools.sandbox;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;

/**
 * Runs model-written Python in a bubblewrap sandbox: the engine of the {@code code_interpreter} tool.
 *
 * <p>
 * Each run gets fresh namespaces (no network but a private loopback, its own pid, IPC, UTS and cgroup namespaces, a user
 * namespace that cannot make further ones), a root file system holding only read-only {@code /usr}, a private
 * {@code /proc} and {@code /dev}, small memory-backed {@code /tmp} and {@code /dev/shm}, and a fresh work folder at
 * {@code /mnt/data}, its working directory and the only writable disk. The environment is cleared. The code runs as an
 * unprivileged host account (see {@link SandboxUser}) with limits on CPU time, address space, processes, file size and
 * open files, under a wall-clock deadline; when the run ends, however it ends, every process it started is gone and the
 * work folder is deleted, after the regular files in it have been read back as {@link OutputFile}s.
 *
 * <p>
 * Code is never run without the sandbox. Whether the sandbox works here is decided once, by a trial run, the first time
 * {@link #availability()} or a {@code run} method is called; when it does not, {@code run} fails with a
 * {@link SandboxException} carrying the reason.
 *
 * <p>
 * Thread-safe; runs may overlap, each with its own limits. A run blocks its thread for up to the wall timeout plus a
 * moment, so it must not be called on a Vert.x event loop: use {@link #run(String, Executor)} with a worker pool.
 */
public final class PythonSandbox {
    /** The probe's own deadline: a cold first start of Python can take far longer than a tight test timeout. */
    private static final Duration PROBE_WALL_TIMEOUT = Duration.ofSeconds(20);

    private final SandboxSettings settings;
    private final Map<String, String> launcherEnvironment;
    private volatile Availability availability;

    /**
     * Creates a sandbox. Nothing is checked or started until the first use.
     *
     * @param settings the sandbox and its limits; never {@code null}
     */
    public PythonSandbox(SandboxSettings settings) {
        this(settings, Map.of());
    }

    /** For tests: {@code launcherEnvironment} is added to bubblewrap's own environment, which the code must not see. */
    PythonSandbox(SandboxSettings settings, Map<String, String> launcherEnvironment) {
        this.settings = requireNonNull(settings, "settings");
        this.launcherEnvironment = Map.copyOf(launcherEnvironment);
    }

    /** @return the settings this sandbox was made with */
    public SandboxSettings settings() {
        return settings;
    }

    /**
     * Tells whether code can run here. The first call makes a trial run of {@code print(6 * 7)} with every isolation
     * feature in place (taking tens of milliseconds, blocking) and remembers the answer; later calls return it at once.
     *
     * @return {@link Availability.Available}, or {@link Availability.Unavailable} with the reason; never {@code null}
     */
    public Availability availability() {
        Availability known = availability;
        if (known == null) {
            synchronized (this) {
                known = availability;
                if (known == null) {
                    known = probe();
                    availability = known;
                }
            }
        }
        return known;
    }

    /**
     * Runs {@code code} in a fresh sandbox and waits for it to end. The code reads nothing on stdin (it is at end of
     * file), runs in {@code /mnt/data}, and has its files there returned.
     *
     * @param code the Python source; never {@code null}
     * @return what the run produced; the code's own failures, timeouts and limits are outcomes, not exceptions
     * @throws SandboxException when the sandbox is unavailable or could not be started
     * @throws IllegalStateException when called on a Vert.x event-loop thread
     */
    public SandboxResult run(String code) {
        requireNonNull(code, "code");
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the Python sandbox blocks; run it on a worker thread, not the event loop");
        }
        requireAvailable();
        return new SandboxRun(settings, launcherEnvironment).execute(code);
    }

    /**
     * Runs {@code code} like {@link #run(String)} on {@code executor} when subscribed. Cancelling the subscription
     * kills the run.
     *
     * @param code the Python source; never {@code null}
     * @param executor where the blocking run happens, e.g. a worker pool; never a Vert.x event loop; never {@code null}
     * @return a {@link Uni} of the result, failing with {@link SandboxException} when the sandbox is unavailable,
     *         could not be started, or {@code executor} refused the task
     */
    public Uni<SandboxResult> run(String code, Executor executor) {
        requireNonNull(code, "code");
        requireNonNull(executor, "executor");
        return Uni.createFrom().emitter(emitter -> {
            SandboxRun run = new SandboxRun(settings, launcherEnvironment);
            emitter.onTermination(run::cancel);
            try {
                executor.execute(() -> {
                    SandboxResult result;
                    try {
                        requireAvailable();
                        result = run.execute(code);
                    } catch (RuntimeException e) {
                        emitter.fail(e);
                        return;
                    }
                    emitter.complete(result);
                });
            } catch (RejectedExecutionException e) {
                emitter.fail(new SandboxException("the executor refused the sandbox run", e));
            }
        });
    }

    private void requireAvailable() {
        if (availability() instanceof Availability.Unavailable unavailable) {
            throw new SandboxException("the Python sandbox is unavailable: " + unavailable.reason(), null);
        }
    }

    private Availability probe() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return Availability
                    .unavailable("bubblewrap sandboxes need Linux, this is " + System.getProperty("os.name"));
        }
        if (!Files.isExecutable(settings.bwrap())) {
            return Availability.unavailable("no bubblewrap executable at " + settings.bwrap()
                    + " (Debian package bubblewrap)");
        }
        if (!Files.isExecutable(settings.python())) {
            return Availability.unavailable("no Python executable at " + settings.python());
        }
        if (settings.user() instanceof SandboxUser.Dedicated) {
            if (!Files.isExecutable(settings.setpriv())) {
                return Availability.unavailable("no setpriv executable at " + settings.setpriv()
                        + " (Debian package util-linux)");
            }
        } else if (SandboxUser.realUid() == 0) {
            return Availability.unavailable("the service runs as root: configure a dedicated sandbox uid, as code"
                    + " running as the current user would be root on the host");
        }
        SandboxSettings trial = settings.toBuilder().wallTimeout(PROBE_WALL_TIMEOUT).build();
        int expectedUid = settings.user() instanceof SandboxUser.Dedicated dedicated
                ? dedicated.uid()
                : SandboxUser.realUid();
        SandboxResult result;
        try {
            result = new SandboxRun(trial, launcherEnvironment).execute("import os\nprint(6 * 7, os.getuid())\n");
        } catch (SandboxException e) {
            return Availability.unavailable(e.getMessage());
        }
        String expected = expectedUid < 0 ? "42 " : "42 " + expectedUid;
        if (result.outcome() != Outcome.COMPLETED || !result.stdout().strip().startsWith(expected)
                || result.stdout().strip().equals("42 0")) {
            return Availability.unavailable("the trial sandbox run failed (" + result.outcome() + ", exit "
                    + result.exitCode() + "): " + firstLines(result.stderr().isBlank()
                            ? result.stdout()
                            : result.stderr()));
        }
        return Availability.available();
    }

    private static String firstLines(String text) {
        String stripped = text.strip();
        return stripped.length() > 500 ? stripped.substring(0, 500) + "..." : stripped;
    }
}
