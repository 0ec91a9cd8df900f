package io.kaiwa.core.content;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * Audio sent to an audio-capable model ({@code input_audio}, wire shape
 * {@code {"input_audio":{"data":...,"format":...}}}).
 *
 * @param data base64 audio, a {@code data:} URL or (DashScope) an {@code http(s)} URL; never {@code null}
 * @param format e.g. {@code wav} or {@code mp3}; {@code null} when the provider infers it
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record InputAudio(String data, String format, Map<String, JsonNode> extra) implements ContentPart {
    public InputAudio {
        requireNonNull(data, "data");
        extra = Copies.extra(extra);
    }

    /**
     * @param data base64 audio, a {@code data:} URL or an {@code http(s)} URL; never {@code null}
     * @param format e.g. {@code wav}; may be {@code null}
     */
    public InputAudio(String data, String format) {
        this(data, format, null);
    }

    @Override
    public String type() {
        return "input_audio";
    }
}
