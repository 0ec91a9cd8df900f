package io.kaiwa.chat.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.http.AdapterSettings;
import io.kaiwa.core.http.UpstreamErrors;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.json.KaiwaJson;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.sse.SseEvent;

/**
 * DashScope's native API: {@code POST {base}/services/aigc/text-generation/generation}, or
 * {@code .../multimodal-generation/generation} when the request carries images or audio. Streams are asked for
 * with {@code X-DashScope-SSE: enable} and {@code incremental_output}, so each event carries only new text.
 */
public final class DashScopeWire implements Wire {
    private static final Set<String> RESERVED = Set.of("result_format", "incremental_output");

    @Override
    public URI endpoint(URI base, List<Item> items) {
        return URI.create(base + (MessagesWriter.needsMultimodal(items)
                ? "/services/aigc/multimodal-generation/generation"
                : "/services/aigc/text-generation/generation"));
    }

    @Override
    public boolean sseHeader() {
        return true;
    }

    @Override
    public void writeBody(JsonGenerator g, AdapterSettings settings, String model, String instructions,
            List<Item> items, RequestOptions options, boolean stream) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", model);
        g.writeObjectFieldStart("input");
        g.writeFieldName("messages");
        MessagesWriter.write(g, instructions, items, MessagesWriter.needsMultimodal(items)
                ? MessagesWriter.Style.DASHSCOPE_MULTIMODAL
                : MessagesWriter.Style.DASHSCOPE_TEXT);
        g.writeEndObject();
        g.writeObjectFieldStart("parameters");
        g.writeStringField("result_format", "message");
        ChatOptions.write(g, options, settings, RESERVED, false);
        if (stream) {
            g.writeBooleanField("incremental_output", true);
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    public void readAnswer(JsonNode root, TurnAssembler into) {
        AnswerReader.dashScope(root, into);
    }

    @Override
    public KaiwaException readEvent(SseEvent event, TurnAssembler into) {
        if ("error".equals(event.event())) {
            return UpstreamErrors.map(200, Map.of(), event.data().getBytes(StandardCharsets.UTF_8));
        }
        JsonNode root = KaiwaJson.parse(event.data());
        if (!root.has("output") && root.hasNonNull("code") && !root.path("code").asText().isEmpty()) {
            return UpstreamErrors.map(200, Map.of(), event.data().getBytes(StandardCharsets.UTF_8));
        }
        AnswerReader.dashScope(root, into);
        return null;
    }
}
