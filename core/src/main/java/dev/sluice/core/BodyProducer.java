package dev.sluice.core;

import java.io.IOException;

/**
 * A response body made while it is sent, such as a stream read a piece at a time (see
 * {@link Output#produce}). The engine asks for one piece, sends it, and asks for the next only once
 * the client has taken it, on a thread that may block: the connection's own on the blocking
 * engines, a virtual thread on {@code event-loop}. So a client that reads slowly holds up the
 * producer, not the heap.
 */
@FunctionalInterface
public interface BodyProducer {

    /**
     * Writes the next piece of the body to {@code out}; may block (reading a stream).
     *
     * @return false once the body is complete, its last bytes written
     * @throws IOException when the body cannot be made: the engine logs it and closes the
     *     connection, so the client sees the body cut short
     */
    boolean next(Output out) throws IOException;

    /** The body ends early: {@link #next} failed or the connection closed. Releases what it holds. */
    default void abandon() {
    }
}
