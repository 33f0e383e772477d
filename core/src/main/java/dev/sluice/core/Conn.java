package dev.sluice.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;

/**
 * One open connection's shared state: its phase, its one deadline, and whether it is closed.
 *
 * <p>Phases, and who moves them:
 * <pre>
 *   owner (connection thread or event loop):  IDLE -> HEAD -> BODY -> BUSY -> WRITING -> IDLE ...
 *   anyone else (timer, acceptor, shutdown):  live phase -> TERMINATED(reason), by compare-and-set
 * </pre>
 * The owner moves between live phases by compare-and-set too, so when a timer expires or evicts
 * the connection at the same moment, exactly one side wins: a failed {@link #move} tells the
 * owner that the connection was terminated and {@link #terminalReason()} says why. Nothing else
 * is shared: the codec and buffers belong to the owner.
 */
final class Conn {
    static final int IDLE = 0;
    static final int HEAD = 1;
    static final int BODY = 2;
    static final int BUSY = 3;
    static final int WRITING = 4;
    /** Terminated by another thread; the reason is {@code phase - TERMINATED}. */
    private static final int TERMINATED = 16;
    /** Evicted while idle to admit a newcomer, who inherits this connection's permit. */
    private static final int HANDED_OVER = 64;

    private static final VarHandle PHASE;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PHASE = l.findVarHandle(Conn.class, "phase", int.class);
            CLOSED = l.findVarHandle(Conn.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ConnectionInfo info;
    final SocketChannel channel;
    private volatile int phase = BUSY;
    /** When the current phase expires, in {@link System#nanoTime()} terms; MAX_VALUE: never. */
    volatile long deadline = Long.MAX_VALUE;
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;
    /** Engine-specific state, owned by the engine. */
    Object attachment;

    Conn(ConnectionInfo info, SocketChannel channel) {
        this.info = info;
        this.channel = channel;
    }

    int phase() {
        return phase;
    }

    /** Owner only: moves to a live phase; false when another thread terminated the connection. */
    boolean move(int next) {
        int cur = phase;
        return cur < TERMINATED && (cur == next || PHASE.compareAndSet(this, cur, next));
    }

    /** Moves to a live phase and sets its deadline {@code timeoutNanos} from now (0: none). */
    boolean move(int next, long timeoutNanos, long now) {
        deadline = timeoutNanos > 0 ? now + timeoutNanos : Long.MAX_VALUE;
        return move(next);
    }

    /** Anyone: terminates the connection if it is still in phase {@code from}. */
    boolean terminate(int from, CloseReason reason) {
        return PHASE.compareAndSet(this, from, TERMINATED + reason.ordinal());
    }

    /** Acceptor: evicts an idle connection so that a newcomer takes its permit. */
    boolean handOver() {
        return PHASE.compareAndSet(this, IDLE, HANDED_OVER);
    }

    boolean handedOver() {
        return phase == HANDED_OVER;
    }

    /** Why another thread terminated the connection, or null while it is live. */
    CloseReason terminalReason() {
        int p = phase;
        if (p == HANDED_OVER) {
            return CloseReason.LIMIT;
        }
        return p >= TERMINATED ? CloseReason.values()[p - TERMINATED] : null;
    }

    /** The reason to close for when the current deadline has passed, or null if none applies. */
    static CloseReason expiryReason(int phase) {
        return switch (phase) {
            case IDLE, BODY -> CloseReason.IDLE;
            case HEAD -> CloseReason.HEADER_TIMEOUT;
            case WRITING -> CloseReason.WRITE_TIMEOUT;
            default -> null;
        };
    }

    /** True exactly once: for the caller that gets to close the connection. */
    boolean markClosed() {
        return CLOSED.compareAndSet(this, false, true);
    }

    boolean isClosed() {
        return (boolean) CLOSED.getVolatile(this);
    }
}
