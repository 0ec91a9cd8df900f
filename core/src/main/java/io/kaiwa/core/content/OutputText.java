package io.kaiwa.core.content;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * Text the model answered ({@code output_text}), with the citations it attached.
 *
 * @param text the text; never {@code null}
 * @param annotations citations into the text; {@code null} means none
 * @param extra unmodelled wire fields (e.g. {@code logprobs}); {@code null} means none
 */
public record OutputText(String text, List<Annotation> annotations, Map<String, JsonNode> extra)
        implements
            ContentPart {
    public OutputText {
        requireNonNull(text, "text");
        annotations = Copies.list(annotations, "annotations");
        extra = Copies.extra(extra);
    }

    /** @param text the text; never {@code null} */
    public OutputText(String text) {
        this(text, null, null);
    }

    @Override
    public String type() {
        return "output_text";
    }
}
