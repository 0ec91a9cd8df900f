package io.kaiwa.runtime.api;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.common.Errors;
import io.kaiwa.runtime.common.Ids;
import io.kaiwa.runtime.persistence.ResponseRecord;

/** {@code GET /v1/responses/{id}/input_items}: a response's input items as a list page. */
final class InputItems {
    private InputItems() {
    }

    /**
     * @param r the response
     * @param after the item id to list after, or {@code null}
     * @param limit the page size
     * @param ascending the order
     * @return the page's JSON
     */
    static String page(ResponseRecord r, String after, int limit, boolean ascending) {
        List<Item> items = KaiwaJson.readItems(KaiwaJson.parse(r.input), "input");
        var all = new ArrayList<ObjectNode>(items.size());
        for (int i = 0; i < items.size(); i++) {
            ObjectNode tree = (ObjectNode) KaiwaJson.toTree(items.get(i));
            if (!tree.hasNonNull("id")) {
                // Inputs are stored as sent (providers may refuse ids on input messages): ids are derived, stable.
                tree.put("id", Ids.prefixFor(tree.path("type").asText()) + "_" + r.id.substring(r.id.indexOf('_') + 1)
                        + String.format("%04x", i));
            }
            all.add(tree);
        }
        if (!ascending) {
            java.util.Collections.reverse(all);
        }
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (after.equals(all.get(i).get("id").asText())) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw Errors.badRequest("after", "No input item with id '" + after + "' in this response.");
            }
        }
        int from = start;
        List<ObjectNode> page = all.subList(from, Math.min(all.size(), from + limit));
        return ResponsesResource.write(g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (ObjectNode item : page) {
                g.writeTree(item);
            }
            g.writeEndArray();
            g.writeStringField("first_id", page.isEmpty() ? null : page.get(0).get("id").asText());
            g.writeStringField("last_id", page.isEmpty() ? null : page.get(page.size() - 1).get("id").asText());
            g.writeBooleanField("has_more", from + limit < all.size());
            g.writeEndObject();
        });
    }
}
