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

/** OpenAI-compatible {@code POST {base}/chat/completions}. */
public final class ChatCompletionsWire implements Wire {
    /** Body fields Kaiwa writes itself; a parameter of the same name is not written twice. */
    static final Set<String> RESERVED = Set.of("model", "messages", "stream", "stream_options");

    @Override
    public URI endpoint(URI base, List<Item> items) {
        return URI.create(base + "/chat/completions");
    }

    @Override
    public boolean sseHeader() {
        return false;
    }

    @Override
    public void writeBody(JsonGenerator g, AdapterSettings settings, String model, String instructions,
            List<Item> items, RequestOptions options, boolean stream) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", model);
        g.writeFieldName("messages");
        MessagesWriter.write(g, instructions, items, MessagesWriter.Style.CHAT_COMPLETIONS);
        ChatOptions.write(g, options, settings, RESERVED, true);
        if (stream) {
            g.writeBooleanField("stream", true);
            g.writeObjectFieldStart("stream_options");
            g.writeBooleanField("include_usage", true);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    @Override
    public void readAnswer(JsonNode root, TurnAssembler into) {
        AnswerReader.chat(root, into);
    }

    @Override
    public KaiwaException readEvent(SseEvent event, TurnAssembler into) {
        if (event.isDone()) {
            into.endOfStream();
            return null;
        }
        JsonNode root = KaiwaJson.parse(event.data());
        if (root.has("error")) {
            // OpenAI-compatible servers report a failure mid-stream as an error object in a data line.
            return UpstreamErrors.map(200, Map.of(), event.data().getBytes(StandardCharsets.UTF_8));
        }
        AnswerReader.chat(root, into);
        return null;
    }
}
