package dev.sluice.core;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where a {@link Codec} puts the bytes of its responses. Nothing is written to the socket until
 * the engine flushes, once per batch of requests read together, so pipelined responses leave in as
 * few writes as possible. Not thread-safe: used by the thread that drives the codec.
 */
public interface Output {

    /** Writes of up to this many bytes are copied; larger ones are queued by reference. */
    int COPY_LIMIT = 8 * 1024;

    /**
     * Appends {@code len} bytes of {@code bytes} from {@code off}. Up to
     * {@value #COPY_LIMIT} bytes are copied; more are queued by reference, so the
     * caller hands the array over and must not change it afterwards.
     */
    void write(byte[] bytes, int off, int len);

    /** Appends all of {@code bytes}, as {@link #write(byte[], int, int)} does. */
    default void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /**
     * Appends the remaining bytes of {@code buffer}. Up to {@value #COPY_LIMIT}
     * bytes are copied; a larger buffer is queued as it is: the caller hands it over and must not
     * change it afterwards.
     */
    void write(ByteBuffer buffer);

    /**
     * Appends {@code count} bytes of {@code file} from {@code position}, sent with
     * {@link FileChannel#transferTo} (zero-copy where the operating system allows). The engine
     * closes the file once sent, or when the connection closes first.
     */
    void transfer(FileChannel file, long position, long count);
}
