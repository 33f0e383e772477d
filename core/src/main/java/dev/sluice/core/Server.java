package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP server: listens, accepts, serves each connection with a {@link Protocol} (or a
 * {@link ConnectionHandler}) on the configured {@link Engine}, and keeps within its limits and
 * timeouts until it is shut down.
 *
 * <pre>{@code
 * try (Server server = Server.create(ServerConfig.builder().port(0).build(), EchoProtocol.create())
 *         .start()) {
 *     System.out.println("listening on " + server.port());
 *     ...
 *     server.shutdown();   // graceful
 * }                        // close(): immediate, and a no-op after shutdown
 * }</pre>
 *
 * <p>Threads: one acceptor thread ({@code sluice-acceptor}) takes connections off the backlog,
 * admits them against {@link ServerConfig#maxConnections()} and hands them to the engine (on
 * {@code sequential} it also serves them; on {@code event-loop} the first loop thread does this
 * instead, and there is no acceptor thread). One timer thread ({@code sluice-timer}) enforces the
 * timeouts of the blocking engines; {@code event-loop} threads keep their own. The lifecycle
 * methods may be called from any thread.
 */
public final class Server implements AutoCloseable {
    static final System.Logger LOG = System.getLogger("dev.sluice.core");

    private enum State { NEW, RUNNING, DRAINING, CLOSED }

    private final ServerConfig config;
    private final Protocol<?, ?> protocol;
    private final ConnectionHandler rawHandler;
    private final Stats stats = new Stats();
    private final Set<ConnectionState> conns = ConcurrentHashMap.newKeySet();
    private final Semaphore permits;
    /** Open connections per client address, when {@link ServerConfig#maxConnectionsPerIp()} is on. */
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
    /**
     * Acceptor only: before this {@link System#nanoTime()}, no connection can have been idle for
     * {@link ServerConfig#EVICTABLE_AFTER_IDLE}, so {@link #evictIdle} need not look.
     */
    private volatile long noEvictionBefore = System.nanoTime();

    /** Output chunks of the blocking engines' connections, lent while they write. */
    private final BufferPool chunks = new BufferPool(256);
    /** Read buffers of the blocking engines' connections, lent while a message arrives. */
    private final BufferPool readBuffers = new BufferPool(256, BlockingConnection.READ_BYTES, false);
    private final AtomicLong ids = new AtomicLong();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile State state = State.NEW;
    private volatile boolean draining;
    /** close() was called while shutdown() drains: stop waiting. */
    private volatile boolean abortDrain;
    /** The thread waiting in shutdown() for the last connection to close; woken by it. */
    private volatile Thread drainWaiter;
    private ServerSocketChannel listener;
    private InetSocketAddress address;
    private ConnectionEngine engine;
    private Acceptor acceptor;
    private Timer timer;
    private List<String> report = List.of();

    private Server(ServerConfig config, Protocol<?, ?> protocol, ConnectionHandler rawHandler) {
        this.config = Objects.requireNonNull(config, "config");
        this.protocol = protocol;
        this.rawHandler = rawHandler;
        this.permits = new Semaphore(config.maxConnections());
        if (rawHandler != null && !config.engine().blocking()) {
            throw new IllegalArgumentException("a ConnectionHandler needs a blocking engine, not "
                    + config.engine() + ": use a Protocol for event-loop");
        }
    }

    /** A server, not yet started, that serves {@code protocol}. */
    public static Server create(ServerConfig config, Protocol<?, ?> protocol) {
        return new Server(config, Objects.requireNonNull(protocol, "protocol"), null);
    }

