package io.kaiwa.core.catalogue;

import java.util.Locale;

/** What a model takes in or gives out. */
public enum Modality {
    /** Text. */
    TEXT,
    /** Images. */
    IMAGE,
    /** Audio. */
    AUDIO,
    /** Video. */
    VIDEO;

    /** @return the name in the catalogue and on the wire, e.g. {@code image} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param wire a name such as {@code image}
     * @return its modality
     * @throws IllegalArgumentException for a name that is none
     */
    public static Modality ofWire(String wire) {
        for (Modality m : values()) {
            if (m.wire().equals(wire)) {
                return m;
            }
        }
        throw new IllegalArgumentException("not a modality (text, image, audio, video): " + wire);
    }
}
