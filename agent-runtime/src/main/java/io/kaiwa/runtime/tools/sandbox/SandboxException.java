package io.kaiwa.runtime.tools.sandbox;

import io.kaiwa.core.exception.KaiwaException;

/**
 * The sandbox could not run the code at all: it is {@linkplain Availability.Unavailable unavailable}, it could not be
 * started, or its work folder could not be made. Failures of the code itself are not exceptions; they are
 * {@link SandboxResult}s.
 */
public class SandboxException extends KaiwaException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong; never {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