    /** A server, not yet started, that runs {@code handler} for each connection (blocking engines). */
    public static Server create(ServerConfig config, ConnectionHandler handler) {
        return new Server(config, null, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Binds and starts serving. Step by step: open the listening socket with
     * {@code SO_REUSEADDR} (and {@code SO_REUSEPORT} if configured), bind it with the configured
     * backlog, start the engine's threads and the timer, then the acceptor.
     *
     * @throws java.net.BindException when the address is in use or cannot be bound
     * @throws UnknownHostException when the host name does not resolve
     * @throws IOException when the socket cannot be opened; nothing is left open after a failure
     * @throws IllegalStateException when called twice
     */
    public Server start() throws IOException {
        lifecycle.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("already started");
            }
            ServerSocketChannel ch = ServerSocketChannel.open();
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                if (config.reusePort()) {
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                ch.bind(new InetSocketAddress(config.host(), config.port()), config.backlog());
                listener = ch;
                address = (InetSocketAddress) ch.getLocalAddress();
                // Before any engine accepts: accepted sockets inherit it only from then on.
                String nativeOptions = ListenerOptions.apply(ch, config);
                acceptor = new Acceptor(this, ch);
                engine = ConnectionEngine.create(this);
                engine.start();
                stats.queueDepthFrom(engine::queueDepth);
                stats.idleFrom(() -> (int) conns.stream().filter(c -> c.phase() == ConnectionState.IDLE).count());
                if (config.engine().blocking()) {
                    timer = new Timer(this);
                    timer.start();
                }
                report = StartupReport.lines(this, nativeOptions);
            } catch (UnresolvedAddressException e) {
                abandonStart(ch);
                throw new UnknownHostException("cannot resolve host " + config.host());
            } catch (IOException | RuntimeException | Error e) {
                abandonStart(ch);
                throw e;
            }
            state = State.RUNNING;
            if (!engine.acceptsOnLoop()) {
                acceptor.start();
            }
            LOG.log(Level.DEBUG, "server_started address={0} engine={1}", address, config.engine());
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /** Undoes a start that failed half-way: nothing it opened stays open. */
    private void abandonStart(ServerSocketChannel ch) {
        Quietly.close(ch);
        if (engine != null) {
            engine.stop();
        }
        if (timer != null) {
            timer.stop();
        }
        listener = null;
        address = null;
        engine = null;
        timer = null;
    }

    /** The bound port (the ephemeral one when configured with port 0); -1 before start. */
    public int port() {
        return address == null ? -1 : address.getPort();
    }

    /** The bound address; null before start. */
    public InetSocketAddress address() {
        return address;
    }

    public ServerConfig config() {
        return config;
    }

    /** Live counters and gauges. */
    public Stats stats() {
        return stats;
    }

    /**
     * The startup report: the effective engine, limits and timeouts, one per line, then a line
     * starting {@code warning:} for each setting the machine undercuts.
     */
    public List<String> report() {
        return report;
    }

    /** Whether the server has begun shutting down (or was closed). */
    public boolean isClosing() {
        return draining || state == State.CLOSED;
    }

    /** {@link #shutdown(Duration)} with {@link ServerConfig#shutdownTimeout()}. */
    public boolean shutdown() {
        return shutdown(config.shutdownTimeout());
    }

    /**
     * Graceful shutdown, step by step:
     * <ol>
     *   <li>close the listener: new connections are refused, the acceptor stops;</li>
     *   <li>close every idle connection (no request in progress);</li>
     *   <li>let each exchange in progress finish, then close its connection (a protocol that can
     *       say so, such as HTTP, tells the client: {@code Connection: close}); connections
     *       already accepted but still queued are served the request they sent;</li>
     *   <li>when {@code timeout} passes, close whatever is still open;</li>
     *   <li>stop the engine's threads and the timer.</li>
     * </ol>
     * Idempotent: a second call waits for the first to finish.
     *
     * @return true when every connection finished within {@code timeout}
     */
    public boolean shutdown(Duration timeout) {
        lifecycle.lock();
        try {
            if (state == State.NEW) {
                state = State.CLOSED;
                return true;
            }
            if (state != State.RUNNING) {
                return conns.isEmpty();
            }
            state = State.DRAINING;
            draining = true;
            acceptor.stop();
            for (ConnectionState c : conns) {
                if (c.terminate(ConnectionState.IDLE, CloseReason.SHUTDOWN)) {
                    engine.wake(c, ConnectionState.IDLE);
                }
            }
            engine.drain();
            long end = System.nanoTime() + timeout.toNanos();
            drainWaiter = Thread.currentThread();
            try {
                for (long left; !conns.isEmpty() && !abortDrain && (left = end - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(this, left); // closeConn or close() unparks
                }
            } finally {
                drainWaiter = null;
            }
            boolean clean = conns.isEmpty();
            if (!clean) {
                LOG.log(Level.INFO, "shutdown_timeout open={0,number,#}", conns.size());
            }
            stopEverything();
            return clean;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Stops at once: closes the listener and every connection. Idempotent; during a graceful
     * {@link #shutdown} it cuts the wait short and returns when the server has stopped.
     */
    @Override
    public void close() {
        abortDrain = true;
        wakeDrainWaiter();
        lifecycle.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            State was = state;
            draining = true;
            state = State.CLOSED;
            if (was != State.NEW) {
                acceptor.stop();
                stopEverything();
            }
        } finally {
            lifecycle.unlock();
        }
    }

    private void stopEverything() {
        state = State.CLOSED;
        for (ConnectionState c : conns) {
            closeConn(c, CloseReason.SHUTDOWN);
        }
        engine.stop();
        if (timer != null) {
            timer.stop();
        }
        acceptor.join();
        for (ConnectionState c : conns) { // connections dispatched while stopping
            closeConn(c, CloseReason.SHUTDOWN);
        }
        LOG.log(Level.DEBUG, "server_stopped {0}", stats);
    }

    private void wakeDrainWaiter() {
        Thread waiter = drainWaiter;
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- for the engines, the acceptor and the timer ----

    boolean draining() {
        return draining;
    }

    Protocol<?, ?> protocol() {
        return protocol;
    }

    Acceptor acceptor() {
        return acceptor;
    }

    ServerSocketChannel listener() {
        return listener;
    }

    ConnectionHandler rawHandler() {
        return rawHandler;
    }

    ConnectionEngine engine() {
        return engine;
    }

    Set<ConnectionState> conns() {
        return conns;
    }

    Semaphore permits() {
        return permits;
    }

    BufferPool chunks() {
        return chunks;
    }

    BufferPool readBuffers() {
        return readBuffers;
    }

    /** Registers an accepted channel that holds a permit. */
    ConnectionState open(SocketChannel ch) throws IOException {
        ch.configureBlocking(config.engine().blocking());
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ConnectionInfo info = new ConnectionInfo(ids.incrementAndGet(),
                (InetSocketAddress) ch.getRemoteAddress(), (InetSocketAddress) ch.getLocalAddress());
        ConnectionState c = new ConnectionState(info, ch);
        conns.add(c);
        stats.onOpened();
        if (state == State.CLOSED) { // raced with close(): it may have missed this one
            closeConn(c, CloseReason.SHUTDOWN);
        }
        return c;
    }

    /** Closes a connection once, counts it, and returns its permit (unless handed over). */
    void closeConn(ConnectionState c, CloseReason reason) {
        closeConn(c, reason, true);
    }

    /**
     * As {@link #closeConn(ConnectionState, CloseReason)}; with {@code closeChannel} false the caller closes
     * the channel itself, later (an event loop, once the selector has let go of it).
     *
     * @return whether this call closed the connection (false: it was already closed)
     */
    boolean closeConn(ConnectionState c, CloseReason reason, boolean closeChannel) {
        if (!c.markClosed()) {
            return false;
        }
        if (closeChannel) {
            Quietly.close(c.channel);
        }
        conns.remove(c);
        // Its slots first, so that whoever sees the close in the stats finds them free.
        releaseIp(c.info.remote().getAddress());
        if (c.retire(reason)) { // else a newcomer inherited the permit
            releasePermit();
        }
        stats.onClosed(reason);
        if (conns.isEmpty()) {
            wakeDrainWaiter();
        }
        LOG.log(Level.DEBUG, "conn={0,number,#} closed reason={1}", c.info.id(), reason.logName());
        return true;
    }

    /** Turns away a connection that was admitted but found no room (a full {@code pool} queue). */
    void rejectOpened(ConnectionState c) {
        if (!c.markClosed()) {
            return;
        }
        conns.remove(c);
        if (conns.isEmpty()) {
            wakeDrainWaiter();
        }
        releaseIp(c.info.remote().getAddress());
        releasePermit();
        stats.onClosed(CloseReason.LIMIT);
        stats.onRejected();
        acceptor.linger(c.channel);
    }

    /** Gives back a connection's permit, waking an event loop whose newcomer waits for one. */
    void releasePermit() {
        permits.release();
        Acceptor a = acceptor;
        if (a != null) {
            a.permitFreed();
        }
    }

    /**
     * Counts a newcomer from {@code ip} against {@link ServerConfig#maxConnectionsPerIp()}; false,
     * counting nothing, when that address is at the cap. Every true is matched by one
     * {@link #releaseIp}: {@link #closeConn} does it for an opened connection.
     */
    boolean admitIp(InetAddress ip) {
        int cap = config.maxConnectionsPerIp();
        if (cap == 0) {
            return true;
        }
        boolean[] admitted = {false};
        perIp.compute(ip, (k, n) -> {
            int open = n == null ? 0 : n;
            if (open >= cap) {
                return n;
            }
            admitted[0] = true;
            return open + 1;
        });
        return admitted[0];
    }

    /** A connection from {@code ip} counted by {@link #admitIp} has gone. */
    void releaseIp(InetAddress ip) {
        if (config.maxConnectionsPerIp() != 0) {
            perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /**
     * Closes one connection that has waited for a request for at least
     * {@link ServerConfig#EVICTABLE_AFTER_IDLE} so that a newcomer can take its permit; false if none has.
     */
    boolean evictIdle() {
        long now = System.nanoTime();
        if (now - noEvictionBefore < 0) {
            return false; // the last scan showed nothing can be evictable yet: a flood scans no more
        }
        long age = ServerConfig.EVICTABLE_AFTER_IDLE.toNanos();
        long idleBefore = now - age;
        long earliest = now + age; // a connection that goes idle from now on
        for (ConnectionState c : conns) {
            if (c.handOver(idleBefore)) {
                engine.wake(c, ConnectionState.IDLE);
                return true;
            }
            if (c.phase() == ConnectionState.IDLE && c.idleSince + age - earliest < 0) {
                earliest = c.idleSince + age;
            }
        }
        noEvictionBefore = earliest;
        return false;
    }

    /** Whether {@code e} is a failure of the listener that was closed on purpose. */
    boolean closedOnPurpose(IOException e) {
        return e instanceof ClosedChannelException || state == State.CLOSED || draining;
    }

    /**
     * A handler threw: a {@link ProtocolException} is a deliberate refusal (DEBUG); anything
     * else is a bug in the handler (WARNING, with the stack).
     */
    static void logHandlerFailure(ConnectionState c, Throwable failure) {
        if (failure instanceof ProtocolException p) {
            LOG.log(Level.DEBUG, "conn={0,number,#} handler_refused code={1,number,#} reason={2}", c.info.id(), p.code(),
                    p.reason());
        } else {
            LOG.log(Level.WARNING, "conn=" + c.info.id() + " handler_failed", failure);
        }
    }

}
