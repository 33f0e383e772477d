package dev.sluice.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where a {@link Codec} puts the bytes of its responses. Nothing is written to the socket until
 * the engine flushes, once per batch of requests read together, so pipelined responses leave in as
 * few writes as possible. Not thread-safe: used by the thread that drives the codec.
 */
public interface Output {

    /** Appends {@code len} bytes of {@code bytes} from {@code off}; they are copied. */
    void write(byte[] bytes, int off, int len);

    /** Appends all of {@code bytes}, as {@link #write(byte[], int, int)} does. */
    default void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Appends the remaining bytes of {@code buffer}; they are copied. */
    void write(ByteBuffer buffer);

    /**
     * Appends {@code count} bytes of {@code file} from {@code position}, sent with
     * {@link FileChannel#transferTo} (zero-copy where the operating system allows). The engine
     * closes the file once sent, or when the connection closes first.
     */
    void transfer(FileChannel file, long position, long count);

    /**
     * Ends this response with a body that {@code producer} makes piece by piece, each sent before
     * the next is asked for ({@link BodyProducer}). The last thing written for a response; the
     * engine reads and answers nothing more on the connection until the producer is done.
     * Default, for outputs that only gather bytes: runs the producer to its end here, so the body
     * gathers in memory.
     */
    default void produce(BodyProducer producer) throws IOException {
        while (producer.next(this)) {
            // each piece was written to this output
        }
    }
}
