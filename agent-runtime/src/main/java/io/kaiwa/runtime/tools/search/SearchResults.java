package io.kaiwa.runtime.tools.search;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import io.kaiwa.core.item.WebSearchCallItem;
import io.kaiwa.runtime.tools.text.Whitespace;

/**
 * What one search found: the results in the provider's ranking, and what the tool hands on from them, the
 * {@code web_search_call} item's {@linkplain #action() action} and the {@linkplain #render(int) text the model
 * reads}.
 *
 * @param provider the name of the provider that answered, e.g. {@code searxng}; never {@code null}
 * @param query the query as sent; never {@code null}
 * @param results the results, best first; empty when nothing matched; never {@code null}
 * @param notes the provider's remarks worth telling the model, e.g. engines that did not answer; never
 *        {@code null}
 */
public record SearchResults(String provider, String query, List<SearchResult> results, List<String> notes) {
    /** The default bound on {@link #render()}'s length, in characters (roughly a thousand tokens). */
    public static final int DEFAULT_RENDER_CHARS = 4_000;
    /** The smallest bound {@link #render(int)} accepts. */
    public static final int MIN_RENDER_CHARS = 200;

    private static final int TITLE_CHARS = 200;
    private static final int URL_CHARS = 500;
    private static final int SNIPPET_CHARS = 400;
    private static final int QUERY_CHARS = 200;
    private static final int NOTE_CHARS = 300;
    // Room kept for the "(n more results not shown)" line, so it always fits.
    private static final int OMITTED_LINE_CHARS = 40;

    public SearchResults {
        requireNonNull(provider, "provider");
        requireNonNull(query, "query");
        results = List.copyOf(requireNonNull(results, "results"));
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * @param provider the provider's name; never {@code null}
     * @param query the query; never {@code null}
     * @param results the results, best first; never {@code null}
     * @return results without notes
     */
    public static SearchResults of(String provider, String query, List<SearchResult> results) {
        return new SearchResults(provider, query, results, List.of());
    }

    /** @return whether nothing matched */
    public boolean isEmpty() {
        return results.isEmpty();
    }

    /**
     * @return the results' URLs as {@code web_search_call} sources ({@code {"type":"url","url":...}}), in rank
     *         order, each URL once
     */
    public List<WebSearchCallItem.Source> sources() {
        var urls = new LinkedHashSet<String>();
        for (SearchResult r : results) {
            urls.add(r.url());
        }
        var sources = new ArrayList<WebSearchCallItem.Source>(urls.size());
        for (String url : urls) {
            sources.add(new WebSearchCallItem.Source("url", url, null));
        }
        return sources;
    }

    /** @return the {@code web_search_call} item's action: {@code {"type":"search","query":...,"sources":[...]}} */
    public WebSearchCallItem.Action action() {
        return new WebSearchCallItem.Action("search", query, sources(), null);
    }

    /**
     * @return the text the model reads, at most {@link #DEFAULT_RENDER_CHARS} characters
     * @see #render(int)
     */
    public String render() {
        return render(DEFAULT_RENDER_CHARS);
    }

    /**
     * Renders the results as the compact, numbered text the model reads: a header naming the query, then per
     * result its number, title, URL and snippet on their own lines, then the notes. Fields are put on one line and
     * clipped (title 200, URL 500, snippet 400 characters); results that do not fit whole in {@code maxChars} are
     * left out and counted in a last line, so a number the model cites always maps to a whole result.
     *
     * @param maxChars the most characters to return; at least {@link #MIN_RENDER_CHARS}
     * @return the text, never longer than {@code maxChars}
     * @throws IllegalArgumentException when {@code maxChars} is below {@link #MIN_RENDER_CHARS}
     */
    public String render(int maxChars) {
        if (maxChars < MIN_RENDER_CHARS) {
            throw new IllegalArgumentException("maxChars must be at least " + MIN_RENDER_CHARS + ": " + maxChars);
        }
        // A long query must not crowd out the results in a small budget.
        String q = Text.clip(Whitespace.collapse(query), Math.min(QUERY_CHARS, maxChars / 4));
        var out = new StringBuilder();
        if (results.isEmpty()) {
            out.append("No results for \"").append(q).append("\".");
        } else {
            out.append("Search results for \"").append(q).append("\" (").append(results.size()).append("):");
        }
        int shown = 0;
        for (SearchResult r : results) {
            String block = block(shown + 1, r);
            int reserve = shown + 1 < results.size() ? OMITTED_LINE_CHARS : 0;
            if (out.length() + block.length() + reserve > maxChars) {
                break;
            }
            out.append(block);
            shown++;
        }
        if (shown < results.size()) {
            out.append("\n\n(").append(results.size() - shown).append(" more results not shown)");
        }
        for (String note : notes) {
            String line = "\nNote: " + Text.clip(Whitespace.collapse(note), NOTE_CHARS);
            if (out.length() + line.length() <= maxChars) {
                out.append(line);
            }
        }
        return out.toString();
    }

    private static String block(int number, SearchResult r) {
        var b = new StringBuilder("\n\n[").append(number).append("] ");
        String title = Text.clip(Whitespace.collapse(r.title()), TITLE_CHARS);
        b.append(title.isEmpty() ? "(untitled)" : title);
        b.append('\n').append(Text.clip(Whitespace.collapse(r.url()), URL_CHARS));
        if (r.published() != null) {
            b.append("\nPublished: ").append(Text.clip(Whitespace.collapse(r.published()), 40));
        }
        String snippet = Text.clip(Whitespace.collapse(r.snippet()), SNIPPET_CHARS);
        if (!snippet.isEmpty()) {
            b.append('\n').append(snippet);
        }
        return b.toString();
    }
}
