package io.kaiwa.runtime.tools.sandbox;

import static java.util.Objects.requireNonNull;

/**
 * Whether {@link PythonSandbox} can run code here: {@link Available} or {@link Unavailable} with the reason. A closed
 * set, decided once per sandbox by a trial run.
 */
public sealed interface Availability permits Availability.Available, Availability.Unavailable {

    /** @return the sandbox works */
    static Availability available() {
        return Available.INSTANCE;
    }

    /**
     * @param reason why no sandbox can be made, for operators; never {@code null}
     * @return the sandbox does not work and will refuse to run code
     */
    static Availability unavailable(String reason) {
        return new Unavailable(reason);
    }

    /** @return {@code true} for {@link Available} */
    default boolean isAvailable() {
        return this instanceof Available;
    }

    /** The trial run succeeded with every isolation feature in place. */
    record Available() implements Availability {
        static final Available INSTANCE = new Available();
    }

    /**
     * No sandbox can be made; code is never run without one.
     *
     * @param reason what failed, e.g. the bubblewrap error; never {@code null}
     */
    record Unavailable(String reason) implements Availability {
        public Unavailable {
            requireNonNull(reason, "reason");
        }
    }
}
