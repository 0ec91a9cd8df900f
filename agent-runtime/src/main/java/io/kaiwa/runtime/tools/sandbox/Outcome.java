package io.kaiwa.runtime.tools.sandbox;

/** How a sandboxed run ended. */
public enum Outcome {
    /** The code ran to the end and exited with status 0. */
    COMPLETED,
    /** The code exited with a non-zero status or died of a signal (e.g. an uncaught exception). */
    ERROR,
    /** The wall-clock limit passed; every process of the run was killed. */
    TIMED_OUT,
    /** The main process used up its CPU-time limit and was killed by {@code SIGXCPU}. */
    CPU_LIMIT,
    /** The code ran out of its address-space limit: Python raised {@code MemoryError}. */
    MEMORY_LIMIT,
    /**
     * The code kept writing: stdout or stderr ran far past its cap, or the work folder outgrew its disk quota; every
     * process of the run was killed.
     */
    OUTPUT_LIMIT
}
