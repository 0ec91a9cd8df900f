package io.kaiwa.runtime.service;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.ProviderResponse;
import io.kaiwa.core.Turn;
import io.kaiwa.core.TurnError;
import io.kaiwa.core.TurnStatus;
import io.kaiwa.core.Usage;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.runtime.persistence.ResponseRecord;

/** Between stored responses and core turns. */
public final class Records {
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
        TurnStatus status = r.status.turnStatus();
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
                ref, status, error, r.createdAt, r.completedAt, null);
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
     * @param error an error
     * @return {@code {"code","message"}}
     */
    public static String json(TurnError error) {
        var out = new StringWriter(128);
        try (JsonGenerator g = KaiwaJson.factory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("code", error.code());
            g.writeStringField("message", error.message());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
