package io.kaiwa.core.context;

/** Replays every turn. */
public enum KeepAllPolicy implements ContextPolicy {
    /** The only instance. */
    INSTANCE;

    @Override
    public ContextWindow apply(ContextWindow window) {
        return window;
    }
}
