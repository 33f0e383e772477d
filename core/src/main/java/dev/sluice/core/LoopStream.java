package dev.sluice.core;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A body streamed to a handler on {@code event-loop}: the handler's virtual thread asks, the loop
 * reads. Between reads the handler's thread holds the buffer; to ask for more it hands the buffer
 * to the loop ({@link #fill}) and waits, and the loop reads into it once the socket is readable and
 * hands it back. The loop reads nothing for a handler that did not ask, so a slow handler leaves
 * the bytes in the kernel and the client's TCP window closes.
 *
 * <p>Threads: the {@link RequestStream} methods and {@link #takeBack} on the handler's (the last
 * once it has returned); the rest on the loop's.
 */
final class LoopStream implements RequestStream {
    /** What the handler's thread reads into. */
    static final int BUFFER_BYTES = 64 * 1024;
    private static final ByteBuffer NONE = ByteBuffer.allocate(0);
    /** How often a waiting handler looks whether its connection closed under it. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LoopConnection<?, ?> conn;
    /** Handler's thread: the bytes it holds, in read mode; {@link #NONE} before its first fill. */
    private ByteBuffer held = NONE;
    /** Loop thread: the buffer (write mode) the handler waits to have read into; null when none. */
    private ByteBuffer wanted;
    /** The loop's answer to a fill: the buffer in read mode, or the failure; null while it waits. */
    private volatile Object answer;
    /** Written before {@link #answer}: the read found the client's end of stream. */
    private boolean ended;
    private volatile Thread waiter;

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
        ByteBuffer buf = held == NONE ? ByteBuffer.allocate(BUFFER_BYTES) : held.compact();
        if (!buf.hasRemaining()) {
            if (buf.capacity() >= Buffering.MAX_UNDECODED_BYTES) {
                throw new IOException("body buffer full");
            }
            buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
        }
        held = NONE;
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

    private Object await() {
        boolean interrupted = false;
        Object a;
        while ((a = answer) == null) {
            if (conn.c.isClosed()) { // the loop fails a waiter as it closes, unless it stopped first
                a = answer;
                if (a == null) {
                    a = new IOException("connection closed");
                }
                break;
            }
            LockSupport.parkNanos(this, POLL_NANOS);
            interrupted |= Thread.interrupted(); // the loop answers in any case: wait for it
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return a;
    }

    /** Handler's thread, once the handler returned: the bytes it read and left, or null if none. */
    ByteBuffer takeBack() {
        ByteBuffer left = held;
        held = NONE;
        return left.hasRemaining() ? left : null;
    }

    /** Loop: the buffer the handler waits to have read into, or null when it waits for no read. */
    ByteBuffer wanted() {
        return wanted;
    }

    /**
     * Loop: the handler asks for bytes into {@code buf} (write mode): those left from the loop's
     * last read at once, else what a read gets now, else the next read once the socket is readable.
     */
    void ask(ByteBuffer buf) {
        if (conn.index < 0) {
            fail(new SocketTimeoutException("connection closed"));
        } else if (conn.pendingIn != null) {
            deliver(buf, conn.pendingIn, false);
            conn.pendingIn = null;
        } else {
            wanted = buf;
            onReadable(); // what has come already (TLS may hold bytes the socket no longer signals), else wait
        }
    }

    /**
     * Loop: the socket is readable and the handler waits: reads straight into its buffer until
     * it is full or nothing more has come, and hands it back unless nothing came (TLS may need
     * more). An end of stream after some bytes is seen at the next read.
     */
    void onReadable() {
        ConnectionState c = conn.c;
        int n = 0;
        try {
            for (int r; wanted.hasRemaining() && (r = c.read(wanted)) != 0; ) { // what has come, to the brim
                n = r < 0 ? (n > 0 ? n : -1) : n + r;
                if (r < 0) {
                    break;
                }
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
        if (n != 0) {
            deliver(wanted, null, n < 0);
        }
        if (n < 0) {
            conn.endOfStream();
        }
        conn.setInterest();
        conn.updatePhase();
    }

    private void deliver(ByteBuffer buf, ByteBuffer more, boolean end) {
        wanted = null;
        ByteBuffer out = buf.flip();
        if (more != null) {
            out = ByteBuffer.allocate(Math.max(BUFFER_BYTES, out.remaining() + more.remaining()))
                    .put(out).put(more).flip();
        }
        ended = end;
        answer = out;
        LockSupport.unpark(waiter);
    }

    /** Loop: the connection closed; a handler waiting for bytes gets {@code why}. */
    void fail(IOException why) {
        wanted = null;
        if (answer == null && waiter != null) {
            answer = why;
            LockSupport.unpark(waiter);
        }
    }
}
