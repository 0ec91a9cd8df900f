package io.kaiwa.core.catalogue;

import java.util.Locale;

/** Whether a model thinks before it answers. */
public enum Thinking {
    /** It never does. */
    NONE,
    /** On request ({@code enable_thinking}, {@code reasoning.effort}): Qwen's hybrid models. */
    OPTIONAL,
    /** Always: a reasoning model (QwQ, the {@code -thinking} variants). */
    ALWAYS;

    /** @return the name in the catalogue and on the wire, e.g. {@code optional} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire a name such as {@code optional}
     * @return its value
     * @throws IllegalArgumentException for a name that is none
     */
    public static Thinking ofWire(String wire) {
        for (Thinking t : values()) {
            if (t.wire().equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("not a thinking mode (none, optional, always): " + wire);
    }
}
