package io.kaiwa.runtime.tools.text;

/** Text from pages and search results, made to read on one line. */
public final class Whitespace {
    private Whitespace() {
    }

    /**
     * @param text any text, or {@code null}
     * @return it with every run of whitespace (newlines and non-breaking spaces included) made one space, trimmed;
     *         {@code ""} for {@code null}
     */
    public static String collapse(String text) {
        if (text == null) {
            return "";
        }
        var out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }
}
