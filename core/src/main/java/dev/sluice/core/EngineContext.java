package dev.sluice.core;

import java.nio.channels.ServerSocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the engines, the acceptor and the timer need from their {@link Server}, and nothing more
 * (in the manner of Helidon's {@code ListenerContext}): the protocol or handler to serve, the
 * settings, the counters, the open connections, admission, the shared buffer pools, and whether
 * the server is draining. Made by the server at start; read from any thread.
 */
final class EngineContext {
    final ServerConfig config;
    final Timeouts timeouts;
    final Stats stats;
    /** The protocol served, or null when {@link #rawHandler} is. */
    final Protocol<?, ?> protocol;
    /** The blocking handler served, or null when {@link #protocol} is. */
    final ConnectionHandler rawHandler;
    final OpenConnections connections;
    final Admission admission;
    /** Output chunks of the blocking engines' connections, lent while they write. */
    final BufferPool outputChunks = new BufferPool(256);
    /** Read buffers of the blocking engines' connections, lent while a message arrives. */
    final BufferPool readBuffers = new BufferPool(256, BlockingConnection.READ_BYTES, false);
    /** What a TLS listener answers, in clear, a client that speaks plain text to it. */
    final byte[] plaintextAnswer;
    /** What a client turned away at a limit is sent before the close; may be empty. */
    final byte[] rejection;
    /** The kinds of trouble already logged at WARNING ({@link #firstWarning}). */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    final ServerSocketChannel listener;
    final Acceptor acceptor;
    /** Set once, before any connection is accepted. */
    private ConnectionEngine engine;
    private volatile boolean draining;
    private volatile boolean leaving;

    EngineContext(ServerConfig config, Stats stats, Protocol<?, ?> protocol, ConnectionHandler rawHandler,
                  ServerSocketChannel listener) {
        this.config = config;
        this.timeouts = Timeouts.of(config);
        this.stats = stats;
        this.protocol = protocol;
        this.rawHandler = rawHandler;
        this.plaintextAnswer = protocol == null ? new byte[0] : protocol.plaintextAnswer();
        // A TLS client could not read rejection bytes in clear: it is closed without a word.
        this.rejection = protocol == null || config.tls() != null ? new byte[0] : protocol.rejection();
        this.listener = listener;
        this.connections = new OpenConnections(this);
        stats.idleFrom(connections::idle);
        stats.tls().bufferedFrom(connections::tlsBufferedBytes);
        this.admission = new Admission(this);
        this.acceptor = listener == null ? null : new Acceptor(this);
    }

    /** Makes the configured engine; before start. */
    ConnectionEngine createEngine() {
        engine = ConnectionEngine.create(this);
        return engine;
    }

    ConnectionEngine engine() {
        return engine;
    }

    /** Whether shutdown (graceful or not) has begun: finish the exchange at hand and close. */
    boolean draining() {
        return draining;
    }

    void startDraining() {
        leaving = true;
        draining = true;
    }

    /**
     * Whether each answer should close its connection: from the start of the drain delay, so that
     * keep-alive clients reconnect (through a balancer, to another instance) while this one still
     * serves, rather than meet the close of an idle connection when the delay ends.
     */
    boolean leaving() {
        return leaving;
    }

    void startLeaving() {
        leaving = true;
    }

    /**
     * Whether this is the first time this server meets trouble of {@code kind}: that one is
     * logged at WARNING, the rest at DEBUG, so a flood cannot flood the log.
     */
    boolean firstWarning(String kind) {
        return warned.add(kind);
    }
}
