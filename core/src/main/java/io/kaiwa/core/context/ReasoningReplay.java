package io.kaiwa.core.context;

/**
 * Whether {@link io.kaiwa.core.item.ReasoningItem}s of earlier turns are sent again.
 *
 * <p>
 * Chat Completions providers (DashScope among them) want only the answer replayed, never
 * {@code reasoning_content}; some providers require reasoning replayed on tool-calling turns. Adapters choose per
 * model; {@link #OMIT} is their default.
 */
public enum ReasoningReplay {
    /** Leave reasoning items of earlier turns out of the request. */
    OMIT,
    /** Send reasoning items of earlier turns again. */
    KEEP
}
