package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLEngine;

/**
 * The registry of a server's open connections: {@link #open} adds an admitted channel,
 * {@link #close} takes it out exactly once, giving back its admission and counting the close; the
 * timer, shutdown and eviction walk it. Thread-safe.
 */
final class OpenConnections implements Iterable<ConnectionState> {
    private final EngineContext context;
    private final Set<ConnectionState> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private static final long ACCEPTOR_POLL_NANOS = 1_000_000;
    /** Set by {@link #closeAll}: a connection opened after it is closed at once. */
    private volatile boolean closed;
    /** The thread waiting in {@link #awaitEmpty}; woken by the last close. */
    private volatile Thread waiter;

    OpenConnections(EngineContext context) {
        this.context = context;
    }

    /**
     * Registers an accepted channel from {@code remote} that holds a permit and, unless a PROXY
     * header is to name the client ({@link ServerConfig#proxyProtocol()}), its address's count; set
     * up for the engine (blocking mode, {@code TCP_NODELAY}), in the phase it starts in.
     */
    ConnectionState open(SocketChannel ch, InetSocketAddress remote) throws IOException {
        ch.configureBlocking(context.config.engine().blocking());
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
        ConnectionState c = new ConnectionState(new ConnectionInfo(ids.incrementAndGet(), remote, local), ch,
                context.timeouts);
        if (context.config.proxyProtocol() != null) {
            c.toProxyHeader(System.nanoTime()); // the header first; TLS after it (ProxyHeaderReader)
        } else {
            c.countIp(remote.getAddress());
            secure(c, null);
        }
        add(c);
        context.stats.onOpened();
        if (closed) { // raced with closeAll(): it may have missed this one
            close(c, CloseReason.SHUTDOWN);
        }
        return c;
    }

    /**
     * Starts TLS on {@code c} when the listener has it, else leaves it plain: either way the
     * protocol's first bytes are {@code read} (write mode; null: none), read with a PROXY header.
     */
    void secure(ConnectionState c, ByteBuffer read) throws IOException {
        TlsEngineFactory tls = context.config.tls();
        if (tls == null) {
            c.unread(read);
            return;
        }
        ConnectionInfo i = c.info;
        SSLEngine engine = newEngine(tls, i.remote());
        c.info = new ConnectionInfo(i.id(), i.remote(), i.local(), new TlsInfo(engine), i.proxy());
        c.tls = new TlsChannel(c.channel, engine, context.plaintextAnswer, context.stats.tls(), read);
        c.toHandshake(System.nanoTime());
    }

    private static SSLEngine newEngine(TlsEngineFactory tls, InetSocketAddress remote) throws IOException {
        try {
            SSLEngine engine = tls.newEngine(remote.getHostString(), remote.getPort());
            engine.setUseClientMode(false);
            return engine;
        } catch (RuntimeException e) {
            throw new IOException("the TLS engine factory failed", e);
        }
    }

    /** Closes a connection once, counts it, and returns its admission (a permit unless handed over). */
    void close(ConnectionState c, CloseReason reason) {
        close(c, reason, true);
    }

    /**
     * As {@link #close(ConnectionState, CloseReason)}; with {@code closeChannel} false the caller
     * closes the channel itself, later (an event loop, once the selector has let go of it).
     *
     * @return whether this call closed the connection (false: it was already closed)
     */
    boolean close(ConnectionState c, CloseReason reason, boolean closeChannel) {
        if (!c.markClosed()) {
            return false;
        }
        if (closeChannel) {
            Quietly.close(c.channel);
        }
        // Its slots first, so that whoever sees the close in the stats finds them free; the
        // registry last, so that shutdown, woken when it empties, finds the stats settled.
        context.admission.release(c.uncountIp(), c.retire(reason));
        if (c.tls != null) {
            c.tls.onClose(reason); // before the close shows in the stats: whoever sees it finds the handshake counted
        }
        context.stats.onClosed(reason);
        remove(c);
        if (Log.CORE.isLoggable(Level.DEBUG)) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} closed reason={1}", c.info.id(), reason.logName());
        }
        return true;
    }

    /**
     * Blocking engines: closes {@code c}, turned away at the per-IP cap once admitted (a PROXY
     * header named its client), with the rejection and a lingering close ({@link Acceptor#linger}).
     */
    void turnAway(ConnectionState c) {
        if (close(c, CloseReason.LIMIT, false)) {
            context.acceptor.linger(c.channel);
        }
    }

    /** Turns away a connection that was admitted but found no room (a full {@code pool} queue). */
    void reject(ConnectionState c) {
        if (!c.markClosed()) {
            return;
        }
        context.admission.release(c.uncountIp(), true);
        if (c.tls != null) {
            c.tls.onClose(CloseReason.LIMIT); // Conscrypt's engine frees its native state and pipe
        }
        context.stats.onClosed(CloseReason.LIMIT);
        context.stats.onRejected();
        remove(c);
        context.acceptor.linger(c.channel);
    }

    private void remove(ConnectionState c) {
        open.remove(c);
        if (open.isEmpty()) {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Closes every open connection, and from now on each one opened. */
    void closeAll(CloseReason reason) {
        closed = true;
        for (ConnectionState c : open) {
            close(c, reason);
        }
    }

    /**
     * Waits until no connection is open, {@code timeout} passes, or
     * {@link #wakeWaiter} is called while {@code abort} holds. Empty counts only once
     * {@code acceptorDone}: a connection accepted just before the listener closed is registered
     * by the acceptor a moment later, and must be waited for (served), not closed at the end.
     *
     * @return whether none is open
     */
    boolean awaitEmpty(java.time.Duration timeout, java.util.function.BooleanSupplier abort,
                       java.util.function.BooleanSupplier acceptorDone) {
        long end = System.nanoTime() + timeout.toNanos();
        waiter = Thread.currentThread();
        try {
            for (long left; (!open.isEmpty() || !acceptorDone.getAsBoolean()) && !abort.getAsBoolean()
                    && (left = end - System.nanoTime()) > 0; ) {
                // The last close or wakeWaiter unparks; an acceptor finishing does not, so look again soon.
                LockSupport.parkNanos(this, open.isEmpty() ? Math.min(left, ACCEPTOR_POLL_NANOS) : left);
            }
        } finally {
            waiter = null;
        }
        return open.isEmpty();
    }

    /** Wakes the thread in {@link #awaitEmpty}, if any, to look at its abort condition again. */
    void wakeWaiter() {
        Thread w = waiter;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    boolean isEmpty() {
        return open.isEmpty();
    }

    int size() {
        return open.size();
    }

    /** Connections waiting for a next request, counted by a pass over them. */
    long tlsBufferedBytes() {
        return open.stream().filter(c -> c.tls != null).mapToLong(c -> c.tls.bufferedCapacity()).sum();
    }

    int idle() {
        return (int) open.stream().filter(c -> c.phase() == ConnectionState.IDLE).count();
    }

    /** Registers {@code c}, set up by {@link #open} (or, in a benchmark of the sweeps, by hand). */
    void add(ConnectionState c) {
        open.add(c);
    }

    @Override
    public Iterator<ConnectionState> iterator() {
        return open.iterator();
    }
}
