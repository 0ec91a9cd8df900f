package io.kaiwa.runtime.tools.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One execution of code in the sandbox, from work folder to result. Blocks its caller; {@link #cancel()} may come from
 * any thread.
 */
final class SandboxRun {
    /** How often the work folder's disk use is measured. */
    private static final long DISK_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** Time for the kernel to tear the pid namespace down before bubblewrap itself is killed. */
    private static final long KILL_GRACE_MILLIS = 5_000;

    /** Pipe threads: three per run, daemons so a stuck pipe never holds the JVM up. */
    private static final ExecutorService PIPES = Executors.newCachedThreadPool(new PipeThreads());

    /** Python's last words when the address-space limit is hit. */
    private static final String MEMORY_ERROR = "MemoryError";

    private static final int SIGXCPU = 24;

    private final SandboxSettings settings;
    private final Map<String, String> launcherEnvironment;
    private final Object lock = new Object();
    private Process process;
    private long killNanos;
    private Outcome killReason;
    private boolean cancelled;

    SandboxRun(SandboxSettings settings, Map<String, String> launcherEnvironment) {
        this.settings = settings;
        this.launcherEnvironment = launcherEnvironment;
    }

    /** Kills the run if it is going, and makes it end at once if it has not started yet. */
    void cancel() {
        synchronized (lock) {
            cancelled = true;
        }
        kill(Outcome.ERROR);
    }

    SandboxResult execute(String code) {
        WorkFolder work;
        try {
            work = WorkFolder.create(settings.workRoot(), settings.user());
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("could not make a sandbox work folder under " + settings.workRoot(), e);
        }
        try (work) {
            return execute(code, work);
        }
    }

    private SandboxResult execute(String code, WorkFolder work) {
        ProcessBuilder builder = new ProcessBuilder(SandboxCommand.build(settings, work.path()));
        // bubblewrap clears the code's environment itself; the launcher gets none of the service's either.
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(launcherEnvironment);
        long start = System.nanoTime();
        synchronized (lock) {
            if (cancelled) {
                throw new SandboxException("the sandbox run was cancelled", null);
            }
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new SandboxException("could not start the sandbox: " + e.getMessage(), e);
            }
        }
        BoundedCapture stdout = new BoundedCapture(process.getInputStream(), settings.maxOutputBytes(),
                () -> kill(Outcome.OUTPUT_LIMIT));
        BoundedCapture stderr = new BoundedCapture(process.getErrorStream(), settings.maxOutputBytes(),
                () -> kill(Outcome.OUTPUT_LIMIT));
        List<Future<?>> pipes = List.of(PIPES.submit(() -> feed(process.getOutputStream(), code)),
                PIPES.submit(stdout), PIPES.submit(stderr));

        long deadline = start + settings.wallTimeout().toNanos();
        boolean timedOut = false;
        long nextDiskCheck = start + DISK_CHECK_NANOS;
        try {
            while (!process.waitFor(Math.max(0, Math.min(deadline, nextDiskCheck) - System.nanoTime()),
                    TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    timedOut = true;
                    kill(Outcome.TIMED_OUT, deadline);
                    break;
                }
                if (now - nextDiskCheck >= 0) {
                    if (work.usage() > settings.maxDiskBytes()) {
                        kill(Outcome.OUTPUT_LIMIT);
                        break;
                    }
                    nextDiskCheck = now + DISK_CHECK_NANOS;
                }
            }
            awaitExit();
        } catch (InterruptedException e) {
            kill(Outcome.ERROR);
            awaitExitQuietly();
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while the sandbox ran", e);
        }
        long end = System.nanoTime();
        // Every writer of the pipes was in the sandbox, and the sandbox is gone: the readers are at end of stream.
        for (Future<?> pipe : pipes) {
            try {
                pipe.get(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                pipe.cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SandboxException("interrupted while the sandbox ran", e);
            }
        }
        synchronized (lock) {
            if (cancelled) {
                throw new SandboxException("the sandbox run was cancelled", null);
            }
        }
        int exitCode = process.exitValue();
        String err = stderr.text();
        Outcome outcome;
        long killedAt;
        synchronized (lock) {
            outcome = timedOut ? Outcome.TIMED_OUT : killReason;
            killedAt = killNanos;
        }
        if (outcome == null) {
            outcome = classify(exitCode, err);
        }
        WorkFolder.Collected collected = work.collect(settings.maxFiles(), settings.maxFileBytes());
        return new SandboxResult(stdout.text(), err, exitCode, outcome, collected.files(), collected.skipped(),
                Duration.ofNanos(end - start), killedAt == 0 ? Duration.ZERO : Duration.ofNanos(end - killedAt));
    }

    private static Outcome classify(int exitCode, String stderr) {
        if (exitCode == 0) {
            return Outcome.COMPLETED;
        }
        if (exitCode == 128 + SIGXCPU) {
            return Outcome.CPU_LIMIT;
        }
        return lastLine(stderr).startsWith(MEMORY_ERROR) ? Outcome.MEMORY_LIMIT : Outcome.ERROR;
    }

    private static String lastLine(String text) {
        String trimmed = text.strip();
        return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }

    private static void feed(OutputStream stdin, String code) {
        try (stdin) {
            stdin.write(code.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The sandbox died before reading all of it; its stderr says why.
        }
    }

    private void kill(Outcome reason) {
        kill(reason, System.nanoTime());
    }

    /**
     * Kills the sandbox's pid 1 (the child of bubblewrap, whose pid is the same inside setpriv's exec): the kernel then
     * kills every process in the pid namespace, however it forked, set sid or detached, and bubblewrap exits once they
     * are all gone. Before pid 1 exists, bubblewrap itself is killed; {@code --die-with-parent} takes its child along.
     */
    private void kill(Outcome reason, long decidedAt) {
        Process target;
        synchronized (lock) {
            if (process == null || killNanos != 0) {
                return;
            }
            killNanos = decidedAt;
            killReason = reason;
            target = process;
        }
        List<ProcessHandle> init = target.children().toList();
        if (init.isEmpty()) {
            target.destroyForcibly();
        } else {
            init.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
            // Should not happen: pid 1 cannot outlive a SIGKILL. Kill bubblewrap and everything still under it.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
    }

    private void awaitExitQuietly() {
        try {
            process.destroyForcibly();
            process.waitFor(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class PipeThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "kaiwa-sandbox-pipe-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
