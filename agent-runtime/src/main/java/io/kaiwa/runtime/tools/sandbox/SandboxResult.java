package io.kaiwa.runtime.tools.sandbox;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What a sandboxed run produced.
 *
 * @param stdout the standard output, decoded as UTF-8; when longer than the cap, its head and tail joined by a line
 *        saying how many bytes were left out. Never {@code null}.
 * @param stderr the standard error, kept the same way (the tail keeps a traceback); never {@code null}
 * @param exitCode the exit status of the code's main process, {@code 128 + n} when signal {@code n} killed it; {@code
 *        137} when the sandbox killed the run
 * @param outcome how the run ended; never {@code null}
 * @param files the files left in the work folder, sorted by name, within the count and size caps (also when the run
 *        was killed: what was written by then); never {@code null}
 * @param skippedFiles names of files left in the work folder but not returned because they were over the caps; never
 *        {@code null}
 * @param wall from the start of the sandbox to the end of its last process
 * @param killLatency from the moment the sandbox decided to kill the run (the deadline, for {@link Outcome#TIMED_OUT})
 *        to the end of its last process; {@link Duration#ZERO} when the run ended by itself
 */
public record SandboxResult(String stdout, String stderr, int exitCode, Outcome outcome, List<OutputFile> files,
        List<String> skippedFiles, Duration wall, Duration killLatency) {

    public SandboxResult {
        requireNonNull(stdout, "stdout");
        requireNonNull(stderr, "stderr");
        requireNonNull(outcome, "outcome");
        files = List.copyOf(files);
        skippedFiles = List.copyOf(skippedFiles);
        requireNonNull(wall, "wall");
        requireNonNull(killLatency, "killLatency");
    }

    /** @return {@code true} when the sandbox killed the run (timeout or runaway output) */
    public boolean killed() {
        return outcome == Outcome.TIMED_OUT || outcome == Outcome.OUTPUT_LIMIT;
    }
}
