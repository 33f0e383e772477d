package dev.sluice.core;

import dev.sluice.core.internal.Spelling;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP server: listens, accepts, serves each connection with a {@link Protocol} (or a
 * {@link ConnectionHandler}) on the configured {@link Engine}, and keeps within its limits and
 * timeouts until it is shut down.
 *
 * <pre>{@code
 * try (Server server = Server.create(ServerConfig.defaults().withPort(0), EchoProtocol.create())
 *         .start()) {
 *     System.out.println("listening on " + server.port());
 *     ...
 *     server.shutdown();   // graceful
 * }                        // close(): immediate, and a no-op after shutdown
 * }</pre>
 *
 * <p>A program that serves until it is told to stop:
 * <pre>{@code
 * Server server = Server.create(config, protocol).start();
 * server.shutdownOnSignal();  // SIGTERM or Ctrl-C: graceful shutdown
 * server.awaitShutdown();     // returns once the server has stopped
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
    private enum State { NEW, RUNNING, DRAINING, CLOSED }

    private final ServerConfig config;
    private final Protocol<?, ?> protocol;
    private final ConnectionHandler rawHandler;
    private final Stats stats = new Stats();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile State state = State.NEW;
    /** close() was called while shutdown() drains: stop waiting. */
    private volatile boolean abortDrain;
    /** shutdown() has begun its drain delay: not ready, though still serving. */
    private volatile boolean unready;
    /** Counted down by close(): cuts a drain delay short. */
    private final CountDownLatch delayCut = new CountDownLatch(1);
    /** When the drain delay ends, System.nanoTime(); under lifecycle. */
    private long delayEnds;
    /** What the engines see of this server; made by start(). */
    private volatile EngineContext context;
    private InetSocketAddress address;
    private ConnectionEngine engine;
    private Timer timer;
    private List<String> report = List.of();
    /** Counted down once, when the server has stopped (or was closed before it started). */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The JVM shutdown hook of {@link #shutdownOnSignal()}; null when none. Under lifecycle. */
    private Thread signalHook;

    private Server(ServerConfig config, Protocol<?, ?> protocol, ConnectionHandler rawHandler) {
        this.config = Objects.requireNonNull(config, "config");
        this.protocol = protocol;
        this.rawHandler = rawHandler;
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
        return start(null);
    }

    /**
     * Starts serving on {@code listener}, a socket already bound and listening, instead of binding
     * one: the one systemd passes a socket-activated service, or one the caller made. The
     * configured host, port, backlog and reuse-port are not used (the socket's own stand); every
     * other setting is. The server owns it from here on: it closes it when it stops, or when this
     * call fails. As {@link #start()} otherwise; null means {@link #start()}.
     *
     * @throws IllegalArgumentException when {@code listener} is closed, unbound or not TCP/IP
     */
    public Server start(ServerSocketChannel listener) throws IOException {
        lifecycle.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("already started");
            }
            ServerSocketChannel ch = listener == null ? Listener.bind(config) : listener;
            try {
                address = (InetSocketAddress) Listener.adopt(ch).getLocalAddress();
                // Before any engine accepts: accepted sockets inherit it only from then on.
                String nativeOptions = ListenerOptions.apply(ch, config);
                startEngine(ch);
                report = StartupReport.lines(this, nativeOptions, listener != null);
            } catch (IOException | RuntimeException | Error e) {
                abandonStart(ch);
                throw e;
            }
            state = State.RUNNING;
            if (!engine.acceptsOnLoop()) {
                context.acceptor.start();
            }
            Log.CORE.log(Level.DEBUG, "server_started address={0} engine={1}", address, config.engine());
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /** Makes the engine's context, then starts the engine's threads and the timer. */
    private void startEngine(ServerSocketChannel ch) throws IOException {
        EngineContext ctx = new EngineContext(config, stats, protocol, rawHandler, ch);
        context = ctx;
        engine = ctx.createEngine();
        engine.start();
        stats.queueDepthFrom(engine::queueDepth);
        if (config.engine().blocking()) {
            timer = new Timer(ctx);
            timer.start();
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
        address = null;
        context = null;
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

    /**
     * Whether the server has begun shutting down (or was closed): true from the first moment of
     * {@link #shutdown}, its {@link ServerConfig#drainDelay() drain delay} included, while it still
     * serves. A readiness probe answers from it.
     */
    public boolean isClosing() {
        EngineContext ctx = context;
        return unready || state == State.CLOSED || ctx != null && ctx.draining();
    }

    /** {@link #shutdown(Duration)} with {@link ServerConfig#shutdownTimeout()}. */
    public boolean shutdown() {
        return shutdown(config.shutdownTimeout());
    }

    /**
     * Graceful shutdown, step by step:
     * <ol>
     *   <li>{@link #isClosing()} turns true; for {@link ServerConfig#drainDelay()} the server goes
     *       on serving, new connections included, so a load balancer's health check has time to
     *       see it leave, but each answer closes its connection ({@link #close()} cuts this short);</li>
     *   <li>close the listener: new connections are refused, the acceptor stops;</li>
     *   <li>close every idle connection (no request in progress); one that has sent no request
     *       yet is given {@link ServerConfig#FIRST_REQUEST_GRACE} to send it;</li>
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
        awaitDrainDelay();
        lifecycle.lock();
        try {
            if (state == State.NEW) {
                markStopped();
                return true;
            }
            if (state != State.RUNNING) {
                return context == null || context.connections.isEmpty();
            }
            state = State.DRAINING;
            EngineContext ctx = context;
            ctx.startDraining();
            ctx.acceptor.stop();
            long now = System.nanoTime();
            for (ConnectionState c : ctx.connections) {
                if (c.terminateIdle(now)) {
                    engine.wake(c, CloseReason.SHUTDOWN);
                }
            }
            engine.drain();
            boolean clean = ctx.connections.awaitEmpty(timeout, () -> abortDrain, ctx.acceptor::done);
            if (!clean) {
                Log.CORE.log(Level.INFO, "shutdown_timeout open={0,number,#}", ctx.connections.size());
            }
            stopEverything();
            return clean;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * The first step of {@link #shutdown}: not ready, still serving, for the drain delay (started
     * by the first call; a later call waits for the same end).
     */
    private void awaitDrainDelay() {
        long delay = config.drainDelay().toNanos();
        long remaining;
        lifecycle.lock();
        try {
            if (delay == 0 || state != State.RUNNING) {
                return;
            }
            if (!unready) {
                unready = true;
                context.startLeaving();
                delayEnds = System.nanoTime() + delay;
                Log.CORE.log(Level.INFO, "drain_delay_started delay={0}", Spelling.duration(config.drainDelay()));
            }
            remaining = delayEnds - System.nanoTime();
        } finally {
            lifecycle.unlock();
        }
        try {
            delayCut.await(Math.max(0, remaining), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // drain now; the caller sees the flag
        }
    }

    /**
     * Stops at once: closes the listener and every connection. Idempotent; during a graceful
     * {@link #shutdown} it cuts the wait short and returns when the server has stopped.
     */
    @Override
    public void close() {
        abortDrain = true;
        delayCut.countDown();
        EngineContext ctx = context;
        if (ctx != null) {
            ctx.connections.wakeWaiter();
        }
        lifecycle.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (state == State.NEW) {
                markStopped();
                return;
            }
            context.startDraining();
            state = State.CLOSED;
            context.acceptor.stop();
            stopEverything();
        } finally {
            lifecycle.unlock();
        }
    }

    private void stopEverything() {
        state = State.CLOSED;
        EngineContext ctx = context;
        ctx.connections.closeAll(CloseReason.SHUTDOWN);
        engine.stop();
        if (timer != null) {
            timer.stop();
        }
        ctx.acceptor.join();
        ctx.connections.closeAll(CloseReason.SHUTDOWN); // connections dispatched while stopping
        Log.CORE.log(Level.DEBUG, "server_stopped {0}", stats);
        markStopped();
    }

    /** The server has stopped: wakes {@link #awaitShutdown} and drops the signal hook. Under lifecycle. */
    private void markStopped() {
        state = State.CLOSED;
        stopped.countDown();
        Thread hook = signalHook;
        signalHook = null;
        if (hook != null && hook != Thread.currentThread()) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already exiting: its hooks run anyway, ours finds the server stopped.
            }
        }
    }

    /**
     * Shuts the server down gracefully ({@link #shutdown()}, within
     * {@link ServerConfig#shutdownTimeout()}) when the JVM is asked to stop: SIGTERM (what
     * systemd, Docker and Kubernetes send), SIGINT (Ctrl-C), or {@code System.exit}.
     * It registers a JVM shutdown hook, so the process exits once the exchanges in progress have
     * finished; the hook is removed when the server stops by other means. Idempotent; a no-op on
     * a stopped server.
     *
     * @return this server
     */
    public Server shutdownOnSignal() {
        lifecycle.lock();
        try {
            if (state != State.CLOSED && signalHook == null) {
                Thread hook = new Thread(() -> {
                    Log.CORE.log(Level.INFO, "shutdown_on_signal");
                    shutdown();
                }, "sluice-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                signalHook = hook;
            }
            return this;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Blocks until the server has stopped: a {@link #shutdown} (from another thread, or from
     * {@link #shutdownOnSignal()}) or a {@link #close} has finished. Returns at once on a
     * stopped server.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitShutdown() throws InterruptedException {
        stopped.await();
    }

    /**
     * {@link #awaitShutdown()} for at most {@code timeout}.
     *
     * @return true when the server stopped within {@code timeout}
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitShutdown(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
