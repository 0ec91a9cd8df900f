package io.kaiwa.runtime.tools.search;

import org.jsoup.Jsoup;

import io.kaiwa.runtime.tools.text.Whitespace;

/** Text clean-up shared by the providers and the rendering: HTML to text, one-line text, safe truncation. */
final class Text {
    private Text() {
    }

    /**
     * @param html a snippet that may hold markup and entities (Brave marks matches with {@code <strong>}), or
     *        {@code null}
     * @return its text, whitespace collapsed; {@code ""} for {@code null}
     */
    static String fromHtml(String html) {
        if (html == null) {
            return "";
        }
        if (html.indexOf('<') < 0 && html.indexOf('&') < 0) {
            return Whitespace.collapse(html);
        }
        return Whitespace.collapse(Jsoup.parseBodyFragment(html).text());
    }

    /**
     * @param text the text
     * @param max the most characters to keep, ellipsis included; at least 2
     * @return the text, or its start and an ellipsis when longer; a surrogate pair is never split
     */
    static String clip(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int cut = max - 1;
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + '…';
    }
}
