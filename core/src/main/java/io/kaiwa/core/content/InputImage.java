package io.kaiwa.core.content;

import java.util.Base64;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import io.kaiwa.core.internal.Copies;

/**
 * An image sent to a vision model ({@code input_image}): by URL, as a base64 {@code data:} URL, or by uploaded
 * file id.
 *
 * @param imageUrl an {@code http(s)} or {@code data:} URL, or {@code null} when {@code fileId} is set
 * @param fileId an uploaded file's id, or {@code null} when {@code imageUrl} is set
 * @param detail {@code low}, {@code high} or {@code auto}; {@code null} leaves the provider's default
 * @param extra unmodelled wire fields; {@code null} means none
 */
public record InputImage(String imageUrl, String fileId, String detail, Map<String, JsonNode> extra)
        implements
            ContentPart {
    public InputImage {
        if (imageUrl == null && fileId == null) {
            throw new IllegalArgumentException("input_image needs imageUrl or fileId");
        }
        extra = Copies.extra(extra);
    }

    /**
     * @param url an {@code http(s)} URL or a {@code data:} URL; never {@code null}
     * @return an image part referring to that URL
     */
    public static InputImage ofUrl(String url) {
        return new InputImage(Objects.requireNonNull(url, "url"), null, null, null);
    }

    /**
     * @param mimeType e.g. {@code image/png}
     * @param bytes the encoded image
     * @return an image part carrying the bytes inline as a base64 {@code data:} URL
     */
    public static InputImage ofBytes(String mimeType, byte[] bytes) {
        Objects.requireNonNull(mimeType, "mimeType");
        return ofUrl("data:" + mimeType + ";base64," + Base64.getEncoder().encodeToString(bytes));
    }

    /** @return whether the image travels inline as a {@code data:} URL */
    public boolean isInline() {
        return imageUrl != null && imageUrl.startsWith("data:");
    }

    @Override
    public String type() {
        return "input_image";
    }
}
