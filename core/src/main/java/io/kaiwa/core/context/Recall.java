package io.kaiwa.core.context;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import io.kaiwa.core.Turn;
import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.Role;

/**
 * Recall of earlier turns: what of a turn is embedded, how alike two vectors are, the most alike of many, and how
 * the turns found are added to a request, marked as recalled. A turn that a summary or a last-N policy left out can
 * so come back when the new input asks about it.
 *
 * <p>
 * The recalled turns go into the new input, never before the history, so the prompt's beginning (and the provider's
 * prefix cache) is not disturbed.
 */
public final class Recall {
    /** Opens the recalled block a request carries. */
    public static final String HEADING = "Recalled from earlier in this conversation (for reference; not new input):";
    /** Closes it. */
    public static final String END = "(end of recalled turns)";

    private Recall() {
    }

    /**
     * A turn found for a request.
     *
     * @param turn the turn
     * @param number its place in the conversation, from 1
     * @param score how alike it is to the new input, from -1 to 1
     */
    public record Recalled(Turn turn, int number, double score) {
    }

    /**
     * A candidate's place in a list, and its score.
     *
     * @param index where it is in the list scored
     * @param score its similarity to the query
     */
    public record Scored(int index, double score) {
    }

    /**
     * @param turn a turn
     * @param maxChars the most characters to keep (a turn's beginning says what it is about)
     * @return the text of its user and assistant messages, each line starting with who said it; empty when none
     */
    public static String text(Turn turn, int maxChars) {
        var sb = new StringBuilder(256);
        append(sb, turn.input());
        append(sb, turn.output());
        return cut(sb.toString(), maxChars);
    }

    private static void append(StringBuilder sb, List<Item> items) {
        for (Item item : items) {
            if (item instanceof MessageItem m && (m.role() == Role.USER || m.role() == Role.ASSISTANT)) {
                String text = m.text();
                if (!text.isBlank()) {
                    if (!sb.isEmpty()) {
                        sb.append('\n');
                    }
                    sb.append(m.role() == Role.USER ? "User: " : "Assistant: ").append(text.strip());
                }
            }
        }
    }

    /**
     * @param turn a turn
     * @param maxChars the most characters to keep
     * @return what the user said in it, and what the assistant answered: embedded apart, so that a short fact the user
     *         stated is not drowned by a long answer (and an answer's content can still be found); each may be empty
     */
    public static List<String> parts(Turn turn, int maxChars) {
        String said = query(turn.input());
        var answer = new StringBuilder();
        for (Item item : turn.output()) {
            if (item instanceof MessageItem m && m.role() == Role.ASSISTANT && !m.text().isBlank()) {
                if (!answer.isEmpty()) {
                    answer.append('\n');
                }
                answer.append(m.text().strip());
            }
        }
        return List.of(cut(said == null ? "" : said, maxChars), cut(answer.toString(), maxChars));
    }

    private static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        // Never half a character: a cut between a surrogate pair steps back before it.
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end);
    }

    /**
     * @param input a request's new items
     * @return the text of its user messages, what earlier turns are recalled for; {@code null} when it has none (a
     *         tool's output going back, say)
     */
    public static String query(List<Item> input) {
        var sb = new StringBuilder();
        for (Item item : input) {
            if (item instanceof MessageItem m && m.role() == Role.USER && !m.text().isBlank()) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(m.text().strip());
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /**
     * @param a a unit vector
     * @param b another, as long
     * @return their cosine similarity
     */
    public static double similarity(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length + " dimensions");
        }
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    /**
     * @param v a vector
     * @return it scaled to unit length (a zero vector stays zero)
     */
    public static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0 || Math.abs(norm - 1) < 1e-6) {
            return v;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * scale;
        }
        return out;
    }

    /**
     * Brute force, which is what one conversation needs: a few thousand vectors take a millisecond or two.
     *
     * @param query the new input's vector
     * @param candidates the earlier turns' vectors; a {@code null} or empty entry is skipped
     * @param k the most to return
     * @param threshold the least similarity to return
     * @return the {@code k} most alike at or above the threshold, most alike first
     */
    public static List<Scored> top(float[] query, List<float[]> candidates, int k, double threshold) {
        double[] scores = new double[candidates.size()];
        for (int i = 0; i < scores.length; i++) {
            float[] c = candidates.get(i);
            scores[i] = c == null || c.length == 0 ? Double.NEGATIVE_INFINITY : similarity(query, c);
        }
        return top(scores, k, threshold);
    }

    /**
     * @param scores each candidate's similarity to the query
     * @param k the most to return
     * @param threshold the least similarity to return
     * @return the {@code k} best at or above the threshold, best first
     */
    public static List<Scored> top(double[] scores, int k, double threshold) {
        var best = new PriorityQueue<Scored>(Comparator.comparingDouble(Scored::score));
        for (int i = 0; i < scores.length; i++) {
            double score = scores[i];
            if (score >= threshold && (best.size() < k || score > best.peek().score())) {
                best.add(new Scored(i, score));
                if (best.size() > k) {
                    best.poll();
                }
            }
        }
        var out = new ArrayList<>(best);
        out.sort(Comparator.comparingDouble(Scored::score).reversed());
        return out;
    }

    /**
     * @param recalled the turns found, in any order (they are written oldest first)
     * @param maxChars the most characters of each turn to write
     * @return the recalled turns as a marked block of text: {@link #HEADING}, each turn, {@link #END}
     */
    public static String block(List<Recalled> recalled, int maxChars) {
        var ordered = new ArrayList<>(recalled);
        ordered.sort(Comparator.comparingInt(Recalled::number));
        var block = new StringBuilder(HEADING);
        for (Recalled r : ordered) {
            block.append("\n\n[Turn ").append(r.number()).append("]\n").append(text(r.turn(), maxChars));
        }
        return block.append("\n").append(END).toString();
    }

    /**
     * @param input a request's new items
     * @param recalled the turns found, in any order (they are written oldest first)
     * @param maxChars the most characters of each turn to write
     * @return the input with the recalled turns, marked, at the start of its last user message; the input itself when
     *         nothing was recalled or it has no user message
     */
    public static List<Item> withRecalled(List<Item> input, List<Recalled> recalled, int maxChars) {
        if (recalled.isEmpty()) {
            return input;
        }
        int last = -1;
        for (int i = 0; i < input.size(); i++) {
            if (input.get(i) instanceof MessageItem m && m.role() == Role.USER) {
                last = i;
            }
        }
        if (last < 0) {
            return input;
        }
        MessageItem m = (MessageItem) input.get(last);
        var content = new ArrayList<ContentPart>(m.content().size() + 1);
        content.add(new InputText(block(recalled, maxChars) + "\n\n"));
        content.addAll(m.content());
        var out = new ArrayList<>(input);
        out.set(last, new MessageItem(m.id(), m.role(), content, m.status(), m.extra()));
        return out;
    }
}
