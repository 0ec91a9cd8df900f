package io.kaiwa.core.content;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An annotation type this version does not model, kept verbatim.
 *
 * @param type the wire {@code type}, or {@code null}
 * @param raw the annotation's JSON as received; copied, never {@code null}
 */
public record UnknownAnnotation(String type, ObjectNode raw) implements Annotation {
    public UnknownAnnotation {
        raw = requireNonNull(raw, "raw").deepCopy();
    }

    /** @return the JSON as received; a copy */
    @Override
    public ObjectNode raw() {
        return raw.deepCopy();
    }
}
