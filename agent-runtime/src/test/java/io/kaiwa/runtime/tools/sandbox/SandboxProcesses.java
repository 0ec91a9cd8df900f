package io.kaiwa.runtime.tools.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Looks at the host's {@code /proc} for processes a sandbox left behind. */
final class SandboxProcesses {
    private SandboxProcesses() {
    }

    /** @return pids of host processes whose real uid is {@code uid} */
    static List<Long> ofUid(int uid) {
        List<Long> found = new ArrayList<>();
        for (Path proc : pids()) {
            try {
                for (String line : Files.readAllLines(proc.resolve("status"))) {
                    if (line.startsWith("Uid:") && line.substring(4).trim().split("\\s+")[0].equals(
                            Integer.toString(uid))) {
                        found.add(Long.parseLong(proc.getFileName().toString()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Gone while we looked.
            }
        }
        return found;
    }

    /** @return pids of host processes whose command line contains {@code marker} */
    static List<Long> withMarker(String marker) {
        List<Long> found = new ArrayList<>();
        for (Path proc : pids()) {
            try {
                String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                if (cmdline.contains(marker)) {
                    found.add(Long.parseLong(proc.getFileName().toString()));
                }
            } catch (IOException | RuntimeException e) {
                // Gone while we looked.
            }
        }
        return found;
    }

    /** Polls {@code condition} until it holds or {@code timeout} passes; @return whether it held. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }

    private static List<Path> pids() {
        List<Path> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            entries.forEach(pids::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }
}
