package io.kaiwa.core.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Decodes a {@code text/event-stream} fed in chunks of bytes (or of characters) as they arrive, following the
 * HTML Living Standard's event-stream interpretation: {@code data:} lines joined with newlines, {@code event:},
 * {@code id:} (kept across events), {@code retry:}, comment lines (DashScope sends {@code :HTTP_STATUS/200})
 * ignored, CR, LF and CRLF line ends, and a byte-order mark at the start skipped.
 *
 * <p>
 * A chunk may end anywhere: inside a field, between a CR and its LF, inside a multi-byte UTF-8 character. Bytes
 * are split into lines before they are decoded, so a character split across chunks is decoded whole.
 *
 * <p>
 * Transport-neutral and allocation-lean: the caller feeds what its HTTP client delivers and receives each event
 * as soon as its blank line arrives. One decoder reads one stream; it is not thread-safe, and a stream is fed
 * either bytes or characters, not both.
 */
public final class SseDecoder {
    private static final String DEFAULT_EVENT = "message";

    private byte[] lineBytes = new byte[256];
    private int lineBytesLength;
    private StringBuilder lineChars;
    private boolean afterCr;
    private boolean started;
    private Boolean fedBytes;

    private String firstData;
    private StringBuilder moreData;
    private String eventType;
    private String lastEventId;
    private Long retry;

    /**
     * Feeds bytes.
     *
     * @param chunk the bytes; not retained after the call
     * @param offset where they start
     * @param length how many
     * @param sink receives each complete event, on the calling thread
     */
    public void feed(byte[] chunk, int offset, int length, Consumer<SseEvent> sink) {
        mode(true);
        int end = offset + length;
        int i = offset;
        int lineStart = i;
        while (i < end) {
            byte b = chunk[i];
            if (b != '\n' && b != '\r') {
                i++;
                continue;
            }
            if (b == '\n' && afterCr && i == lineStart && lineBytesLength == 0) {
                // The LF of a CRLF whose CR ended the previous line.
                afterCr = false;
                i++;
                lineStart = i;
                continue;
            }
            if (lineBytesLength == 0) {
                line(chunk, lineStart, i - lineStart, sink);
            } else {
                appendBytes(chunk, lineStart, i - lineStart);
                line(lineBytes, 0, lineBytesLength, sink);
                lineBytesLength = 0;
            }
            afterCr = b == '\r';
            i++;
            lineStart = i;
        }
        if (lineStart < end) {
            afterCr = false;
            appendBytes(chunk, lineStart, end - lineStart);
        }
    }

    /**
     * Feeds the bytes remaining in a buffer and consumes them.
     *
     * @param chunk the bytes; its position moves to its limit
     * @param sink receives each complete event
     */
    public void feed(ByteBuffer chunk, Consumer<SseEvent> sink) {
        if (chunk.hasArray()) {
            feed(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining(), sink);
            chunk.position(chunk.limit());
        } else {
            byte[] copy = new byte[chunk.remaining()];
            chunk.get(copy);
            feed(copy, 0, copy.length, sink);
        }
    }

    /**
     * Feeds characters already decoded by the transport.
     *
     * @param chunk the characters
     * @param sink receives each complete event
     */
    public void feed(CharSequence chunk, Consumer<SseEvent> sink) {
        mode(false);
        int end = chunk.length();
        int i = 0;
        if (lineChars == null) {
            lineChars = new StringBuilder(128);
        }
        int lineStart = i;
        while (i < end) {
            char c = chunk.charAt(i);
            if (c != '\n' && c != '\r') {
                i++;
                continue;
            }
            if (c == '\n' && afterCr && i == lineStart && lineChars.length() == 0) {
                afterCr = false;
                i++;
                lineStart = i;
                continue;
            }
            lineChars.append(chunk, lineStart, i);
            line(lineChars, sink);
            lineChars.setLength(0);
            afterCr = c == '\r';
            i++;
            lineStart = i;
        }
        if (lineStart < end) {
            afterCr = false;
            lineChars.append(chunk, lineStart, end);
        }
    }

    /**
     * Whether the stream stopped inside an event: a line without its line end, or data lines without the blank
     * line that dispatches them. Per the specification such an event is discarded; a caller that expects a
     * complete stream reports this as truncation.
     *
     * @return whether undispatched input remains
     */
    public boolean hasPartialEvent() {
        return lineBytesLength > 0 || (lineChars != null && lineChars.length() > 0) || firstData != null;
    }

