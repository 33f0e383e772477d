package dev.sluice.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;

/**
 * One open connection's shared state: its phase, its one deadline, and whether it is closed.
 *
 * <p>Phases, and who moves them:
 * <pre>
 *   owner (connection thread or event loop):  IDLE -> HEAD -> BODY -> BUSY -> HANDLING -> BUSY
 *                                             -> WRITING -> IDLE ...
 *   anyone else (timer, acceptor, shutdown):  live phase -> TERMINATED(reason), by compare-and-set
 * </pre>
 * The deadline of BODY and WRITING is the sooner of a timeout (no progress) and a minimum data
 * rate's ({@link MinDataRate}); {@link #expiryReason} tells them apart.
 * The owner moves between live phases by compare-and-set too, so when a timer expires or evicts
 * the connection at the same moment, exactly one side wins: a failed {@link #move} tells the
 * owner that the connection was terminated and {@link #terminalReason()} says why. Nothing else
 * is shared: the codec and buffers belong to the owner.
 */
final class ConnectionState {
    static final int IDLE = 0;
    static final int HEAD = 1;
    static final int BODY = 2;
    static final int BUSY = 3;
    static final int WRITING = 4;
    /** A handler runs, under the request timeout. */
    static final int HANDLING = 5;
    /** Terminated by another thread; the reason is {@code phase - TERMINATED}. */
    private static final int TERMINATED = 16;
    /** Evicted while idle to admit a newcomer, who inherits this connection's permit. */
    private static final int HANDED_OVER = 64;

    private static final VarHandle PHASE;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PHASE = l.findVarHandle(ConnectionState.class, "phase", int.class);
            CLOSED = l.findVarHandle(ConnectionState.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ConnectionInfo info;
    final SocketChannel channel;
    private volatile int phase = BUSY;
    /** When the current phase expires, in {@link System#nanoTime()} terms; MAX_VALUE: never. */
    volatile long deadline = Long.MAX_VALUE;
    /** When the connection last began to wait for a request, in {@link System#nanoTime()} terms. */
    volatile long idleSince = System.nanoTime();
    /** The deadline is a minimum data rate's, not a timeout's; written before it. */
    private volatile boolean rateBound;
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;
    /** The thread running this connection's handler, while it does; guarded by {@code this}. */
    private Thread handlerThread;
    /** Owner only: when the current body's first read began ({@code -1}: not in a body), and its bytes. */
    long bodyStart = -1;
    long bodyBytes;
    /** Owner only: when the client first left a write unread ({@code -1}: it keeps up), and bytes since. */
    long writeStart = -1;
    long writeBytes;
    /** Engine-specific state, owned by the engine. */
    Object attachment;

    ConnectionState(ConnectionInfo info, SocketChannel channel) {
        this.info = info;
        this.channel = channel;
    }

    int phase() {
        return phase;
    }

    /** Owner only: moves to a live phase; false when another thread terminated the connection. */
    boolean move(int next) {
        if (next <= HEAD) {
            bodyStart = -1; // waiting for a request or reading a head: no body's clock runs
        }
        int cur = phase;
        return cur < TERMINATED && (cur == next || PHASE.compareAndSet(this, cur, next));
    }

    /** Moves to a live phase and sets its deadline {@code timeoutNanos} from now (0: none). */
    boolean move(int next, long timeoutNanos, long now) {
        if (next == IDLE && phase != IDLE) {
            idleSince = now;
        }
        return move(next, timeoutNanos, now, Long.MAX_VALUE);
    }

    /**
     * Moves to a live phase whose deadline is the sooner of {@code timeoutNanos} from now (0: none)
     * and {@code rateDeadline} ({@link MinDataRate#deadline}).
     */
    boolean move(int next, long timeoutNanos, long now, long rateDeadline) {
        long timeout = timeoutNanos > 0 ? now + timeoutNanos : Long.MAX_VALUE;
        boolean rate = rateDeadline != Long.MAX_VALUE
                && (timeout == Long.MAX_VALUE || rateDeadline - timeout < 0);
        rateBound = rate;
        deadline = rate ? rateDeadline : timeout;
        return move(next);
    }

    /** Owner: the deadline of a read in a body under {@code rate}, its clock started if need be. */
    boolean moveToBody(long idleNanos, long now, MinDataRate rate) {
        if (bodyStart == -1) {
            bodyStart = now;
            bodyBytes = 0;
        }
        return move(BODY, idleNanos, now, rate.deadline(bodyStart, bodyBytes));
    }

    /**
     * Owner: the deadline of a write that waits for the client, under {@code rate} with the
     * client credited {@link ServerConfig#RESPONSE_RATE_CREDIT_BYTES} in flight.
     */
    boolean moveToWriting(long writeNanos, long now, MinDataRate rate) {
        if (writeStart == -1) {
            writeStart = now;
            writeBytes = 0;
        }
        long credited = writeBytes + ServerConfig.RESPONSE_RATE_CREDIT_BYTES;
        return move(WRITING, writeNanos, now, rate.deadline(writeStart, credited));
    }

    /** Owner: a handler is about to run on {@code thread}, which the request timeout may interrupt. */
    synchronized void enterHandler(Thread thread) {
        handlerThread = thread;
    }

    /** Owner: the handler returned; no interrupt for it arrives after this. */
    synchronized void leaveHandler() {
        handlerThread = null;
    }

    /** Timer or loop: interrupts the handler of a timed-out request, if it still runs. */
    synchronized void interruptHandler() {
        if (handlerThread != null) {
            handlerThread.interrupt();
        }
    }

    /** Anyone: terminates the connection if it is still in phase {@code from}. */
    boolean terminate(int from, CloseReason reason) {
        return PHASE.compareAndSet(this, from, TERMINATED + reason.ordinal());
    }

    /**
     * Acceptor: evicts this connection so that a newcomer takes its permit, if it has waited for
     * a request since {@code idleBefore} or earlier.
     */
    boolean handOver(long idleBefore) {
        return phase == IDLE && idleSince - idleBefore <= 0 && PHASE.compareAndSet(this, IDLE, HANDED_OVER);
    }

    boolean handedOver() {
        return phase == HANDED_OVER;
    }

    /**
     * The closer: takes the connection out of {@link #handOver}'s reach, terminating it with
     * {@code reason} if it is still live. False if a newcomer was handed it first, and so holds
     * its permit; true if the permit is the closer's to give back. Exactly one of this and a
     * concurrent hand-over wins.
     */
    boolean retire(CloseReason reason) {
        while (true) {
            int p = phase;
            if (p == HANDED_OVER) {
                return false;
            }
            if (p >= TERMINATED || PHASE.compareAndSet(this, p, TERMINATED + reason.ordinal())) {
                return true;
            }
        }
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
    CloseReason expiryReason(int phase) {
        return switch (phase) {
            case IDLE -> CloseReason.IDLE;
            case BODY -> rateBound ? CloseReason.MIN_BODY_RATE : CloseReason.IDLE;
            case HEAD -> CloseReason.HEADER_TIMEOUT;
            case WRITING -> rateBound ? CloseReason.MIN_RESPONSE_RATE : CloseReason.WRITE_TIMEOUT;
            case HANDLING -> CloseReason.REQUEST_TIMEOUT;
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
