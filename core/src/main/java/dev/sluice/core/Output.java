package dev.sluice.core;

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
}
