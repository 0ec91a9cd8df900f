package io.kaiwa.core;

/** How a turn ended. */
public enum TurnStatus {
    /** The model finished its answer. */
    COMPLETED("completed"),
    /** The answer stopped early (output token limit, content filter); what was produced is kept. */
    INCOMPLETE("incomplete"),
    /** The call failed; {@link Turn#error()} says why. */
    FAILED("failed"),
    /** The caller cancelled the turn. */
    CANCELLED("cancelled");

    private final String wire;

    TurnStatus(String wire) {
        this.wire = wire;
    }

    /** @return the Responses API's name for it, e.g. {@code "completed"} */
    public String wire() {
        return wire;
    }

    /** @return whether the turn's items belong in the history replayed to later turns */
    public boolean replayable() {
        return this == COMPLETED || this == INCOMPLETE;
    }
}
