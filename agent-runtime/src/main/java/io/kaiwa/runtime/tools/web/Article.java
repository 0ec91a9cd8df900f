package io.kaiwa.runtime.tools.web;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The readable part of a page: its title and its main text as paragraphs in document order. Headings are written
 * {@code ## Like this}, list items {@code - like this}.
 *
 * @param title the page's title; empty when it has none
 * @param paragraphs the main text's blocks, none blank
 */
record Article(String title, List<String> paragraphs) {
    Article {
        requireNonNull(title, "title");
        paragraphs = List.copyOf(paragraphs);
    }
}
