package io.kaiwa.core.item;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * Everything of a conversation before it, compacted ({@code compaction}): a summary of the older turns and the most
 * recent items kept word for word. What stands before the latest compaction item in a conversation is not sent
 * again: the item stands for it.
 *
 * <p>
 * The Responses API carries it as OpenAI does, an opaque {@code encrypted_content} that only the service which made
 * it can read (Kaiwa's service seals the summary and the kept items with its own key). In a library user's
 * conversation it holds them in the clear ({@link #summary()}, {@link #kept()}), and adapters send them as the
 * provider's API understands: the summary as a system message, the kept items as they are. An item known only in
 * its opaque form is sent only to a Responses API, unchanged.
 *
 * @param id the item's id, or {@code null}
 * @param summary the summary of the older turns, or {@code null} when only the opaque form is known
 * @param kept the items after the summarised part, word for word, in order; never {@code null}
 * @param encryptedContent the opaque form, or {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record CompactionItem(String id, String summary, List<Item> kept, String encryptedContent,
        Map<String, JsonNode> extra) implements Item {
    public CompactionItem {
        kept = Copies.list(kept, "kept");
        if (summary == null && encryptedContent == null) {
            throw new IllegalArgumentException("a compaction item needs its summary or its encrypted content");
        }
        extra = Copies.extra(extra);
    }

    /**
     * @param summary the summary of the older turns
     * @param kept the items after them, word for word
     * @return a compaction item held in the clear
     */
    public static CompactionItem of(String summary, List<Item> kept) {
        return new CompactionItem(null, summary, kept, null, null);
    }

    /** @return whether its summary and kept items can be read (not only its opaque form) */
    public boolean readable() {
        return summary != null;
    }

    /**
     * What a provider that does not know compaction items is sent in its place: the summary as a system message,
     * then the kept items (their own compaction items expanded too).
     *
     * @return the items; empty for an item known only in its opaque form
     */
    public List<Item> expanded() {
        if (summary == null) {
            return List.of();
        }
        var items = new ArrayList<Item>(kept.size() + 1);
        items.add(MessageItem.system(SUMMARY_HEADING + summary));
        items.addAll(expand(kept, false));
        return items;
    }

    /**
     * @param items items that may hold compaction items
     * @param keepOpaque whether a compaction item known only in its opaque form stays (a Responses API may read
     *        it: its maker's) or is left out (a chat API cannot)
     * @return the same items with each readable compaction item {@link #expanded()}; the list itself when it holds
     *         none
     */
    public static List<Item> expand(List<Item> items, boolean keepOpaque) {
        boolean any = false;
        for (Item item : items) {
            any |= item instanceof CompactionItem;
        }
        if (!any) {
            return items;
        }
        var out = new ArrayList<Item>(items.size() + 4);
        for (Item item : items) {
            if (item instanceof CompactionItem c) {
                if (c.readable()) {
                    out.addAll(c.expanded());
                } else if (keepOpaque) {
                    out.add(c);
                }
            } else {
                out.add(item);
            }
        }
        return out;
    }

    /** What begins the system message that carries a summary. */
    public static final String SUMMARY_HEADING = "Summary of the earlier part of this conversation:\n\n";

    @Override
    public String type() {
        return "compaction";
    }
}
