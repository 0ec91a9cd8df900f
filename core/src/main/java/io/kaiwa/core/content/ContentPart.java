package io.kaiwa.core.content;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of a message's content, as the Responses API names it on the wire.
 *
 * <p>
 * Every known part keeps the wire fields it does not model in {@link #extra()} and writes them back unchanged; a
 * part type Kaiwa does not know becomes an {@link UnknownContent} holding its raw JSON.
 */
public sealed interface ContentPart permits InputText, InputImage, InputAudio, InputFile, OutputText, Refusal,
        UnknownContent {

    /** @return the wire discriminator, e.g. {@code "input_text"} */
    String type();

    /** @return wire fields this version does not model, in the order received; never {@code null} */
    Map<String, JsonNode> extra();
}
