package io.kaiwa.core.content;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * A document sent to the model ({@code input_file}): by uploaded id, by URL, or inline.
 *
 * @param fileId an uploaded file's id, or {@code null}
 * @param fileUrl a URL the provider fetches, or {@code null}
 * @param fileData the content as a base64 {@code data:} URL, or {@code null}
 * @param filename the file's name, needed with {@code fileData}; may be {@code null}
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record InputFile(String fileId, String fileUrl, String fileData, String filename,
        Map<String, JsonNode> extra) implements ContentPart {
    public InputFile {
        if (fileId == null && fileUrl == null && fileData == null) {
            throw new IllegalArgumentException("input_file needs fileId, fileUrl or fileData");
        }
        extra = Copies.extra(extra);
    }

    @Override
    public String type() {
        return "input_file";
    }
}
