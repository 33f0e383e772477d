package dev.sluice.core;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Buffers of one size lent to a server's connections while bytes flow (output chunks while a
 * connection writes, read buffers while a message arrives), so that a connection waiting for its
 * next request holds none. Thread-safe; at most {@code max} idle buffers are kept, the rest are
 * left to the garbage collector.
 */
final class BufferPool {
    /** The size of the blocking engines' output chunks. */
    static final int CHUNK_BYTES = 16 * 1024;

    private final ArrayBlockingQueue<ByteBuffer> free;
    private final int bytes;
    private final boolean direct;

    /** A pool of direct {@value #CHUNK_BYTES}-byte output chunks. */
    BufferPool(int max) {
        this(max, CHUNK_BYTES, true);
    }

    BufferPool(int max, int bytes, boolean direct) {
        this.free = new ArrayBlockingQueue<>(max);
        this.bytes = bytes;
        this.direct = direct;
    }

    /** A cleared buffer of this pool's size. */
    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
    }

    /** A cleared buffer of at least {@code size} bytes: one of this pool's when that is big enough. */
    ByteBuffer take(int size) {
        return size <= bytes ? take() : direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }

    /**
     * {@code b}, or null when it is null or holds nothing (write mode), given back to this pool
     * then: so a connection keeps a buffer only while bytes are in it.
     */
    ByteBuffer dropIfEmpty(ByteBuffer b) {
        if (b == null || b.position() > 0) {
            return b;
        }
        give(b);
        return null;
    }

    /** Takes back a buffer its borrower no longer uses; one of another size or kind is not kept. */
    void give(ByteBuffer b) {
        if (b.isDirect() == direct && b.capacity() == bytes) {
            free.offer(b);
        }
    }
}
