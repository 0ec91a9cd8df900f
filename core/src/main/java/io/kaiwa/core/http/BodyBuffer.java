package io.kaiwa.core.http;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A growable byte array that request bodies are written into, sized from the previous body so a growing
 * conversation's request is usually written into one allocation and handed to the transport without a copy.
 *
 * <p>
 * Not thread-safe: one buffer per request. The size hint it learns from is thread-safe and shared per adapter.
 */
public final class BodyBuffer extends OutputStream {
    private byte[] bytes;
    private int length;

    /** @param sizeHint the expected size; the buffer grows past it when needed */
    public BodyBuffer(int sizeHint) {
        bytes = new byte[Math.max(256, sizeHint)];
    }

    /**
     * @param hint the adapter's learnt size, updated to this body's size plus headroom when it is taken
     * @return a buffer sized from the hint
     */
    public static BodyBuffer sizedBy(AtomicInteger hint) {
        return new BodyBuffer(hint.get());
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, length, len);
        length += len;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /**
     * @param hint updated to this body's size plus an eighth, so the next, slightly longer request of a growing
     *        conversation fits at once
     * @return a read-only view of the bytes written; the buffer must not be written to afterwards
     */
    public ByteBuffer take(AtomicInteger hint) {
        hint.set(length + (length >> 3) + 64);
        return ByteBuffer.wrap(bytes, 0, length).asReadOnlyBuffer();
    }
}
