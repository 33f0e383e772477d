package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.locks.LockSupport;

/**
 * A response body made while it is sent, on {@code event-loop}: a virtual thread makes a piece and
 * hands it to the loop, makes the next while the loop sends it, and hands that one over only once
 * the client has taken the first. So at most two pieces are held, and a client that reads slowly
 * holds up the producer, never the loop or the heap.
 *
 * <p>Threads: {@link #run} on its virtual thread; {@link #caughtUp} and the pieces' hand-over on the
 * loop's.
 */
final class LoopProducer implements Runnable {
    private final LoopConnection<?, ?> conn;
    private final BodyProducer producer;
    /** The two pieces: one being made while the loop sends the other. */
    private final OutboundBuffer[] pieces = {new OutboundBuffer(), new OutboundBuffer()};
    /** The loop has sent the last piece handed to it. */
    private volatile boolean sent;
    /** Loop thread: a piece was handed over and is not all sent yet. */
    private boolean outstanding;
    private volatile Thread waiter;

    LoopProducer(LoopConnection<?, ?> conn, BodyProducer producer) {
        this.conn = conn;
        this.producer = producer;
    }

    @Override
    public void run() {
        waiter = Thread.currentThread();
        boolean done = false;
        sent = true;
        try {
            for (int i = 0; !done && !conn.c.isClosed(); i ^= 1) {
                OutboundBuffer piece = pieces[i];
                done = !producer.next(piece);
                awaitSent(); // the piece before this one
                sent = false;
                conn.loop.post(() -> handOver(piece));
            }
            awaitSent();
            done = done && !conn.c.isClosed();
        } catch (IOException | RuntimeException e) {
            Log.CORE.log(Level.WARNING, "conn={0,number,#} response_stream_failed: {1}",
                    conn.c.info.id(), e.toString());
        } finally {
            if (!done) {
                producer.abandon();
            }
            awaitSent(); // the loop may still hold a piece until the connection closes
            pieces[0].release();
            pieces[1].release();
            boolean failed = !done;
            conn.loop.post(() -> conn.produced(failed));
        }
    }

    /** Loop: sends {@code piece}; {@link #caughtUp} once the client has it all. */
    private void handOver(OutboundBuffer piece) {
        outstanding = true; // before the send, which may write it all at once
        if (conn.index < 0) {
            caughtUp();
            return;
        }
        conn.send(piece);
    }

    /**
     * Loop: the client took all that was written: if that includes a piece handed over, the
     * producer may hand over the next. (Not before a piece is handed over: the head written
     * before it, say, frees nothing of the producer's.)
     */
    void caughtUp() {
        if (outstanding) {
            outstanding = false;
            sent = true;
            LockSupport.unpark(waiter);
        }
    }

    private void awaitSent() {
        HandlerWait.until(() -> sent, conn.c, this);
    }
}
