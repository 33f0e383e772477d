package dev.sluice.core;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * A body streamed to a handler on {@code event-loop}: the handler's virtual thread asks, the loop
 * reads. Between reads the handler's thread holds its buffer; to ask for more it hands the buffer
 * to the loop ({@link #fill}) and waits, and the loop fills it and hands it back. Once the handler
 * has begun to read, the loop also reads ahead of it into a second buffer of
 * {@value #BUFFER_BYTES} bytes, so the client is not left waiting while the handler works on the
 * last piece, and the body deadlines judge the client whenever the server has room for its bytes.
 * Beyond those two buffers the loop reads nothing: a slow handler leaves the bytes in the kernel
 * and the client's TCP window closes. A handler that never reads (one that answers 401 to a client
 * waiting for {@code 100 Continue}) has nothing read for it.
 *
 * <p>A handler that {@linkplain Handler#answersLater() answers later} reads on the loop thread
 * instead: {@link #fillLater} asks as {@link #fill} does, and the loop calls back rather than
 * waking a waiter.
 *
 * <p>Threads: {@link #fill}, {@link #buffered}, {@link #sendInterim} on the handler's;
 * {@link #execute} on any; {@link #awaitAnswer} on the one that waits; the rest on the loop's
 * ({@link #takeBack} once the handler has returned or its answer is complete).
 */
final class LoopStream implements RequestStream {
    /** What the handler's thread reads into. */
    static final int BUFFER_BYTES = 64 * 1024;
    private static final ByteBuffer NONE = ByteBuffer.allocate(0);

    private final LoopConnection<?, ?> conn;
    /** Handler's thread: the bytes it holds, in read mode; {@link #NONE} before its first fill. */
    private ByteBuffer held = NONE;
    /** Loop thread: the buffer (write mode) the handler waits to have read into; null when none. */
    private ByteBuffer wanted;
    /** Loop thread: bytes read ahead of the handler (write mode), once it has begun to read; else null. */
    private ByteBuffer ahead;
    /** Loop thread: the client ended its stream. */
    private boolean atEnd;
    /** The loop's answer to a fill: the buffer in read mode, or the failure; null while it waits. */
    private volatile Object answer;
    /** Written before {@link #answer}: the read found the client's end of stream. */
    private boolean ended;
    private volatile Thread waiter;
    /** Loop: told instead of {@link #waiter} when a handler that answers later asked ({@link #fillLater}). */
    private Filled filled;

    LoopStream(LoopConnection<?, ?> conn) {
        this.conn = conn;
    }

    @Override
    public ByteBuffer buffered() {
        return held;
    }

    /** Handler's thread: hands the buffer to the loop and waits for it to come back fuller. */
    @Override
    public boolean fill() throws IOException {
        if (conn.loop.inLoop()) { // it would wait for itself, and every connection of the loop with it
            throw new IllegalStateException("a blocking read of the body on the loop thread: use fillLater");
        }
        ByteBuffer buf = room();
        answer = null;
        waiter = Thread.currentThread();
        ByteBuffer asked = buf;
        conn.loop.post(() -> ask(asked));
        Object a = await();
        if (a instanceof IOException e) {
            throw e;
        }
        held = (ByteBuffer) a;
        return !ended;
    }

    /**
     * A task for the loop, run after what it does now (never inline: the codec may hold the input).
     * One that throws closes its connection, not the loop.
     */
    @Override
    public void execute(Runnable task) {
        conn.loop.post(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                if (conn.index >= 0) {
                    conn.failed(e);
                }
            }
        });
    }

    /** Loop, for a handler that answers later: as {@link #fill}, but {@code then} is told instead of a waiter. */
    @Override
    public void fillLater(Filled then) {
        ByteBuffer buf;
        try {
            buf = room();
        } catch (IOException e) {
            then.filled(false, e);
            return;
        }
        filled = then;
        ask(buf);
    }

    /** A virtual thread: the loop runs the stream's tasks meanwhile; the request timeout interrupts. */
    @Override
    public <T> T awaitAnswer(CompletionStage<T> answer) throws InterruptedException, ExecutionException {
        if (conn.loop.inLoop()) { // the body's reads it waits for would wait for it
            throw new IllegalStateException("waiting for an answer on the loop thread: answer later instead");
        }
        CompletableFuture<T> f = answer.toCompletableFuture();
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /** Handler's thread: the loop writes {@code bytes} when it next runs; no wait. */
    @Override
    public void sendInterim(byte[] bytes) {
        conn.loop.post(() -> {
            if (conn.index >= 0) {
                conn.loop.scratch.write(bytes);
                conn.flush();
            }
        });
    }

    /** The held buffer, compacted, with room to read into (write mode); nothing is held after. */
    private ByteBuffer room() throws IOException {
        ByteBuffer buf = held == NONE ? ByteBuffer.allocate(BUFFER_BYTES) : held.compact();
        if (!buf.hasRemaining()) {
            if (buf.capacity() >= Buffering.MAX_UNDECODED_BYTES) {
                throw new IOException("body buffer full");
            }
            buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
        }
        held = NONE;
        return buf;
    }

    private Object await() {
        HandlerWait.until(() -> answer != null, conn.c, this); // the loop fails a waiter as it closes
        Object a = answer;
        return a != null ? a : new IOException("connection closed");
    }

    /**
     * Loop, once the handler has returned or its answer is complete: the bytes it was handed and
     * left (in the buffer of a read still asked for, when its answer came first), then those the
     * loop read ahead, or null if none; the stream is idle again.
     */
    ByteBuffer takeBack() {
        ByteBuffer left = wanted != null ? wanted.flip() : held;
        held = NONE;
        ByteBuffer early = ahead;
        ahead = null;
        wanted = null;
        filled = null; // the answer is complete: a read asked for is not delivered
        atEnd = false;
        if (early == null || early.position() == 0) {
            return left.hasRemaining() ? left : null;
        }
        return ByteBuffer.allocate(left.remaining() + early.position()).put(left).put(early.flip()).flip();
    }

    /**
     * Loop: whether the loop reads the client's body now: the handler waits for bytes, or it has
     * begun to read and the loop has room to read ahead.
     */
    boolean reading() {
        return !atEnd && (wanted != null || ahead != null && ahead.hasRemaining());
    }

    /**
     * Loop: whether the client is the one waited on: the handler waits for bytes, or has taken all
     * that was read ahead. The body deadlines apply then; while bytes read ahead wait for the
     * handler, the request timeout does (a client that sent its whole body is not to blame).
     */
    boolean awaitingClient() {
        return !atEnd && (wanted != null || ahead != null && ahead.position() == 0);
    }

    /**
     * Loop: the handler asks for bytes into {@code buf} (write mode): those left from the loop's
     * last read or read ahead since, at once; else what a read gets now (TLS may hold bytes the
     * socket no longer signals); else the next read once the socket is readable.
     */
    void ask(ByteBuffer buf) {
        if (conn.index < 0) {
            fail(new SocketTimeoutException("connection closed"));
            return;
        }
        if (ahead == null) { // the first read: from now on the loop reads ahead of the handler
            ahead = ByteBuffer.allocate(BUFFER_BYTES);
        }
        if (conn.pendingIn != null) {
            deliver(buf, conn.pendingIn, false);
            conn.pendingIn = null;
        } else if (ahead.position() > 0 || atEnd) {
            boolean none = ahead.position() == 0;
            deliver(buf, ahead.flip(), atEnd && none); // bytes first; the end at the next ask
            ahead.clear();
        } else {
            wanted = buf;
            onReadable();
            return;
        }
        conn.setInterest();
        conn.updatePhase();
    }

    /**
     * Loop: the socket is readable: reads into the waiting handler's buffer, which goes back to
     * it, or else ahead of it, until the buffer is full or nothing more has come.
     */
    void onReadable() {
        ConnectionState c = conn.c;
        ByteBuffer into = wanted != null ? wanted : ahead;
        int n = 0;
        try {
            for (int r; into.hasRemaining() && (r = c.read(into)) != 0; ) { // what has come, to the brim
                if (r < 0) {
                    atEnd = true;
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            conn.ioFailed(e);
            return;
        }
        if (n > 0) {
            conn.loop.stats.addBytesIn(n);
            c.pace.bodyRead(n);
            conn.handlerStart = System.nanoTime(); // the request timeout starts afresh after each read
        }
        if (wanted != null && (n > 0 || atEnd)) {
            deliver(wanted, null, atEnd && n == 0);
        }
        if (atEnd) {
            conn.endOfStream();
        }
        conn.setInterest();
        conn.updatePhase();
    }

    /**
     * Loop: hands {@code buf} (write mode) back to the waiting handler in read mode, with
     * {@code more} after its bytes (in a larger buffer if need be); {@code end}: the client ended
     * its stream and no byte came.
     */
    private void deliver(ByteBuffer buf, ByteBuffer more, boolean end) {
        wanted = null;
        ByteBuffer out;
        if (more == null || buf.remaining() >= more.remaining()) {
            out = (more == null ? buf : buf.put(more)).flip();
        } else {
            buf.flip();
            out = ByteBuffer.allocate(Math.max(BUFFER_BYTES, buf.remaining() + more.remaining()))
                    .put(buf).put(more).flip();
        }
        ended = end;
        Filled then = filled;
        if (then != null) {
            filled = null;
            held = out;
            then.filled(!end, null);
            return;
        }
        answer = out;
        LockSupport.unpark(waiter);
    }

    /** Loop: the connection closed; a handler waiting for bytes gets {@code why}. */
    void fail(IOException why) {
        wanted = null;
        Filled then = filled;
        if (then != null) {
            filled = null;
            then.filled(false, why);
            return;
        }
        if (answer == null && waiter != null) {
            answer = why;
            LockSupport.unpark(waiter);
        }
    }
}
