package io.kaiwa.runtime.tools.sandbox;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Set;

/**
 * A file the sandboxed code left in its work folder.
 *
 * @param name the path relative to the work folder, with {@code /} separators, e.g. {@code plots/chart.png}; never
 *        {@code null}
 * @param mediaType the media type, judged from the content for images and from the name otherwise; never {@code null}
 * @param bytes the content; never {@code null}. Copied in and out, so the record stays immutable.
 */
public record OutputFile(String name, String mediaType, byte[] bytes) {
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/svg+xml");

    public OutputFile {
        requireNonNull(name, "name");
        requireNonNull(mediaType, "mediaType");
        bytes = requireNonNull(bytes, "bytes").clone();
    }

    /**
     * Makes an output file, judging its media type from the content (images) or the name.
     *
     * @param name the relative path; never {@code null}
     * @param bytes the content; never {@code null}
     * @return the output file
     */
    public static OutputFile of(String name, byte[] bytes) {
        return new OutputFile(name, MediaTypes.of(name, bytes), bytes);
    }

    /** @return a copy of the content */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the content size in bytes */
    public int size() {
        return bytes.length;
    }

    /** @return {@code true} for PNG, JPEG, GIF and SVG images, which a client can show inline */
    public boolean image() {
        return IMAGE_TYPES.contains(mediaType);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutputFile that && name.equals(that.name) && mediaType.equals(that.mediaType)
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + mediaType.hashCode()) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "OutputFile[name=" + name + ", mediaType=" + mediaType + ", size=" + bytes.length + "]";
    }
}
