package dev.sluice.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The body of the request being decoded. Grows with the bytes that actually arrive, never ahead of
 * them, so a client that announces a large {@code Content-Length} and sends nothing costs nothing.
 * Used by the codec thread only.
 */
final class BodyBuffer {
    private static final byte[] EMPTY = new byte[0];
    private static final int FIRST_BYTES = 1024;

    private byte[] buf = EMPTY;
    private int size;
    /** The final size when known, else the most it may grow to. */
    private int ceiling;

    /** Starts a body that will hold at most {@code ceiling} bytes. */
    void reset(int ceiling) {
        this.buf = EMPTY;
        this.size = 0;
        this.ceiling = ceiling;
    }

    int size() {
        return size;
    }

    int capacity() {
        return buf.length;
    }

    /** Moves {@code n} bytes from {@code in} to the end of the body; the caller keeps the ceiling. */
    void append(ByteBuffer in, int n) {
        if (size + n > buf.length) {
            long doubled = Math.max((long) buf.length * 2, FIRST_BYTES);
            buf = Arrays.copyOf(buf, (int) Math.max(size + n, Math.min(doubled, ceiling)));
        }
        in.get(buf, size, n);
        size += n;
    }

    /** The body, exactly sized, handed over; this buffer is empty afterwards. */
    byte[] take() {
        byte[] body = size == buf.length ? buf : Arrays.copyOf(buf, size);
        buf = EMPTY;
        size = 0;
        return body;
    }
}
