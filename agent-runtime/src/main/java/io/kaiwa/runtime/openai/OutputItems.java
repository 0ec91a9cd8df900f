package io.kaiwa.runtime.openai;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.item.ReasoningItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Ids;

/** Output items as OpenAI's clients expect them: every item with an id, every reasoning item with a summary. */
public final class OutputItems {
    private OutputItems() {
    }

    /**
     * @param items the items as an adapter produced them
     * @param ids the ids to use by position, filled in for positions that have none; may be {@code null}
     * @return the items with ids
     */
    public static List<Item> withIds(List<Item> items, List<String> ids) {
        var out = new ArrayList<Item>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.id() != null && !(item instanceof ReasoningItem r && r.summary() == null)) {
                out.add(item);
                continue;
            }
            String given = ids != null && i < ids.size() ? ids.get(i) : null;
            // The common items are copied with their id; any other goes through its JSON.
            if (item instanceof MessageItem m) {
                out.add(new MessageItem(given != null ? given : Ids.next("msg"), m.role(), m.content(), m.status(),
                        m.extra()));
                continue;
            }
            if (item instanceof FunctionCallItem f) {
                out.add(new FunctionCallItem(given != null ? given : Ids.next("fc"), f.callId(), f.name(),
                        f.arguments(), f.status(), f.extra()));
                continue;
            }
            ObjectNode tree = (ObjectNode) KaiwaJson.toTree(item);
            if (item.id() == null) {
                tree.put("id", given != null ? given : Ids.next(Ids.prefixFor(tree.path("type").asText())));
            }
            if (!tree.has("summary") && "reasoning".equals(tree.path("type").asText())) {
                tree.putArray("summary");
            }
            out.add(KaiwaJson.readItem(tree, ""));
        }
        return out;
    }
}
