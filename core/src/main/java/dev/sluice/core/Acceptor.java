package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The accept loop, on its own platform thread {@code sluice-acceptor}: accept, admit, hand to the
 * engine, again. One failed accept never ends it: when file descriptors run out it logs once and
 * backs off (10 ms doubling to 1 s) instead of spinning, and recovers by itself.
 *
 * <p>Admission: a newcomer needs one of {@link ServerConfig#maxConnections()} permits. Without a
 * free one, an idle keep-alive connection is closed to make room; failing that,
 * {@link OverloadPolicy#WAIT} holds the newcomer (and the backlog holds the rest) until a permit
 * frees, and {@link OverloadPolicy#REJECT} sends the protocol's rejection bytes and closes it.
 * Before that, a newcomer from an address that already has
 * {@link ServerConfig#maxConnectionsPerIp()} connections open is turned away the same way.
 */
final class Acceptor implements Runnable {
    private static final long MAX_BACKOFF_MS = 1_000;
    /** How often a wait of the acceptor checks whether the server is stopping. */
    static final long POLL_MS = 20;
    /** Rejected clients lingering (reading their request out) at once; past it they are cut. */
    private static final int MAX_LINGERING = 256;

    private final Server server;
    private final ServerSocketChannel listener;
    private final Thread thread;
    private final Semaphore lingering = new Semaphore(MAX_LINGERING);
    private volatile boolean stopping;

    Acceptor(Server server, ServerSocketChannel listener) {
        this.server = server;
        this.listener = listener;
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
        OutboundBuffer.closeQuietly(listener);
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
        long backoff = 0;
        boolean exhaustedLogged = false;
        Stats stats = server.stats();
        while (!stopping) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                if (stopping || server.stopped(e)) {
                    break;
                }
                boolean exhausted = String.valueOf(e.getMessage()).contains("Too many open files");
                backoff = backoff == 0 ? 10 : Math.min(MAX_BACKOFF_MS, backoff * 2);
                if (exhausted && !exhaustedLogged) {
                    Server.LOG.log(Level.WARNING, "fd_exhausted open={0,number,#}: accept backs off until "
                            + "descriptors free (logged once)", stats.open());
                    exhaustedLogged = true;
                } else if (!exhausted) {
                    Server.LOG.log(Level.WARNING, "accept_failed: {0}", e.toString());
                }
                Server.sleepQuietly(backoff);
                continue;
            }
            if (backoff != 0) {
                Server.LOG.log(Level.INFO, "accept_recovered open={0,number,#}", stats.open());
                backoff = 0;
                exhaustedLogged = false;
            }
            stats.onAccepted();
            InetAddress ip = remoteIp(ch);
            if (ip == null) {
                stats.onClosedUnopened(CloseReason.ERROR);
                OutboundBuffer.closeQuietly(ch);
                continue;
            }
            if (!server.admitIp(ip)) {
                Server.LOG.log(Level.DEBUG, "ip_limit: a connection from {0} turned away", ip.getHostAddress());
                stats.onRejectedPerIp();
                stats.onClosedUnopened(CloseReason.LIMIT);
                linger(ch);
                continue;
            }
            if (!admit()) {
                server.releaseIp(ip);
                reject(ch);
                continue;
            }
            Conn c;
            try {
                c = server.open(ch);
            } catch (IOException e) {
                Server.LOG.log(Level.DEBUG, "accept_setup_failed: {0}", e.toString());
                OutboundBuffer.closeQuietly(ch);
                server.releaseIp(ip);
                server.permits().release();
                continue;
            }
            try {
                server.engine().dispatch(c);
            } catch (RuntimeException | OutOfMemoryError e) { // e.g. no thread could be started
                Server.LOG.log(Level.WARNING, "conn={0,number,#} dispatch_failed: {1}", c.info.id(), e.toString());
                server.closeConn(c, CloseReason.ERROR);
            }
        }
    }

    /** The client's address, or null when it left before it could be asked. */
    private static InetAddress remoteIp(SocketChannel ch) {
        try {
            return ch.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        } catch (IOException e) {
            Server.LOG.log(Level.DEBUG, "accept_setup_failed: {0}", e.toString());
            return null;
        }
    }

    /** Takes a permit for a newcomer; false when the policy says to turn it away. */
    private boolean admit() {
        Semaphore permits = server.permits();
        if (permits.tryAcquire() || server.evictIdle()) {
            return true;
        }
        if (server.config().overload() == OverloadPolicy.REJECT) {
            return false;
        }
        try {
            while (!stopping) {
                if (permits.tryAcquire(POLL_MS, TimeUnit.MILLISECONDS) || server.evictIdle()) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * Turns a newcomer away: the rejection bytes, then a lingering close on a virtual thread that
     * reads the client's request out first, so the kernel does not reset the connection and
     * destroy the answer before the client reads it.
     */
    void reject(SocketChannel ch) {
        Stats stats = server.stats();
        stats.onRejected();
        stats.onClosedUnopened(CloseReason.LIMIT);
        linger(ch);
    }

    /** Sends the rejection bytes and closes {@code ch}, lingering as {@link #reject} says. */
    void linger(SocketChannel ch) {
        if (stopping || !lingering.tryAcquire()) {
            OutboundBuffer.closeQuietly(ch);
            return;
        }
        byte[] answer = server.protocol() == null ? new byte[0] : server.protocol().rejectionBytes();
        Thread.ofVirtual().name("sluice-reject").start(() -> {
            try {
                ch.configureBlocking(true);
                ch.socket().setSoTimeout(1_000);
                ByteBuffer buf = ByteBuffer.wrap(answer);
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
                Server.LOG.log(Level.DEBUG, "reject_linger_ended: {0}", e.toString());
            } finally {
                OutboundBuffer.closeQuietly(ch);
                lingering.release();
            }
        });
    }
}
