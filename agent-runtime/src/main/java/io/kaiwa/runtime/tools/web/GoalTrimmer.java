package io.kaiwa.runtime.tools.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Cuts an article down to a character budget, keeping the paragraphs that best match the goal, in document order.
 * Relevance is the goal's words found in a paragraph, each weighted by how rare it is across the article (so "the
 * 2024 price" is driven by "2024" and "price", not by words every paragraph has), with a bonus for paragraphs under
 * a heading that matches. CJK text has no spaces, so it is compared by character pairs. With no matching paragraph
 * the article's beginning is kept. Skipped stretches are marked {@value #GAP}. Stateless.
 */
final class GoalTrimmer {
    /** Marks paragraphs left out between two kept ones. */
    static final String GAP = "[…]";
    private static final String SEPARATOR = "\n\n";
    private static final Set<String> STOP_WORDS = Set.of("a", "about", "an", "and", "are", "as", "at", "be", "by",
            "can", "do", "does", "find", "for", "from", "get", "how", "i", "in", "into", "is", "it", "its", "learn",
            "me", "my", "of", "on", "or", "out", "page", "tell", "that", "the", "their", "this", "to", "was", "we",
            "what", "when", "where", "which", "who", "why", "will", "with", "you", "your");

    private GoalTrimmer() {
    }

    /**
     * @param article the page's title and paragraphs
     * @param goal what the model wants to learn; {@code null} or blank keeps the beginning
     * @param budget the most characters returned, at least 1
     * @return the title as {@code # Title} (when there is one), then the kept paragraphs separated by blank lines;
     *         never longer than {@code budget}
     */
    static String trim(Article article, String goal, int budget) {
        String head = article.title().isEmpty() ? "" : "# " + article.title() + SEPARATOR;
        if (head.length() >= budget) {
            return cut(head.strip(), budget);
        }
        int room = budget - head.length();
        List<String> paragraphs = article.paragraphs();
        String whole = String.join(SEPARATOR, paragraphs);
        if (whole.length() <= room) {
            return (head + whole).strip();
        }
        double[] scores = scores(paragraphs, goal == null ? "" : goal);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < paragraphs.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
        TreeSet<Integer> kept = new TreeSet<>();
        int used = 0;
        for (int i : order) {
            // Each paragraph may bring a separator and a gap marker with it: count both so the total never overruns.
            int cost = paragraphs.get(i).length() + 2 * SEPARATOR.length() + GAP.length();
            if (used + cost <= room) {
                kept.add(i);
                used += cost;
            }
        }
        if (kept.isEmpty()) {
            return (head + cut(paragraphs.get(order.get(0)), room)).strip();
        }
        StringBuilder out = new StringBuilder(head);
        int previous = -1;
        for (int i : kept) {
            if (i > previous + 1) {
                out.append(GAP).append(SEPARATOR);
            }
            out.append(paragraphs.get(i)).append(SEPARATOR);
            previous = i;
        }
        if (previous < paragraphs.size() - 1) {
            out.append(GAP);
        }
        return cut(out.toString().strip(), budget);
    }

    private static double[] scores(List<String> paragraphs, String goal) {
        Set<String> goalTerms = new HashSet<>(terms(goal));
        goalTerms.removeIf(t -> STOP_WORDS.contains(t) || (t.length() < 2 && t.codePointAt(0) < 0x2E80));
        int n = paragraphs.size();
        List<Map<String, Integer>> counts = new ArrayList<>(n);
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (String p : paragraphs) {
            Map<String, Integer> c = new HashMap<>();
            for (String t : terms(p)) {
                if (goalTerms.contains(t)) {
                    c.merge(t, 1, Integer::sum);
                }
            }
            c.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
            counts.add(c);
        }
        double[] scores = new double[n];
        double section = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (Map.Entry<String, Integer> e : counts.get(i).entrySet()) {
                double idf = Math.log(1 + (double) n / documentFrequency.get(e.getKey()));
                s += idf * (1 + Math.log(e.getValue()));
            }
            if (paragraphs.get(i).startsWith("#")) {
                section = s;
            }
            scores[i] = s + 0.5 * section;
        }
        return scores;
    }

    /**
     * @param text any text
     * @return its words, lower case with a plural {@code s} dropped; runs of CJK characters as overlapping pairs
     */
    static List<String> terms(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        StringBuilder cjk = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (isCjk(cp)) {
                flushWord(word, out);
                cjk.appendCodePoint(cp);
            } else if (Character.isLetterOrDigit(cp)) {
                flushCjk(cjk, out);
                word.appendCodePoint(Character.toLowerCase(cp));
            } else {
                flushWord(word, out);
                flushCjk(cjk, out);
            }
        });
        flushWord(word, out);
        flushCjk(cjk, out);
        return out;
    }

    private static void flushWord(StringBuilder word, List<String> out) {
        if (word.length() > 0) {
            out.add(stem(word.toString()));
            word.setLength(0);
        }
    }

    private static void flushCjk(StringBuilder run, List<String> out) {
        int[] cps = run.codePoints().toArray();
        if (cps.length == 1) {
            out.add(new String(cps, 0, 1));
        }
        for (int i = 0; i + 1 < cps.length; i++) {
            out.add(new String(cps, i, 2));
        }
        run.setLength(0);
    }

    private static String stem(String w) {
        if (w.length() > 4 && w.endsWith("ies")) {
            return w.substring(0, w.length() - 3) + "y";
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    private static boolean isCjk(int cp) {
        Character.UnicodeScript script = Character.UnicodeScript.of(cp);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
    }

    /** Shortens text to at most {@code max} characters, at a word boundary where there is one, ending in "…". */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        if (max <= 1) {
            return "…".substring(0, max);
        }
        int end = max - 1;
        int space = text.lastIndexOf(' ', end);
        if (space > max / 2) {
            end = space;
        }
        // Never split a surrogate pair.
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + "…";
    }
}
