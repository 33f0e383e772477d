package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    private final BufferPool pool = new BufferPool(2);

    @Test
    void lendsClearedDirectChunksAndReusesWhatComesBack() {
        ByteBuffer a = pool.take();
        assertThat(a.isDirect()).isTrue();
        assertThat(a.capacity()).isEqualTo(BufferPool.CHUNK_BYTES);
        a.put((byte) 1);
        pool.give(a);
        ByteBuffer again = pool.take();
        assertThat(again).isSameAs(a);
        assertThat(again.position()).as("cleared for its next borrower").isZero();
    }

    @Test
    void keepsNeitherGrownNorHeapBuffersNorMoreThanItsMaximum() {
        pool.give(ByteBuffer.allocateDirect(2 * BufferPool.CHUNK_BYTES));
        pool.give(ByteBuffer.allocate(BufferPool.CHUNK_BYTES));
        ByteBuffer fresh = pool.take();
        assertThat(fresh.capacity()).isEqualTo(BufferPool.CHUNK_BYTES);
        ByteBuffer a = pool.take();
        ByteBuffer b = pool.take();
        pool.give(a);
        pool.give(b);
        pool.give(fresh); // over the maximum of 2: dropped
        assertThat(pool.take()).isSameAs(a);
        assertThat(pool.take()).isSameAs(b);
        assertThat(pool.take()).isNotSameAs(fresh);
    }
}
