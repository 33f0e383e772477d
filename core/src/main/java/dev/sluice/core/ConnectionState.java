package dev.sluice.core;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One open connection's shared state, and the one place its phase and deadline rules live: the
 * engines name the phase they enter ({@link #toIdle}, {@link #toHead}, {@link #toBody},
 * {@link #toHandling}, {@link #toWriting}, {@link #toBusy}) and this class sets the deadline that
 * goes with it from the server's {@link Timeouts}; the sweepers (the blocking engines' {@link Timer},
 * each {@link EventLoop}) call {@link #expire}.
 *
 * <p>States and legal transitions ({@code owner} is the connection's thread or its event loop;
 * every other thread only terminates):
 * <pre>
 *   PROXY ---------&gt; HANDSHAKE | IDLE | BUSY   (PROXY protocol listeners: the header was read)
 *   HANDSHAKE -----&gt; IDLE          (TLS listeners: the handshake finished)
 *            read                 decoded what arrived: wait in the phase the codec names
 *   IDLE ----------&gt; BUSY ------------------------------------------&gt; IDLE | HEAD | BODY
 *   HEAD, BODY ----&gt; BUSY          (a read arrived)
 *   BUSY ----------&gt; HANDLING -------&gt; BUSY      (a handler runs under the request timeout)
 *   BUSY ----------&gt; WRITING  -------&gt; BUSY      (the client leaves a write unread)
 *
 *   any live phase --deadline passed (a sweep)------------&gt; TERMINATED(reason)
 *   IDLE           --shutdown (a first one's: after a grace)&gt; TERMINATED(SHUTDOWN)
 *   IDLE, idle for EVICTABLE_AFTER_IDLE --a newcomer------&gt; HANDED_OVER (it takes the permit)
 *   WRITING, BODY, below the rate --a newcomer------------&gt; SHED (it takes the permit)
 *   any live phase --the closer ({@link #retire})----------&gt; TERMINATED(reason)
 * </pre>
 *
 * <table>
 *   <caption>Deadlines</caption>
 *   <tr><th>phase</th><th>deadline</th><th>expires as</th></tr>
 *   <tr><td>IDLE</td><td>idle timeout from entering it</td><td>{@link CloseReason#IDLE}</td></tr>
 *   <tr><td>HEAD</td><td>header timeout from the head's first read</td>
 *       <td>{@link CloseReason#HEADER_TIMEOUT}</td></tr>
 *   <tr><td>BODY</td><td>the sooner of the idle timeout from now and the minimum body rate
 *       since the body's first read</td><td>{@link CloseReason#IDLE} or {@link CloseReason#MIN_BODY_RATE}</td></tr>
 *   <tr><td>HANDLING</td><td>request timeout from the handler's start</td>
 *       <td>{@link CloseReason#REQUEST_TIMEOUT}</td></tr>
 *   <tr><td>WRITING</td><td>the sooner of the write timeout from the last progress and the
 *       minimum response rate since the client fell behind, by what it acknowledged where the
 *       kernel says ({@link ClientPace})</td>
 *       <td>{@link CloseReason#WRITE_TIMEOUT} or {@link CloseReason#MIN_RESPONSE_RATE}</td></tr>
 *   <tr><td>HANDSHAKE</td><td>TLS handshake timeout from the accept (or the PROXY header's end)</td>
 *       <td>{@link CloseReason#TLS_HANDSHAKE_TIMEOUT}</td></tr>
 *   <tr><td>PROXY</td><td>header timeout from the accept</td><td>{@link CloseReason#PROXY_REFUSED}</td></tr>
 *   <tr><td>BUSY</td><td>none: decoding and encoding are never timed out</td><td></td></tr>
 * </table>
 *
 * <p>The owner moves between live phases by compare-and-set, so when a sweeper expires or the
 * acceptor evicts the connection at the same moment, exactly one side wins: a failed move tells
 * the owner that the connection was terminated and {@link #terminalReason()} says why. Each
 * deadline is written before the phase it belongs to. Nothing else is shared: the codec and
 * buffers belong to the owner.
 */
final class ConnectionState {
    static final int IDLE = 0;
    static final int HEAD = 1;
    static final int BODY = 2;
    static final int BUSY = 3;
    static final int WRITING = 4;
    /** A handler runs, under the request timeout. */
    static final int HANDLING = 5;
    /** A TLS handshake runs, under the handshake timeout from the accept. */
    static final int HANDSHAKE = 6;
    /** A PROXY protocol header is read, under the header timeout from the accept. */
    static final int PROXY = 7;
    /** Terminated by another thread; the reason is {@code phase - TERMINATED}. */
    private static final int TERMINATED = 16;
    /** Evicted while idle to admit a newcomer, who inherits this connection's permit. */
    private static final int HANDED_OVER = 64;
    /** Shed for the least progress to admit a newcomer, who inherits this connection's permit. */
    private static final int SHED = 65;

    private static final CloseReason[] REASONS = CloseReason.values();
    private static final long FIRST_REQUEST_GRACE_NANOS = ServerConfig.FIRST_REQUEST_GRACE.toNanos();
    private static final VarHandle PHASE;
    private static final VarHandle DEADLINE;
    private static final VarHandle CLOSED;
    private static final VarHandle COUNTED_IP;
    /** {@link #countedIp} once given back: nothing counted after it. */
    private static final Object UNCOUNTED = new Object();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PHASE = l.findVarHandle(ConnectionState.class, "phase", int.class);
            DEADLINE = l.findVarHandle(ConnectionState.class, "deadline", long.class);
            CLOSED = l.findVarHandle(ConnectionState.class, "closed", boolean.class);
            COUNTED_IP = l.findVarHandle(ConnectionState.class, "countedIp", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Who is connected. Replaced once, by the owner, after a PROXY header and before the codec is
     * made; other threads read only its id, the same in both.
     */
    ConnectionInfo info;
    final SocketChannel channel;
    /** TLS over {@link #channel} on a TLS listener, else null; set before the owner reads through it. */
    TlsChannel tls;
    /** Owner only: plain bytes read with a PROXY header, for the protocol's first reads; null when none. */
    private ByteBuffer unread;
    private final Timeouts timeouts;
    private volatile int phase = BUSY;
    /** When the current phase expires, in {@link System#nanoTime()} terms; MAX_VALUE: never. */
    volatile long deadline = Long.MAX_VALUE;
    /**
     * When the connection last began to wait for a request, in {@link System#nanoTime()} terms;
     * set on entering IDLE, and read only in IDLE.
     */
    volatile long idleSince;
    /** A whole request has been decoded: shutdown no longer waits for a first one. */
    private volatile boolean answered;
    /** The deadline is a minimum data rate's, not a timeout's; written before it. */
    private volatile boolean rateBound;
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;
    /** The address counted against the per-IP cap: null before, {@link #UNCOUNTED} once given back. */
    @SuppressWarnings("unused") // through COUNTED_IP
    private volatile Object countedIp;
    /** The thread running this connection's handler, for the request timeout to interrupt. */
    final HandlerThread handler = new HandlerThread();
    /** The minimum data rates' clocks. */
    final ClientPace pace;
    /** Engine-specific state, owned by the engine. */
    Object attachment;

    ConnectionState(ConnectionInfo info, SocketChannel channel, Timeouts timeouts) {
        this.info = info;
        this.channel = channel;
        this.timeouts = timeouts;
        this.pace = new ClientPace(channel, timeouts);
    }

    int phase() {
        return phase;
    }

    /** Owner only: moves to a live phase; false when another thread terminated the connection. */
    boolean move(int next) {
        if (next <= HEAD) {
            pace.bodyDone(); // waiting for a request or reading a head: no body's clock runs
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
        if (rateBound != rate) { // a volatile read is cheaper than a volatile write, and it rarely changes
            rateBound = rate;
        }
        deadline = rate ? rateDeadline : timeout;
        return move(next);
    }

    /** Moves to a live phase whose deadline is {@code timeoutNanos} (0: none) from {@code start}. */
    private boolean moveFrom(int next, long start, long timeoutNanos) {
        deadline = timeoutNanos > 0 ? start + timeoutNanos : Long.MAX_VALUE;
        return move(next);
    }

    // ---- the rules: each phase the owner enters, with its deadline ----

    /** Owner: a TLS handshake runs, under the handshake timeout from {@code acceptedAt}. */
    boolean toHandshake(long acceptedAt) {
        if (phase == HANDSHAKE) {
            return true;
        }
        return moveFrom(HANDSHAKE, acceptedAt, timeouts.handshakeNanos());
    }

    /** Owner: a PROXY header is read, under the header timeout from {@code acceptedAt}. */
    boolean toProxyHeader(long acceptedAt) {
        return moveFrom(PROXY, acceptedAt, timeouts.headerNanos());
    }

    /**
     * Owner: reads bytes of the protocol, through TLS when the listener has it; first those read
     * with a PROXY header ({@link #unread}).
     */
    int read(ByteBuffer dst) throws IOException {
        if (unread != null) {
            int n = Buffering.transfer(unread, dst);
            unread = Buffering.dropIfEmpty(unread);
            return n;
        }
        return tls == null ? channel.read(dst) : tls.read(dst);
    }

    /** Owner, before the protocol's first read: {@code bytes} (write mode) came after a PROXY header. */
    void unread(ByteBuffer bytes) {
        unread = Buffering.dropIfEmpty(bytes);
    }

    /**
     * Counts {@code ip} as this connection's against the per-IP cap, for {@link #uncountIp} to give
     * back. False, counting nothing, when the connection was closed first: the caller gives it back.
     */
    boolean countIp(InetAddress ip) {
        return COUNTED_IP.compareAndSet(this, null, ip);
    }

    /** The closer: the address counted for this connection, once; null when none (or given back). */
    InetAddress uncountIp() {
        return COUNTED_IP.getAndSet(this, UNCOUNTED) instanceof InetAddress ip ? ip : null;
    }

    /** Owner: waits for the first byte of a next request, under the idle timeout. */
    boolean toIdle(long now) {
        return move(IDLE, timeouts.idleNanos(), now);
    }

    /** Owner: waits for the rest of a head whose first bytes were read at {@code headStart}. */
    boolean toHead(long headStart) {
        return moveFrom(HEAD, headStart, timeouts.headerNanos());
    }

    /** Owner: waits for body bytes, under the idle timeout and the minimum body rate. */
    boolean toBody(long now) {
        return move(BODY, timeouts.idleNanos(), now, pace.bodyDeadline(now));
    }

    /** Owner: a whole request was decoded; the next body's rate clock starts afresh. */
    void requestDecoded() {
        pace.bodyDone();
        if (!answered) {
            answered = true;
        }
    }

    /** Whether a request was decoded: this is not a new connection whose first may be on its way. */
    boolean answered() {
        return answered;
    }

    /** Owner: decodes, encodes or writes what the client takes at once; no deadline applies. */
    boolean toBusy() {
        return move(BUSY);
    }

    /** Owner: a handler that started at {@code start} runs, under the request timeout. */
    boolean toHandling(long start) {
        return moveFrom(HANDLING, start, timeouts.requestNanos());
    }

    /**
     * Owner: a write waits for the client, under the write timeout from now and the minimum
     * response rate, whose clock runs from the first such wait to {@link ClientPace#caughtUp}.
     */
    boolean toWriting(long now) {
        return move(WRITING, timeouts.writeNanos(), now, pace.responseDeadline(now));
    }

    /** Owner: the client took {@code n} bytes of a write it had left waiting; the deadline restarts. */
    boolean wrote(long n, long now) {
        pace.took(n);
        return toWriting(now);
    }

    /** Owner, for a {@link ConnectionHandler}: a read of its stream, under the idle timeout alone. */
    boolean toStreamRead(long now) {
        return move(BODY, timeouts.idleNanos(), now);
    }

    /** Owner, for a {@link ConnectionHandler}: a write of its stream, under the write timeout alone. */
    boolean toStreamWrite(long now) {
        return move(WRITING, timeouts.writeNanos(), now);
    }

    /**
     * A sweeper: terminates this connection if its deadline is at or before {@code now}.
     *
     * @return why it was terminated, or null when it has not expired (or was already terminated)
     */
    CloseReason expire(long now) {
        long was = deadline;
        if (was - now > 0) {
            return null;
        }
        int p = phase;
        // The kernel may say the client kept to the rate after all: then the deadline moves, unless
        // the owner set one of its own meanwhile.
        long due = p == WRITING && rateBound ? pace.responseDeadlineByAcks() : -1;
        if (due != -1 && due - now > 0 && DEADLINE.compareAndSet(this, was, due)) {
            return null;
        }
        CloseReason reason = expiryReason(p);
        // The owner writes a deadline before its phase: read again now that the phase is known.
        return reason != null && deadline - now <= 0 && terminate(p, reason) ? reason : null;
    }

    /**
     * Shutdown (and the sweepers while it drains): terminates the connection if it waits for a next
     * request; a new one, whose first may be on its way, after {@link ServerConfig#FIRST_REQUEST_GRACE}.
     */
    boolean terminateIdle(long now) {
        return phase == IDLE && (answered || now - idleSince >= FIRST_REQUEST_GRACE_NANOS)
                && terminate(IDLE, CloseReason.SHUTDOWN);
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

    /**
     * Acceptor, at the connection limit: the rate at which the client moves the response or body
     * the connection waits on, when below the minimum after the grace; else -1 ({@link ClientPace#shortfall}).
     */
    long shortfallRate(long now) {
        int p = phase;
        return p == WRITING || p == BODY ? pace.shortfall(p == WRITING, now) : -1;
    }

    /** Acceptor: sheds this connection so that a newcomer takes its permit, if still in phase {@code from}. */
    boolean shed(int from) {
        return (from == WRITING || from == BODY) && PHASE.compareAndSet(this, from, SHED);
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
            if (p == HANDED_OVER || p == SHED) {
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
        if (p == HANDED_OVER || p == SHED) {
            return p == SHED ? CloseReason.LEAST_PROGRESS : CloseReason.LIMIT;
        }
        return p >= TERMINATED ? REASONS[p - TERMINATED] : null;
    }

    /** The reason to close for when the current deadline has passed, or null if none applies. */
    CloseReason expiryReason(int phase) {
        return switch (phase) {
            case IDLE -> CloseReason.IDLE;
            case BODY -> rateBound ? CloseReason.MIN_BODY_RATE : CloseReason.IDLE;
            case HEAD -> CloseReason.HEADER_TIMEOUT;
            case WRITING -> rateBound ? CloseReason.MIN_RESPONSE_RATE : CloseReason.WRITE_TIMEOUT;
            case HANDLING -> CloseReason.REQUEST_TIMEOUT;
            case HANDSHAKE -> CloseReason.TLS_HANDSHAKE_TIMEOUT;
            case PROXY -> CloseReason.PROXY_REFUSED;
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
