package io.kaiwa.chat.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.content.ContentPart;
import io.kaiwa.core.content.InputAudio;
import io.kaiwa.core.content.InputFile;
import io.kaiwa.core.content.InputImage;
import io.kaiwa.core.content.InputText;
import io.kaiwa.core.content.OutputText;
import io.kaiwa.core.content.Refusal;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;

/**
 * Keeps a request within the providers' limit of {@value #MAX} {@code cache_control} markers. A conversation whose
 * turns each marked their input replays every marker; the earliest go, since the latest mark the longest prefix.
 */
final class CacheMarkers {
    /** Model Studio's (and Anthropic's) most cache markers in one request. */
    static final int MAX = 4;
    static final String KEY = "cache_control";

    private CacheMarkers() {
    }

    /**
     * @param items a request's items
     * @return the items, the markers before the last {@value #MAX} taken off their parts
     */
    static List<Item> keepLast(List<Item> items) {
        int extra = count(items) - MAX;
        if (extra <= 0) {
            return items;
        }
        var out = new ArrayList<Item>(items.size());
        for (Item item : items) {
            if (extra > 0 && item instanceof MessageItem m) {
                var content = new ArrayList<ContentPart>(m.content().size());
                for (ContentPart p : m.content()) {
                    if (extra > 0 && p.extra().containsKey(KEY)) {
                        content.add(unmarked(p));
                        extra--;
                    } else {
                        content.add(p);
                    }
                }
                out.add(new MessageItem(m.id(), m.role(), content, m.status(), m.extra()));
            } else {
                out.add(item);
            }
        }
        return out;
    }

    private static int count(List<Item> items) {
        int n = 0;
        for (Item item : items) {
            if (item instanceof MessageItem m) {
                for (ContentPart p : m.content()) {
                    if (p.extra().containsKey(KEY)) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static ContentPart unmarked(ContentPart p) {
        Map<String, JsonNode> extra = new LinkedHashMap<>(p.extra());
        extra.remove(KEY);
        if (p instanceof InputText t) {
            return new InputText(t.text(), extra);
        } else if (p instanceof OutputText t) {
            return new OutputText(t.text(), t.annotations(), extra);
        } else if (p instanceof Refusal r) {
            return new Refusal(r.refusal(), extra);
        } else if (p instanceof InputImage i) {
            return new InputImage(i.imageUrl(), i.fileId(), i.detail(), extra);
        } else if (p instanceof InputAudio a) {
            return new InputAudio(a.data(), a.format(), extra);
        } else if (p instanceof InputFile f) {
            return new InputFile(f.fileId(), f.fileUrl(), f.fileData(), f.filename(), extra);
        }
        // Unknown parts keep no extra fields: they carry no marker of their own.
        return p;
    }
}
