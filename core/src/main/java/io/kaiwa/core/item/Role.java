package io.kaiwa.core.item;

/** Who speaks in a {@link MessageItem}. */
public enum Role {
    /** Instructions from the application, highest priority. */
    SYSTEM("system"),
    /** Instructions from the developer (OpenAI's newer name for system-level guidance). */
    DEVELOPER("developer"),
    /** The end user. */
    USER("user"),
    /** The model. */
    ASSISTANT("assistant");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    /** @return the name on the wire, e.g. {@code "user"} */
    public String wire() {
        return wire;
    }

    /**
     * @param wire a wire name
     * @return the role, or {@code null} when the name is not one of the four
     */
    public static Role fromWire(String wire) {
        for (Role r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        return null;
    }
}
