package dev.sluice.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link Server} needs to know before it starts. Immutable and validated on
 * construction; {@link #defaults()} is fit for a public network: every timeout and limit is on.
 * Build variations with {@link #toBuilder()}.
 *
 * <p>Timeouts are {@link Duration}s of at most {@link #MAX_TIMEOUT}; {@link Duration#ZERO} turns
 * one off (for {@link #shutdownTimeout()}: no grace, close at once). Counts are plain
 * integers; where zero means "derive from the machine" the component says so.
 *
 * @param host interface to bind: a name or literal, {@code 0.0.0.0} for every IPv4 interface,
 *     {@code ::} for every interface (IPv6 and IPv4). Default {@value #DEFAULT_HOST}.
 * @param port TCP port; {@code 0} picks a free ephemeral port, readable from
 *     {@link Server#port()} once started. Default {@value #DEFAULT_PORT}.
 * @param backlog length of the kernel's queue of connections not yet accepted (the {@code listen}
 *     backlog, shown by {@code ss -ltn} as Send-Q); the kernel truncates it to
 *     {@code net.core.somaxconn}. At least 1. Default {@value #DEFAULT_BACKLOG}.
 * @param reusePort set {@code SO_REUSEPORT}, so several processes can share the port and the kernel
 *     balances new connections among them. Default off.
 * @param engine the concurrency strategy. Default {@link #DEFAULT_ENGINE}.
 * @param threads meaning depends on the engine: the most platform threads alive on
 *     {@code thread-per-connection}, the pool size on {@code pool}, the selector threads on
 *     {@code event-loop}; ignored by {@code sequential} and {@code virtual}. {@code 0} derives it
 *     from the machine ({@link #effectiveThreads()}). Default 0.
 * @param queue on {@code pool}, how many accepted connections may wait for a free thread; when
 *     it is full the {@link #overload()} policy applies. {@code 0} derives it: as many as
 *     {@link #effectiveThreads()}. Ignored by the other engines. Default 0.
 * @param maxConnections the most connections open at once, on any engine. At the limit the server
 *     first closes an idle keep-alive connection to make room, then applies {@link #overload()}.
 *     At least 1. Default {@value #DEFAULT_MAX_CONNECTIONS}.
 * @param overload what happens to a newcomer at {@link #maxConnections()}. Default
 *     {@link OverloadPolicy#WAIT}.
 * @param idleTimeout how long a connection may wait for the first byte of its next request, and
 *     how long a read in the middle of a message may make no progress, before it is closed.
 *     Default {@value #DEFAULT_IDLE_TIMEOUT_SECONDS}s.
 * @param headerTimeout a deadline over a whole message head, from its first byte: a client that
 *     has not sent all of it in time is answered with the protocol's timeout bytes (HTTP: 408) and
 *     closed. Default {@value #DEFAULT_HEADER_TIMEOUT_SECONDS}s.
 * @param writeTimeout how long a write may make no progress (the client does not read) before the
 *     connection is closed. Default {@value #DEFAULT_WRITE_TIMEOUT_SECONDS}s.
 * @param shutdownTimeout how long {@link Server#shutdown()} lets in-flight exchanges finish before
 *     it closes what is left. Default {@value #DEFAULT_SHUTDOWN_TIMEOUT_SECONDS}s.
 */
public record ServerConfig(
        String host,
        int port,
        int backlog,
        boolean reusePort,
        Engine engine,
        int threads,
        int queue,
        int maxConnections,
        OverloadPolicy overload,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration writeTimeout,
        Duration shutdownTimeout) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_BACKLOG = 1024;
    public static final boolean DEFAULT_REUSE_PORT = false;
    /** 0: derive from the engine and the machine, see {@link #effectiveThreads()}. */
    public static final int DEFAULT_THREADS = 0;
    /** 0: derive from the threads, see {@link #effectiveQueue()}. */
    public static final int DEFAULT_QUEUE = 0;
    /** The longest timeout accepted: a century, well inside what nanosecond clocks count. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(36_500);
    public static final Engine DEFAULT_ENGINE = Engine.VIRTUAL;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final OverloadPolicy DEFAULT_OVERLOAD = OverloadPolicy.WAIT;
    public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final long DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final long DEFAULT_WRITE_TIMEOUT_SECONDS = 30;
    public static final long DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;
    /** Platform threads per core that {@code pool} and {@code thread-per-connection} derive. */
    public static final int THREADS_PER_CORE = 100;
    /** The most platform threads a derived default asks for. */
    public static final int MAX_DERIVED_THREADS = 1_000;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(overload, "overload");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, got " + backlog);
        }
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be 0 (derive) or more, got " + threads);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue must be 0 (derive) or more, got " + queue);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(
                    "max-connections must be at least 1, got " + maxConnections);
        }
        requireNonNegative("idle-timeout", idleTimeout);
        requireNonNegative("header-timeout", headerTimeout);
        requireNonNegative("write-timeout", writeTimeout);
        requireNonNegative("shutdown-timeout", shutdownTimeout);
    }

    private static void requireNonNegative(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(name + " must be at most " + MAX_TIMEOUT.toDays()
                    + " days, got " + d);
        }
    }

    /** The defaults, each documented on its component. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_BACKLOG, DEFAULT_REUSE_PORT,
                DEFAULT_ENGINE, DEFAULT_THREADS, DEFAULT_QUEUE, DEFAULT_MAX_CONNECTIONS, DEFAULT_OVERLOAD,
                Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_WRITE_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS));
    }

    /** A builder that starts from {@link #defaults()}. */
    public static Builder builder() {
        return defaults().toBuilder();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * {@link #threads()}, or when it is 0 the engine's derived default: the available processors
     * for {@code event-loop}; {@value #THREADS_PER_CORE} per processor, at most
     * {@value #MAX_DERIVED_THREADS}, for {@code pool} and {@code thread-per-connection}; 1 for
     * {@code sequential}; 0 (unbounded but for {@link #maxConnections()}) for {@code virtual}.
     */
    public int effectiveThreads() {
        if (threads > 0 && engine != Engine.SEQUENTIAL && engine != Engine.VIRTUAL) {
            return threads;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        return switch (engine) {
            case SEQUENTIAL -> 1;
            case VIRTUAL -> 0;
            case EVENT_LOOP -> cores;
            case POOL, THREAD_PER_CONNECTION -> Math.min(MAX_DERIVED_THREADS, THREADS_PER_CORE * cores);
        };
    }

    /** {@link #queue()}, or when it is 0 the derived default: {@link #effectiveThreads()}. */
    public int effectiveQueue() {
        return queue > 0 ? queue : Math.max(1, effectiveThreads());
    }

    /** Sets components one at a time; {@link #build()} validates them all. */
    public static final class Builder {
        private String host;
        private int port;
        private int backlog;
        private boolean reusePort;
        private Engine engine;
        private int threads;
        private int queue;
        private int maxConnections;
        private OverloadPolicy overload;
        private Duration idleTimeout;
        private Duration headerTimeout;
        private Duration writeTimeout;
        private Duration shutdownTimeout;

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            backlog = c.backlog;
            reusePort = c.reusePort;
            engine = c.engine;
            threads = c.threads;
            queue = c.queue;
            maxConnections = c.maxConnections;
            overload = c.overload;
            idleTimeout = c.idleTimeout;
            headerTimeout = c.headerTimeout;
            writeTimeout = c.writeTimeout;
            shutdownTimeout = c.shutdownTimeout;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder backlog(int v) { backlog = v; return this; }
        public Builder reusePort(boolean v) { reusePort = v; return this; }
        public Builder engine(Engine v) { engine = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder queue(int v) { queue = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder overload(OverloadPolicy v) { overload = v; return this; }
        public Builder idleTimeout(Duration v) { idleTimeout = v; return this; }
        public Builder headerTimeout(Duration v) { headerTimeout = v; return this; }
        public Builder writeTimeout(Duration v) { writeTimeout = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }

        /** @throws IllegalArgumentException naming the first invalid component */
        public ServerConfig build() {
            return new ServerConfig(host, port, backlog, reusePort, engine, threads, queue,
                    maxConnections, overload, idleTimeout, headerTimeout, writeTimeout,
                    shutdownTimeout);
        }
    }
}
