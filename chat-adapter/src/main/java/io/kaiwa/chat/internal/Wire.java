package io.kaiwa.chat.internal;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.exception.KaiwaException;
import io.kaiwa.core.http.AdapterSettings;
import io.kaiwa.core.item.Item;
import io.kaiwa.core.options.RequestOptions;
import io.kaiwa.core.sse.SseEvent;

/** What differs between Chat Completions and the DashScope native API: paths, bodies and answer shapes. */
public interface Wire {

    /**
     * @param base the configured base URL
     * @param items what the request carries
     * @return the endpoint to POST to
     */
    URI endpoint(URI base, List<Item> items);

    /** @return whether a stream is asked for with the {@code X-DashScope-SSE: enable} header */
    boolean sseHeader();

    /**
     * @param g where to write the body
     * @param settings the adapter's settings
     * @param model the model to ask
     * @param instructions the instructions, or {@code null}
     * @param items the history and new input
     * @param options the call's options
     * @param stream whether to ask for a stream
     * @throws IOException when the generator fails
     */
    void writeBody(JsonGenerator g, AdapterSettings settings, String model, String instructions, List<Item> items,
            RequestOptions options, boolean stream) throws IOException;

    /**
     * @param root a whole answer
     * @param into where its pieces go
     */
    void readAnswer(JsonNode root, TurnAssembler into);

    /**
     * @param event one streamed event
     * @param into where its pieces go
     * @return the error the stream reported, or {@code null}; an end marker is recorded with
     *         {@link TurnAssembler#endOfStream()}
     */
    KaiwaException readEvent(SseEvent event, TurnAssembler into);

}
