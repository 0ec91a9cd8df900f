package io.kaiwa.runtime.tools.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/** Media types of output files. */
final class MediaTypes {
    private static final String OCTETS = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(Map.entry("txt", "text/plain"),
            Map.entry("log", "text/plain"), Map.entry("md", "text/markdown"), Map.entry("csv", "text/csv"),
            Map.entry("tsv", "text/tab-separated-values"), Map.entry("json", "application/json"),
            Map.entry("xml", "application/xml"), Map.entry("html", "text/html"), Map.entry("htm", "text/html"),
            Map.entry("py", "text/x-python"), Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));

    private MediaTypes() {
    }

    /**
     * Judges a file's media type. Raster images are recognised by their signature whatever the name says, and a name
     * that claims an image the bytes do not bear out is reported as octets: a client renders what {@code image()} flags,
     * so the flag must not trust the model's choice of file name.
     */
    static String of(String name, byte[] bytes) {
        String sniffed = sniff(bytes);
        if (sniffed != null) {
            return sniffed;
        }
        int dot = name.lastIndexOf('.');
        String byName = dot < 0
                ? OCTETS
                : BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), OCTETS);
        if (byName.equals("image/svg+xml")) {
            return looksLikeSvg(bytes) ? byName : OCTETS;
        }
        return byName.startsWith("image/") && !byName.equals("image/webp") ? OCTETS : byName;
    }

    private static String sniff(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')) {
            return "image/png";
        }
        if (startsWith(b, 0xff, 0xd8, 0xff)) {
            return "image/jpeg";
        }
        if (startsWith(b, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 'G', 'I', 'F', '8', '9', 'a')) {
            return "image/gif";
        }
        return null;
    }

    private static boolean looksLikeSvg(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8);
        return head.contains("<svg");
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
