package io.kaiwa.core;

import static java.util.Objects.requireNonNull;

/**
 * Why a turn failed, kept as plain data so a stored turn can be read back without the exception class.
 *
 * @param code a machine-readable code (the provider's, or Kaiwa's such as {@code upstream_timeout}); never
 *        {@code null}
 * @param message what went wrong, for people; never {@code null}
 */
public record TurnError(String code, String message) {
    public TurnError {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
    }
}
