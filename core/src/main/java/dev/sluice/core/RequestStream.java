package dev.sluice.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

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

    /**
     * Runs {@code task} later, on the thread that serves this connection's reads for a handler that
     * {@linkplain Handler#answersLater() answers later}: the loop thread on {@code event-loop}; on the
     * blocking engines, the connection's thread while it waits for the answer ({@link #awaitAnswer}).
     * Never inline. Tasks left when the answer is complete are dropped.
     */
    void execute(Runnable task);

    /**
     * From a task run by {@link #execute}: asks for more bytes without waiting; {@code then} is
     * called on the same thread once they are in {@link #buffered()}, perhaps before this returns.
     */
    void fillLater(Filled then);

    /**
     * Waits for {@code answer} on a thread that may block, running the tasks given to
     * {@link #execute} meanwhile; interrupted by the request timeout, which cancels it.
     *
     * @throws ExecutionException with the stage's failure
     */
    <T> T awaitAnswer(CompletionStage<T> answer) throws InterruptedException, ExecutionException;

    /** What {@link #fillLater} calls once bytes came, the client's stream ended, or the read failed. */
    @FunctionalInterface
    interface Filled {
        /**
         * @param more false at the client's end of stream, or on failure
         * @param failure why the read failed (the connection failed, a timeout or shutdown ended it), or null
         */
        void filled(boolean more, IOException failure);
    }
}
