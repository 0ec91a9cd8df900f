package io.kaiwa.runtime.tools.web;

/**
 * A URL or response that the fetcher will not touch, carrying the message the model reads. Internal control flow
 * only: {@link WebExtractor} turns it into a {@link PageResult.Failure} and it never leaves the package.
 */
final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected(String message) {
        // No stack trace: this is an expected outcome, raised for every refused URL.
        super(message, null, false, false);
    }
}
