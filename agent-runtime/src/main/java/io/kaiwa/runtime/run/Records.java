package io.kaiwa.runtime.run;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.kaiwa.core.ProviderResponse;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.item.FunctionCallItem;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.item.MessageItem;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.store.ResponseRecord;

/** Between stored responses and core turns. */
public final class Records {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Records() {
    }

    /**
     * @param r a stored response
     * @return it as a conversation turn, with the provider's own id to chain from when there is one; when Kaiwa
     *         ran built-in tools, its output is what the model saw (function calls and their outputs)
     */
    public static Turn turn(ResponseRecord r) {
        ProviderResponse ref = r.providerResponseId == null
                ? null
                : new ProviderResponse(r.providerKey, r.providerResponseId, r.providerExpiresAt);
        TurnStatus status = switch (r.status) {
            case "completed" -> TurnStatus.COMPLETED;
            case "incomplete" -> TurnStatus.INCOMPLETE;
            case "cancelled" -> TurnStatus.CANCELLED;
            default -> TurnStatus.FAILED;
        };
        TurnError error = null;
        if (r.error != null) {
            JsonNode e = KaiwaJson.parse(r.error);
            error = new TurnError(e.path("code").asText("error"), e.path("message").asText(""));
        } else if (status == TurnStatus.FAILED) {
            error = new TurnError("not_finished", "the response did not finish");
        }
        Usage usage = r.usage == null ? null : KaiwaJson.readUsage(KaiwaJson.parse(r.usage), "usage");
        return new Turn(r.id, KaiwaJson.readItems(KaiwaJson.parse(r.input), "input"),
                KaiwaJson.readItems(KaiwaJson.parse(r.transcript != null ? r.transcript : r.output), "output"), usage,
                ref, status, error, r.createdAt,
                r.completedAt, null);
    }

    /**
     * Gives every item an id (OpenAI clients expect one on every output item) and a reasoning item a summary.
     *
     * @param items the items as an adapter produced them
     * @param ids the ids to use by position, filled in for positions that have none; may be {@code null}
     * @return the items with ids
     */
    public static List<Item> withIds(List<Item> items, List<String> ids) {
        var out = new ArrayList<Item>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.id() != null && !(item instanceof io.kaiwa.core.item.ReasoningItem r && r.summary() == null)) {
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

    /**
     * @param items items
     * @return their JSON array
     */
    public static String json(List<? extends Item> items) {
        return KaiwaJson.toJson(items);
    }

    /**
     * @param usage usage
     * @return its JSON object
     */
    public static String json(Usage usage) {
        return KaiwaJson.toJson(usage);
    }

    /**
     * @param code the error code
     * @param message the message
     * @return {@code {"code","message"}}
     */
    public static String errorJson(String code, String message) {
        var out = new StringWriter(128);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("code", code);
            g.writeStringField("message", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
