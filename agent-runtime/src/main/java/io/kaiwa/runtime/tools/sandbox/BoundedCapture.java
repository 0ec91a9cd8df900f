package io.kaiwa.runtime.tools.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Drains one output stream of a run, keeping its first and last {@code cap / 2} bytes: the head shows what the code
 * set out to do and the tail holds the traceback. A stream that runs on past {@link #RUNAWAY_FACTOR} times the cap
 * calls {@code onRunaway} once, so a {@code while True: print()} is killed rather than read until the deadline.
 * Memory stays at {@code cap} bytes however much is written.
 */
final class BoundedCapture implements Runnable {
    /** How far past the cap a stream may run before the run is killed. */
    static final int RUNAWAY_FACTOR = 16;

    private final InputStream in;
    private final byte[] head;
    private final byte[] tail;
    private final long runawayBytes;
    private final Runnable onRunaway;
    private int headLength;
    private long total;
    private boolean runaway;

    BoundedCapture(InputStream in, int cap, Runnable onRunaway) {
        this.in = in;
        this.head = new byte[cap - cap / 2];
        this.tail = new byte[cap / 2];
        this.runawayBytes = (long) cap * RUNAWAY_FACTOR;
        this.onRunaway = onRunaway;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                boolean fire;
                synchronized (this) {
                    append(buffer, n);
                    fire = !runaway && total > runawayBytes;
                    runaway |= fire;
                }
                if (fire) {
                    onRunaway.run();
                }
            }
        } catch (IOException e) {
            // The pipe closes under us when the run is killed; what was read is kept.
        }
    }

    private void append(byte[] buffer, int n) {
        int offset = 0;
        if (headLength < head.length) {
            int take = Math.min(n, head.length - headLength);
            System.arraycopy(buffer, 0, head, headLength, take);
            headLength += take;
            offset = take;
        }
        // Bytes past the head go into the tail ring, indexed by their position in the stream.
        for (int i = offset; i < n && tail.length > 0; i++) {
            tail[(int) ((total + i - head.length) % tail.length)] = buffer[i];
        }
        total += n;
    }

    /** @return the bytes the stream carried, kept or not */
    synchronized long total() {
        return total;
    }

    /** @return the text kept, with a line naming the bytes left out when the stream was longer than the cap */
    synchronized String text() {
        if (total <= head.length) {
            return new String(head, 0, headLength, StandardCharsets.UTF_8);
        }
        long afterHead = total - head.length;
        int tailLength = (int) Math.min(afterHead, tail.length);
        byte[] kept = new byte[tailLength];
        long first = total - tailLength - head.length;
        for (int i = 0; i < tailLength; i++) {
            kept[i] = tail[(int) ((first + i) % tail.length)];
        }
        long omitted = afterHead - tailLength;
        String headText = new String(head, 0, headLength, StandardCharsets.UTF_8);
        String tailText = new String(kept, StandardCharsets.UTF_8);
        return omitted == 0
                ? headText + tailText
                : headText + "\n[... " + omitted + " bytes of output omitted ...]\n" + tailText;
    }
}
