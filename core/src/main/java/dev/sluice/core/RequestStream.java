package dev.sluice.core;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The rest of a request, read while its handler runs: what a {@link Codec} reads a body through
 * when it hands a request over before the body has arrived (see {@link Codec#attach}). The server
 * reads the socket only when the handler asks for more, so a handler that reads slowly slows the
 * client down instead of filling the heap.
 *
 * <p>Used only by the thread that runs the handler, between the handler's start and its return.
 * Waiting for bytes is under the connection's body deadlines (the idle timeout and the minimum body
 * rate), not the request timeout, which starts afresh after each read.
 */
public interface RequestStream {

    /**
     * The client's bytes read and not yet consumed, in read mode: consume them by advancing the
     * position. May be another buffer after each {@link #fill}.
     */
    ByteBuffer buffered();

    /**
     * Waits for more bytes from the client and appends them to {@link #buffered()}.
     *
     * @return false at the client's end of stream
     * @throws IOException when the connection failed, or a timeout or shutdown ended it
     */
    boolean fill() throws IOException;

    /** Sends {@code bytes} to the client now, ahead of the answer (HTTP: {@code 100 Continue}). */
    void sendInterim(byte[] bytes) throws IOException;
}