    private void mode(boolean bytes) {
        if (fedBytes == null) {
            fedBytes = bytes;
        } else if (fedBytes != bytes) {
            throw new IllegalStateException("a stream is fed either bytes or characters, not both");
        }
    }

    private void appendBytes(byte[] src, int offset, int length) {
        if (lineBytesLength + length > lineBytes.length) {
            lineBytes = Arrays.copyOf(lineBytes, Math.max(lineBytes.length * 2, lineBytesLength + length));
        }
        System.arraycopy(src, offset, lineBytes, lineBytesLength, length);
        lineBytesLength += length;
    }

    private void line(byte[] b, int off, int len, Consumer<SseEvent> sink) {
        if (!started) {
            started = true;
            // A byte-order mark may open the stream; lines are whole here, so a BOM split across chunks is too.
            if (len >= 3 && (b[off] & 0xFF) == 0xEF && (b[off + 1] & 0xFF) == 0xBB && (b[off + 2] & 0xFF) == 0xBF) {
                off += 3;
                len -= 3;
            }
        }
        if (len == 0) {
            dispatch(sink);
            return;
        }
        if (b[off] == ':') {
            return;
        }
        int colon = -1;
        for (int i = off; i < off + len; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        int nameEnd = colon < 0 ? off + len : colon;
        int valueStart = colon < 0 ? off + len : colon + 1;
        if (valueStart < off + len && b[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = off + len - valueStart;
        int nameLength = nameEnd - off;
        if (is(b, off, nameLength, "data")) {
            data(new String(b, valueStart, valueLength, StandardCharsets.UTF_8));
        } else if (is(b, off, nameLength, "event")) {
            eventType = new String(b, valueStart, valueLength, StandardCharsets.UTF_8);
        } else if (is(b, off, nameLength, "id")) {
            id(new String(b, valueStart, valueLength, StandardCharsets.UTF_8));
        } else if (is(b, off, nameLength, "retry")) {
            retry(new String(b, valueStart, valueLength, StandardCharsets.ISO_8859_1));
        }
    }

    private void line(CharSequence line, Consumer<SseEvent> sink) {
        CharSequence l = line;
        if (!started) {
            started = true;
            if (l.length() > 0 && l.charAt(0) == '\uFEFF') {
                l = l.subSequence(1, l.length());
            }
        }
        int len = l.length();
        if (len == 0) {
            dispatch(sink);
            return;
        }
        if (l.charAt(0) == ':') {
            return;
        }
        int colon = -1;
        for (int i = 0; i < len; i++) {
            if (l.charAt(i) == ':') {
                colon = i;
                break;
            }
        }
        String name = colon < 0 ? l.toString() : l.subSequence(0, colon).toString();
        int valueStart = colon < 0 ? len : colon + 1;
        if (valueStart < len && l.charAt(valueStart) == ' ') {
            valueStart++;
        }
        String value = l.subSequence(valueStart, len).toString();
        switch (name) {
            case "data" -> data(value);
            case "event" -> eventType = value;
            case "id" -> id(value);
            case "retry" -> retry(value);
            default -> {
                // The specification says to ignore unknown fields.
            }
        }
    }

    private static boolean is(byte[] b, int off, int len, String name) {
        if (len != name.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (b[off + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void data(String value) {
        if (firstData == null) {
            firstData = value;
        } else {
            if (moreData == null) {
                moreData = new StringBuilder(firstData.length() + value.length() + 16);
            }
            if (moreData.length() == 0) {
                moreData.append(firstData);
            }
            moreData.append('\n').append(value);
        }
    }

    private void id(String value) {
        if (value.indexOf('\0') < 0) {
            lastEventId = value.isEmpty() ? null : value;
        }
    }

    private void retry(String value) {
        if (value.isEmpty()) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return;
            }
        }
        try {
            retry = Long.parseLong(value);
        } catch (NumberFormatException tooLong) {
            // More digits than a long holds: as unusable as a non-number, so ignored like one.
        }
    }

    private void dispatch(Consumer<SseEvent> sink) {
        if (firstData == null) {
            eventType = null;
            return;
        }
        String data;
        if (moreData != null && moreData.length() > 0) {
            data = moreData.toString();
            moreData.setLength(0);
        } else {
            data = firstData;
        }
        String type = eventType == null || eventType.isEmpty() ? DEFAULT_EVENT : eventType;
        firstData = null;
        eventType = null;
        sink.accept(new SseEvent(type, data, lastEventId, retry));
    }
}
