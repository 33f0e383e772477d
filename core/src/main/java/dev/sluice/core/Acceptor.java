package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The accept loop, on its own platform thread {@code sluice-acceptor}: accept, admit, hand to the
 * engine, again. One failed accept never ends it: when file descriptors run out it logs once and
 * backs off (10 ms doubling to 1 s) instead of spinning, and recovers by itself.
 *
 * <p>Admission: a newcomer needs one of {@link ServerConfig#maxConnections()} permits. Without a
 * free one, a connection idle for {@link ServerConfig#EVICTABLE_AFTER_IDLE} is closed to make room; failing that,
 * {@link OverloadPolicy#WAIT} holds the newcomer (and the backlog holds the rest) until a permit
 * frees, and {@link OverloadPolicy#REJECT} sends the protocol's rejection bytes and closes it.
 * Before that, a newcomer from an address that already has
 * {@link ServerConfig#maxConnectionsPerIp()} connections open is turned away the same way. With
 * {@link ServerConfig#proxyProtocol()} on, a peer outside the trusted proxies is closed here,
 * unread; the per-address count waits for the header, which names the client
 * ({@link ProxyHeaderReader}).
 *
 * <p>On {@code event-loop} this thread is not started: the first loop registers the listener in
 * its selector and calls {@link #acceptPending} when it is ready, so a new connection costs no
 * hand-off between threads and no selector wakeup. The same admission applies, without blocking:
 * a newcomer that must wait is held here and offered again by {@link #acceptPending} when the
 * loop next ticks or closes a connection.
 */
final class Acceptor implements Runnable {
    private static final long MAX_BACKOFF_MS = 1_000;
    /** How often a wait of the acceptor checks whether the server is stopping. */
    static final long POLL_MS = 20;
    /** Rejected clients lingering (reading their request out) at once; past it they are cut. */
    private static final int MAX_LINGERING = 256;

    private final EngineContext context;
    private final Stats stats;
    private final ServerSocketChannel listener;
    private final Thread thread;
    private final Semaphore lingering = new Semaphore(MAX_LINGERING);
    private final boolean rejectAtLimit;
    /** Whose PROXY header is believed; null when the listener takes none (each peer is the client). */
    private final TrustedProxies trusted;
    private final AtomicInteger accepting = new AtomicInteger(); // event loops inside acceptPending
    private volatile boolean stopping;
    /** Run when the listener closes, so a loop that accepts notices at once; null if none does. */
    private volatile Runnable onStop;
    /** An event loop accepts ({@link #acceptPending}); else this class's own thread does ({@link #run}). */
    private boolean onLoop;
    // Loop mode only, touched by the accepting loop's thread alone.
    /** A newcomer accepted while no permit was free under WAIT; offered again before accepting more. */
    private SocketChannel held;
    private InetSocketAddress heldRemote;
    private long backoffUntil;
    /** The current backoff after failed accepts, in ms; 0 while accept works. */
    private long backoff;
    /** fd exhaustion was logged; cleared when accept recovers. */
    private boolean exhaustedLogged;

    Acceptor(EngineContext context) {
        this.context = context;
        this.stats = context.stats;
        this.listener = context.listener;
        this.trusted = context.config.proxyProtocol();
        this.rejectAtLimit = context.config.overload() == OverloadPolicy.REJECT;
        this.thread = Thread.ofPlatform().name("sluice-acceptor").unstarted(this);
    }

    void start() {
        thread.start();
    }

    /**
     * Closes the listener: new connections are refused and a blocked accept ends. The acceptor's
     * waits poll every {@value #POLL_MS} ms for shutdown instead of being interrupted, because on
     * {@code sequential} this thread may be running a handler.
     */
    void stop() {
        stopping = true;
        Quietly.close(listener);
        Runnable wake = onStop;
        if (wake != null) {
            wake.run();
        }
    }

    /**
     * Loop mode: the listener is served by an event loop, which {@code wake} nudges at stop and
     * {@code retry} asks to call {@link #acceptPending} again when a permit frees for a waiting
     * newcomer (the connection that freed it may belong to another loop, or close after the
     * accepting loop last looked).
     */
    void servedByLoop(Runnable wake, Runnable retry) {
        this.onLoop = true;
        this.onStop = wake;
        context.admission.onPermitFreed(retry);
    }

    /**
     * Loop mode, on the accepting loop's thread: accepts up to {@code max} pending connections
     * without blocking, admits them and hands them to the engine.
     *
     * @return false when accepting should pause until {@link #acceptPending} is called again (a
     *     newcomer waits for a permit, or accept failed and backs off)
     */
    boolean acceptPending(int max) {
        accepting.incrementAndGet();
        try {
            return acceptBatch(max);
        } finally {
            accepting.decrementAndGet();
        }
    }

    /**
     * After {@link #stop}: whether every connection accepted has been registered (or turned
     * away), so none can appear any more: the acceptor's thread has ended, or no event loop is in
     * {@link #acceptPending}. {@code stopping} is set before this is asked, and read after the
     * count is raised, so a loop that enters later sees it and accepts nothing.
     */
    boolean done() {
        return onLoop ? accepting.get() == 0 : !thread.isAlive();
    }

    private boolean acceptBatch(int max) {
        if (stopping) {
            dropHeld();
            return false;
        }
        if (held != null) {
            if (!context.admission.tryPermit()) {
                return false;
            }
            SocketChannel ch = held;
            held = null;
            serve(ch, heldRemote);
        }
        if (backoff != 0 && System.nanoTime() - backoffUntil < 0) {
            return false;
        }
        for (int i = 0; i < max; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (!closedOnPurpose(e)) {
                    acceptFailed(e);
                    backoffUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
                }
                return false;
            }
            if (ch == null) {
                // Recovered only once the backlog is caught up: a loop accepts in batches, and
                // the first descriptors freed would otherwise be taken again at once.
                recovered();
                return true;
            }
            if (!admit(ch)) {
                return false;
            }
        }
        return true;
    }

    /** Loop mode, on the accepting loop's thread: turns away a newcomer still waiting (stopping). */
    void dropHeld() {
        if (held != null) {
            context.admission.release(counted(heldRemote), false);
            reject(held);
            held = null;
        }
    }

    /** Waits for the acceptor to end (on {@code sequential}, for the connection it serves). */
    void join() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (closedOnPurpose(e)) {
                    break;
                }
                acceptFailed(e);
                sleepQuietly(backoff);
                continue;
            }
            recovered();
            admit(ch);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@code e} is a failure of the listener that was closed on purpose. */
    private boolean closedOnPurpose(IOException e) {
        return stopping || e instanceof ClosedChannelException || context.draining();
    }

    /**
     * Admits a newcomer and hands it to the engine, or turns it away. Without a free permit
     * under {@link OverloadPolicy#WAIT}, the acceptor's thread waits for one; an event loop,
     * which must not, holds the newcomer and returns false.
     */
    private boolean admit(SocketChannel ch) {
        stats.onAccepted();
        InetSocketAddress remote = admitIp(ch);
        if (remote == null) {
            return true;
        }
        Admission admission = context.admission;
        if (admission.tryPermit() || (!rejectAtLimit && !onLoop && admission.awaitPermit(POLL_MS, () -> stopping))) {
            serve(ch, remote);
            return true;
        }
        if (!rejectAtLimit && onLoop) {
            held = ch;
            heldRemote = remote;
            return false;
        }
        admission.release(counted(remote), false);
        reject(ch);
        return true;
    }

    /** Logs a failed accept (fd exhaustion once) and doubles the backoff, from 10 ms up to 1 s. */
    private void acceptFailed(IOException e) {
        boolean exhausted = String.valueOf(e.getMessage()).contains("Too many open files");
        if (exhausted && !exhaustedLogged) {
            Log.CORE.log(Level.WARNING, "fd_exhausted open={0,number,#}: accept backs off until "
                    + "descriptors free (logged once)", stats.open());
            exhaustedLogged = true;
        } else if (!exhausted) {
            Log.CORE.log(Level.WARNING, "accept_failed: {0}", e.toString());
        }
        backoff = backoff == 0 ? 10 : Math.min(MAX_BACKOFF_MS, backoff * 2);
    }

    /** Accept works (again): a backoff in force is over, which is logged. */
    private void recovered() {
        if (backoff != 0) {
            Log.CORE.log(Level.INFO, "accept_recovered open={0,number,#}", stats.open());
            backoff = 0;
            exhaustedLogged = false;
        }
    }

    /**
     * Counts a newcomer against its address's cap and returns its address; null, with the
     * newcomer turned away or closed, when the cap is reached, the client has already gone, or
     * it is not a trusted proxy where a PROXY header is required (which defers the count).
     */
    private InetSocketAddress admitIp(SocketChannel ch) {
        InetSocketAddress remote = remote(ch);
        if (remote == null) {
            stats.onClosedUnopened(CloseReason.ERROR);
            Quietly.close(ch);
            return null;
        }
        if (trusted != null) {
            if (trusted.contains(remote.getAddress())) {
                return remote;
            }
            ProxyHeaderReader.refused(context, "", remote, "untrusted_peer", "not in the trusted proxies");
            stats.onClosedUnopened(CloseReason.PROXY_REFUSED);
            Quietly.close(ch);
            return null;
        }
        if (!context.admission.admitIp(remote.getAddress())) {
            Log.CORE.log(Level.DEBUG, "ip_limit: a connection from {0} turned away",
                    remote.getAddress().getHostAddress());
            stats.onRejectedPerIp();
            stats.onClosedUnopened(CloseReason.LIMIT);
            linger(ch);
            return null;
        }
        return remote;
    }

    /** The address a newcomer from {@code remote} is counted against: none before its PROXY header. */
    private InetAddress counted(InetSocketAddress remote) {
        return trusted == null ? remote.getAddress() : null;
    }

    /** The client's address, or null when it left before it could be asked. */
    private static InetSocketAddress remote(SocketChannel ch) {
        try {
            return ch.getRemoteAddress() instanceof InetSocketAddress a && a.getAddress() != null ? a : null;
        } catch (IOException e) {
            Log.CORE.log(Level.DEBUG, "accept_setup_failed: {0}", e.toString());
            return null;
        }
    }

    /** Opens an admitted newcomer (it holds a permit and its address's count) for the engine. */
    private void serve(SocketChannel ch, InetSocketAddress remote) {
        ConnectionState c;
        try {
            c = context.connections.open(ch, remote);
        } catch (IOException e) {
            Log.CORE.log(Level.DEBUG, "accept_setup_failed: {0}", e.toString());
            Quietly.close(ch);
            context.admission.release(counted(remote), true);
            return;
        }
        try {
            context.engine().dispatch(c);
        } catch (RuntimeException | OutOfMemoryError e) { // e.g. no thread could be started
            Log.CORE.log(Level.WARNING, "conn={0,number,#} dispatch_failed: {1}", c.info.id(), e.toString());
            context.connections.close(c, CloseReason.ERROR);
        }
    }

    /**
     * Turns a newcomer away: the rejection bytes, then a lingering close on a virtual thread that
     * reads the client's request out first, so the kernel does not reset the connection and
     * destroy the answer before the client reads it.
     */
    void reject(SocketChannel ch) {
        stats.onRejected();
        stats.onClosedUnopened(CloseReason.LIMIT);
        linger(ch);
    }

    /** Sends the rejection bytes and closes {@code ch}, lingering as {@link #reject} says. */
    void linger(SocketChannel ch) {
        if (stopping || !lingering.tryAcquire()) {
            Quietly.close(ch);
            return;
        }
        Thread.ofVirtual().name("sluice-reject").start(() -> {
            try {
                ch.configureBlocking(true);
                ch.socket().setSoTimeout(1_000);
                ByteBuffer buf = ByteBuffer.wrap(context.rejection);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.shutdownOutput();
                var in = ch.socket().getInputStream();
                byte[] sink = new byte[1024];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (in.read(sink) >= 0 && System.nanoTime() - deadline < 0) {
                    // Read the request out until the client closes or a second passes.
                }
            } catch (IOException e) {
                Log.CORE.log(Level.DEBUG, "reject_linger_ended: {0}", e.toString());
            } finally {
                Quietly.close(ch);
                lingering.release();
            }
        });
    }
}
