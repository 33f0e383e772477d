package dev.sluice.core;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers lent to a server's connections while they have bytes to write, so that a
 * connection waiting for its next request holds none. Thread-safe; at most {@code max} idle
 * chunks are kept, the rest are left to the garbage collector.
 */
final class ChunkPool {
    static final int CHUNK_BYTES = 16 * 1024;

    private final ArrayBlockingQueue<ByteBuffer> free;

    ChunkPool(int max) {
        this.free = new ArrayBlockingQueue<>(max);
    }

    /** A cleared chunk of {@value #CHUNK_BYTES} bytes. */
    ByteBuffer take() {
        ByteBuffer b = free.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(CHUNK_BYTES);
    }

    /** Takes back a chunk its borrower no longer uses; one grown past the size is not kept. */
    void give(ByteBuffer b) {
        if (b.isDirect() && b.capacity() == CHUNK_BYTES) {
            free.offer(b);
        }
    }
}
