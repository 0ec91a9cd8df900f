package io.kaiwa.runtime.tools.web;

import java.util.List;

/**
 * The answer to one {@code web_extractor} call: one result per requested URL, in the order requested.
 *
 * @param pages the results
 */
public record Extraction(List<PageResult> pages) {
    public Extraction {
        pages = List.copyOf(pages);
    }

    /**
     * Renders the results as the text the model reads: per URL a numbered header line, then the page text or an
     * {@code Error:} line. For example:
     *
     * <pre>
     * [1] https://example.com/a
     * # Title
     * First kept paragraph…
     *
     * [2] http://127.0.0.1/
     * Error: refused: 127.0.0.1 is a loopback address
     * </pre>
     *
     * @return the tool output
     */
    public String output() {
        if (pages.isEmpty()) {
            return "No URLs were given.";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pages.size(); i++) {
            PageResult result = pages.get(i);
            if (i > 0) {
                out.append("\n\n");
            }
            out.append('[').append(i + 1).append("] ").append(result.url());
            if (result instanceof PageResult.Page page) {
                if (!page.finalUrl().equals(page.url())) {
                    out.append(" (redirected to ").append(page.finalUrl()).append(')');
                }
                out.append('\n').append(page.text().isEmpty() ? "(no readable text)" : page.text());
            } else if (result instanceof PageResult.Failure failure) {
                out.append("\nError: ").append(failure.error());
            } else {
                throw new AssertionError(result);
            }
        }
        return out.toString();
    }

    /** @return whether every URL failed (the agent loop may then mark the call as failed) */
    public boolean allFailed() {
        return !pages.isEmpty() && pages.stream().allMatch(PageResult.Failure.class::isInstance);
    }
}
