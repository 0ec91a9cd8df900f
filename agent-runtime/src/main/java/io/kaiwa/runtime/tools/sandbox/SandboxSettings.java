package io.kaiwa.runtime.tools.sandbox;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How {@link PythonSandbox} builds its sandbox and what each run may use. Start from {@link #defaults()} or
 * {@link #builder()}.
 *
 * @param bwrap the bubblewrap executable; never {@code null}
 * @param python the CPython executable, as seen inside the sandbox; it must live under {@code /usr} or one of
 *        {@code readOnlyPaths}; never {@code null}
 * @param setpriv the util-linux {@code setpriv} executable, used only for a {@link SandboxUser.Dedicated} user; never
 *        {@code null}
 * @param readOnlyPaths host directories mounted read-only at the same place besides {@code /usr} (and the merged-usr
 *        links {@code /bin}, {@code /lib}, {@code /lib64}), e.g. a Python installed under {@code /opt}; never
 *        {@code null}
 * @param user the host account the code runs as; never {@code null}
 * @param workRoot the host directory under which each run's work folder is made; the sandbox user must be able to
 *        traverse it; never {@code null}
 * @param cpuTime the CPU time each process may use, in whole seconds (at least one)
 * @param wallTimeout the wall-clock time a run may take before all its processes are killed
 * @param memoryBytes the address space each process may map ({@code RLIMIT_AS}); Python needs about 64 MiB to start
 * @param maxProcesses the processes and threads a run may have at once, counting the sandbox's own init
 * @param maxOutputBytes the bytes of stdout, and separately of stderr, kept; a stream that runs on past 16 times this
 *        ends the run as {@link Outcome#OUTPUT_LIMIT}
 * @param maxFileBytes the largest file the code may write ({@code RLIMIT_FSIZE}), and the total size of the files
 *        returned
 * @param maxFiles the number of files returned
 * @param maxDiskBytes the disk space the work folder may take during the run (checked four times a second), and the
 *        size of each of the sandbox's memory-backed {@code /tmp} and {@code /dev/shm}
 */
public record SandboxSettings(Path bwrap, Path python, Path setpriv, List<Path> readOnlyPaths, SandboxUser user,
        Path workRoot, Duration cpuTime, Duration wallTimeout, long memoryBytes, int maxProcesses, int maxOutputBytes,
        long maxFileBytes, int maxFiles, long maxDiskBytes) {

    public SandboxSettings {
        requireNonNull(bwrap, "bwrap");
        requireNonNull(python, "python");
        requireNonNull(setpriv, "setpriv");
        readOnlyPaths = List.copyOf(readOnlyPaths);
        for (Path path : readOnlyPaths) {
            requireAbsolute(path, "readOnlyPaths");
        }
        requireNonNull(user, "user");
        requireNonNull(workRoot, "workRoot");
        requireAbsolute(python, "python");
        requirePositive(cpuTime, "cpuTime");
        requirePositive(wallTimeout, "wallTimeout");
        if (memoryBytes < 16L << 20) {
            throw new IllegalArgumentException("memoryBytes must be at least 16 MiB, got " + memoryBytes);
        }
        if (maxProcesses < 2) {
            throw new IllegalArgumentException(
                    "maxProcesses must be at least 2 (init and python), got " + maxProcesses);
        }
        if (maxOutputBytes < 64) {
            throw new IllegalArgumentException("maxOutputBytes must be at least 64, got " + maxOutputBytes);
        }
        if (maxFileBytes < 1 || maxFiles < 0 || maxDiskBytes < 4096) {
            throw new IllegalArgumentException("maxFileBytes must be positive, maxFiles not negative and maxDiskBytes"
                    + " at least 4096");
        }
    }

    /**
     * The defaults: {@code /usr/bin/bwrap}, {@code /usr/bin/python3}, {@code /usr/bin/setpriv},
     * {@link SandboxUser#forThisProcess()}, work folders under {@code java.io.tmpdir}, 30 s CPU, 60 s wall, 512 MiB,
     * 32 processes, 64 KiB per output stream, 10 MiB of files, 20 files, 64 MiB of disk.
     *
     * @return the default settings
     */
    public static SandboxSettings defaults() {
        return builder().build();
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bwrap = bwrap;
        b.python = python;
        b.setpriv = setpriv;
        b.readOnlyPaths = readOnlyPaths;
        b.user = user;
        b.workRoot = workRoot;
        b.cpuTime = cpuTime;
        b.wallTimeout = wallTimeout;
        b.memoryBytes = memoryBytes;
        b.maxProcesses = maxProcesses;
        b.maxOutputBytes = maxOutputBytes;
        b.maxFileBytes = maxFileBytes;
        b.maxFiles = maxFiles;
        b.maxDiskBytes = maxDiskBytes;
        return b;
    }

    /** @return {@link #cpuTime} in whole seconds, rounded up */
    long cpuSeconds() {
        return Math.max(1, (cpuTime.toMillis() + 999) / 1000);
    }

    private static void requirePositive(Duration duration, String name) {
        if (requireNonNull(duration, name).isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }

    private static void requireAbsolute(Path path, String name) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(name + " must be an absolute path, got " + path);
        }
    }

    /** Builds {@link SandboxSettings}; every setter rejects {@code null}. Not thread-safe. */
    public static final class Builder {
        private Path bwrap = Path.of("/usr/bin/bwrap");
        private Path python = Path.of("/usr/bin/python3");
        private Path setpriv = Path.of("/usr/bin/setpriv");
        private List<Path> readOnlyPaths = List.of();
        private SandboxUser user;
        private Path workRoot = Path.of(System.getProperty("java.io.tmpdir"));
        private Duration cpuTime = Duration.ofSeconds(30);
        private Duration wallTimeout = Duration.ofSeconds(60);
        private long memoryBytes = 512L << 20;
        private int maxProcesses = 32;
        private int maxOutputBytes = 64 << 10;
        private long maxFileBytes = 10L << 20;
        private int maxFiles = 20;
        private long maxDiskBytes = 64L << 20;

        private Builder() {
        }

        /** @param bwrap the bubblewrap executable @return this builder */
        public Builder bwrap(Path bwrap) {
            this.bwrap = requireNonNull(bwrap, "bwrap");
            return this;
        }

        /** @param python the CPython executable @return this builder */
        public Builder python(Path python) {
            this.python = requireNonNull(python, "python");
            return this;
        }

        /** @param setpriv the {@code setpriv} executable @return this builder */
        public Builder setpriv(Path setpriv) {
            this.setpriv = requireNonNull(setpriv, "setpriv");
            return this;
        }

        /** @param readOnlyPaths extra host directories mounted read-only @return this builder */
        public Builder readOnlyPaths(List<Path> readOnlyPaths) {
            this.readOnlyPaths = List.copyOf(readOnlyPaths);
            return this;
        }

        /** @param user the account the code runs as @return this builder */
        public Builder user(SandboxUser user) {
            this.user = requireNonNull(user, "user");
            return this;
        }

        /** @param workRoot where work folders are made @return this builder */
        public Builder workRoot(Path workRoot) {
            this.workRoot = requireNonNull(workRoot, "workRoot");
            return this;
        }

        /** @param cpuTime CPU time per process @return this builder */
        public Builder cpuTime(Duration cpuTime) {
            this.cpuTime = requireNonNull(cpuTime, "cpuTime");
            return this;
        }

        /** @param wallTimeout wall-clock time per run @return this builder */
        public Builder wallTimeout(Duration wallTimeout) {
            this.wallTimeout = requireNonNull(wallTimeout, "wallTimeout");
            return this;
        }

        /** @param memoryBytes address space per process @return this builder */
        public Builder memoryBytes(long memoryBytes) {
            this.memoryBytes = memoryBytes;
            return this;
        }

        /** @param maxProcesses processes and threads per run @return this builder */
        public Builder maxProcesses(int maxProcesses) {
            this.maxProcesses = maxProcesses;
            return this;
        }

        /** @param maxOutputBytes bytes kept per output stream @return this builder */
        public Builder maxOutputBytes(int maxOutputBytes) {
            this.maxOutputBytes = maxOutputBytes;
            return this;
        }

        /** @param maxFileBytes largest file, and total returned @return this builder */
        public Builder maxFileBytes(long maxFileBytes) {
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        /** @param maxFiles files returned @return this builder */
        public Builder maxFiles(int maxFiles) {
            this.maxFiles = maxFiles;
            return this;
        }

        /** @param maxDiskBytes disk quota of the work folder and size of each tmpfs @return this builder */
        public Builder maxDiskBytes(long maxDiskBytes) {
            this.maxDiskBytes = maxDiskBytes;
            return this;
        }

        /**
         * @return the settings
         * @throws IllegalArgumentException when a value is out of range
         */
        public SandboxSettings build() {
            return new SandboxSettings(bwrap, python, setpriv, readOnlyPaths,
                    user != null ? user : SandboxUser.forThisProcess(), workRoot, cpuTime, wallTimeout, memoryBytes,
                    maxProcesses, maxOutputBytes, maxFileBytes, maxFiles, maxDiskBytes);
        }
    }
}
