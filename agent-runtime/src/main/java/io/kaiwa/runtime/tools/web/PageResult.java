package io.kaiwa.runtime.tools.web;

import static java.util.Objects.requireNonNull;

/**
 * What became of one requested URL: its readable text, or why there is none. A failure is a normal result, handed
 * to the model as the tool's answer for that URL.
 */
public sealed interface PageResult permits PageResult.Page, PageResult.Failure {
    /** @return the URL as it was requested */
    String url();

    /**
     * A page that was read.
     *
     * @param url the URL as it was requested
     * @param finalUrl where the text came from, after redirects
     * @param title the page's title; empty when it has none
     * @param text the title line and the kept paragraphs, trimmed to the page's share of the output budget
     */
    record Page(String url, String finalUrl, String title, String text) implements PageResult {
        public Page {
            requireNonNull(url, "url");
            requireNonNull(finalUrl, "finalUrl");
            requireNonNull(title, "title");
            requireNonNull(text, "text");
        }
    }

    /**
     * A URL that was not read.
     *
     * @param url the URL as it was requested ({@code ""} for a missing one)
     * @param error why, for the model, e.g. {@code "refused: 127.0.0.1 is a loopback address"}
     */
    record Failure(String url, String error) implements PageResult {
        public Failure {
            requireNonNull(url, "url");
            requireNonNull(error, "error");
        }
    }
}
