package dev.sluice.core;

import java.nio.ByteBuffer;

/** How much a connection may hold in memory, the same on every engine. */
final class Buffering {
    /** A codec that leaves this much unconsumed without deciding is broken: the connection closes. */
    static final int MAX_UNDECODED_BYTES = 1 << 20;
    /**
     * Encoded responses held while pipelined requests are still being decoded: past it the batch
     * is written (blocking engines) or decoding pauses until the client reads (event loop).
     */
    static final int MAX_BUFFERED_OUT_BYTES = 256 << 10;
    /**
     * The most one blocking write sends at a time, so a slow but steady reader shows progress
     * slice by slice and the write timeout does not cut it: one batch of held responses.
     */
    static final int WRITE_SLICE_BYTES = MAX_BUFFERED_OUT_BYTES;

    private Buffering() {
    }

    /** {@code b}'s capacity; 0 for none. */
    static int capacity(ByteBuffer b) {
        return b == null ? 0 : b.capacity();
    }

    /** A buffer at least {@code atLeast} and twice {@code b}'s capacity, holding {@code b}'s bytes (write mode). */
    static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        return bigger.put(b.flip());
    }

    /** {@code b}, or null when it is null or holds nothing (write mode), so an idle connection keeps no buffer. */
    static ByteBuffer dropIfEmpty(ByteBuffer b) {
        return b == null || b.position() == 0 ? null : b;
    }

    /**
     * {@code more} (read mode) after {@code pending} (read mode, perhaps compacted in place or
     * copied into a larger buffer): what to decode next, in read mode; null when that would be
     * more than {@link #MAX_UNDECODED_BYTES}.
     */
    static ByteBuffer append(ByteBuffer pending, ByteBuffer more) {
        int need = pending.remaining() + more.remaining();
        if (need > MAX_UNDECODED_BYTES) {
            return null;
        }
        if (pending.capacity() - pending.remaining() < more.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, pending.capacity() * 2));
            return bigger.put(pending).put(more).flip();
        }
        return pending.compact().put(more).flip();
    }

    /** Moves what fits of {@code src}'s bytes (write mode, left so) into {@code dst}: how many. */
    static int transfer(ByteBuffer src, ByteBuffer dst) {
        src.flip();
        int n = Math.min(src.remaining(), dst.remaining());
        int limit = src.limit();
        src.limit(src.position() + n);
        dst.put(src);
        src.limit(limit);
        src.compact();
        return n;
    }

    /** The bytes left in {@code srcs[offset, offset + length)}. */
    static long remaining(ByteBuffer[] srcs, int offset, int length) {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += srcs[i].remaining();
        }
        return n;
    }
}
