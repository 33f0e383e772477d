package dev.sluice.core;

import dev.sluice.core.internal.ConfigCopy;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link Server} needs to know before it starts. Immutable and validated on
 * construction; {@link #defaults()} is fit for a public network: every timeout and limit is on.
 * Change components with one {@code withX} per component, each returning a validated copy:
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.defaults()
 *         .withPort(8080)
 *         .withEngine(Engine.EVENT_LOOP)
 *         .withIdleTimeout(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>The same style as every Sluice config record ({@code HttpConfig}, {@code StaticFilesConfig}):
 * a flat record, so each accessor stays one call ({@code config.idleTimeout()}) for the engines
 * that read it on every connection, with no builder to keep in step with the components.
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
 *     balances new connections among them. Default {@value #DEFAULT_REUSE_PORT}.
 * @param engine the concurrency strategy. Default {@link #DEFAULT_ENGINE}.
 * @param threads meaning depends on the engine: the most platform threads alive on
 *     {@code thread-per-connection}, the pool size on {@code pool}, the selector threads on
 *     {@code event-loop}; ignored by {@code sequential} and {@code virtual}. {@code 0} derives it
 *     from the machine ({@link #effectiveThreads()}). Default {@value #DEFAULT_THREADS}.
 * @param queue on {@code pool}, how many accepted connections may wait for a free thread; when
 *     it is full the {@link #overload()} policy applies. {@code 0} derives it: as many as
 *     {@link #effectiveThreads()}. Ignored by the other engines. Default {@value #DEFAULT_QUEUE}.
 * @param maxConnections the most connections open at once, on any engine. At the limit the server
 *     first closes a connection that has waited for a request for at least
 *     {@link #EVICTABLE_AFTER_IDLE} (between requests, or new and silent) to make room, then
 *     applies {@link #overload()}.
 *     At least 1. Default {@value #DEFAULT_MAX_CONNECTIONS}.
 * @param overload what happens to a newcomer at {@link #maxConnections()}. Default
 *     {@link #DEFAULT_OVERLOAD}.
 * @param maxConnectionsPerIp the most connections open at once from one client IP address; a
 *     newcomer over it gets the protocol's rejection bytes (HTTP: 503 with {@code Retry-After})
 *     and is closed, counted in {@link Stats#rejectedPerIp()}. Clients behind one NAT or proxy
 *     share an address: size it for them. {@code 0} turns it off. Default
 *     {@value #DEFAULT_MAX_CONNECTIONS_PER_IP}.
 * @param idleTimeout how long a connection may wait for the first byte of its next request, and
 *     how long a read in the middle of a message may make no progress, before it is closed.
 *     Default {@value #DEFAULT_IDLE_TIMEOUT_SECONDS}s.
 * @param headerTimeout a deadline over a whole message head, from its first byte: a client that
 *     has not sent all of it in time is answered with the protocol's timeout bytes (HTTP: 408) and
 *     closed. Default {@value #DEFAULT_HEADER_TIMEOUT_SECONDS}s.
 * @param writeTimeout how long a write may make no progress (the client does not read) before the
 *     connection is closed. Default {@value #DEFAULT_WRITE_TIMEOUT_SECONDS}s.
 * @param requestTimeout how long a handler may take to answer one request. When it passes the
 *     client gets the protocol's answer (HTTP: 503 with {@code Connection: close}), the connection
 *     closes, the handler's thread is interrupted, and whatever the handler returns later is
 *     discarded. A handler that ignores the interrupt keeps its thread until it returns (on
 *     {@code pool}, a worker). On {@code event-loop} a handler declared
 *     {@link Handler#nonBlocking non-blocking} runs on the loop and cannot be timed out. A handler
 *     that reads a body as it streams ({@link RequestStream}) is under the body deadlines while it
 *     waits for the client's bytes, and this timeout starts afresh after each read: it bounds the
 *     handler's own work, not a long upload. {@code 0} turns it off. Default
 *     {@value #DEFAULT_REQUEST_TIMEOUT_SECONDS}s.
 * @param minBodyRate the slowest a client may send a request body, after a grace period,
 *     measured from the body's first read; a client below it is answered with the protocol's
 *     timeout bytes (HTTP: 408) and closed; at {@link #maxConnections()} the slowest such client
 *     is shed for a newcomer. {@link MinDataRate#OFF} turns it off. Default
 *     {@value #DEFAULT_MIN_RATE_BYTES_PER_SECOND} bytes/s after
 *     {@value #DEFAULT_MIN_RATE_GRACE_SECONDS}s.
 * @param minResponseRate the slowest a client may read responses, after a grace period, measured
 *     from the first write it does not take at once. What counts is what the client acknowledged
 *     where the kernel says ({@link NativeSocketOptions#ackCounter}: Linux, with the
 *     {@code sluice-ffm} module); elsewhere the bytes written, with
 *     {@value #RESPONSE_RATE_CREDIT_BYTES} credited in flight; {@link Server#report()} says which.
 *     A client below it is reset and its buffers released; at {@link #maxConnections()} the
 *     slowest such client is shed for a newcomer ({@link CloseReason#LEAST_PROGRESS}).
 *     {@link #writeTimeout()} still bounds each stall. {@link MinDataRate#OFF} turns it off.
 *     Default {@value #DEFAULT_MIN_RATE_BYTES_PER_SECOND} bytes/s after
 *     {@value #DEFAULT_MIN_RATE_GRACE_SECONDS}s.
 * @param shutdownTimeout how long {@link Server#shutdown()} lets in-flight exchanges finish before
 *     it closes what is left. Default {@value #DEFAULT_SHUTDOWN_TIMEOUT_SECONDS}s.
 * @param drainDelay how long {@link Server#shutdown()} keeps serving normally, new connections
 *     included, after {@link Server#isClosing()} turns true (so an admin {@code /ready} answers
 *     503), before it closes the listener and drains: the time a load balancer's health check
 *     needs to see the instance leave. The {@link #shutdownTimeout()} comes after it, so a
 *     supervisor must allow both (Kubernetes' {@code terminationGracePeriodSeconds}).
 *     {@link Server#close()} cuts it short. {@code 0}: none. Default
 *     {@value #DEFAULT_DRAIN_DELAY_SECONDS}s.
 * @param tcpNotsentLowatBytes the most bytes a connection keeps in the kernel's send queue beyond
 *     what the network can carry now ({@code TCP_NOTSENT_LOWAT}, Linux): a write waits, and the
 *     socket does not report itself writable, until the unsent part drops below it. It bounds the
 *     queue, not the window, so a fast client on a long path is not slowed, while a large response
 *     no longer sits in a send buffer the kernel grew to megabytes. Set through
 *     {@link NativeSocketOptions}: with no provider (JDK 21, not Linux) it is not set, and
 *     {@link Server#report()} says so. {@code 0} leaves the kernel's default (unbounded). Default
 *     {@value #DEFAULT_TCP_NOTSENT_LOWAT_BYTES}.
 * @param tls when set, the listener speaks TLS: each accepted connection gets an engine from it
 *     and handshakes before its protocol sees a byte ({@link TlsEngineFactory}). A client that
 *     sends plain text gets the protocol's {@link Protocol#withPlaintextAnswer answer} in clear.
 *     Default null: plain.
 * @param tlsHandshakeTimeout how long a TLS handshake may take from the accept, on a TLS listener;
 *     a client that has not finished it in time is closed
 *     ({@link CloseReason#TLS_HANDSHAKE_TIMEOUT}). {@code 0} turns it off. Default
 *     {@value #DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS}s.
 * @param proxyProtocol when set, every connection must begin with a PROXY protocol header (v1
 *     text or v2 binary, told apart by its first bytes), and only from a peer in these networks:
 *     any other peer is closed before a byte of it is read, and a trusted one that sends no valid
 *     header within {@link #headerTimeout()} from the accept is closed too (both counted as
 *     {@link CloseReason#PROXY_REFUSED}). The client the header names becomes
 *     {@link ConnectionInfo#remote()}, and counts against {@link #maxConnectionsPerIp()} once its
 *     header is read (a {@code LOCAL} header, a health check, is served as the proxy itself); the
 *     header and its TLVs are {@link ConnectionInfo#proxy()}. The header comes before TLS, in
 *     clear, and the {@link #tlsHandshakeTimeout()} runs from its end. Default null: off, every
 *     peer is the client.
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
        int maxConnectionsPerIp,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration writeTimeout,
        Duration requestTimeout,
        MinDataRate minBodyRate,
        MinDataRate minResponseRate,
        Duration shutdownTimeout,
        Duration drainDelay,
        int tcpNotsentLowatBytes,
        TlsEngineFactory tls,
        Duration tlsHandshakeTimeout,
        TrustedProxies proxyProtocol) {

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
    /** 0: none, as a single process with no balancer in front needs none. */
    public static final long DEFAULT_DRAIN_DELAY_SECONDS = 0;
    public static final long DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS = 10;
    /** 0: off, because behind a reverse proxy or a carrier-grade NAT many clients share one address. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 0;
    /** As nginx's {@code proxy_read_timeout}: long enough for real work, short enough to free a hung one. */
    public static final long DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;
    /**
     * How long a connection must have waited for a request before a newcomer at
     * {@link #maxConnections()} may close it. Shorter gaps are a busy keep-alive client between two
     * requests: closing it would only trade one active client for another and, under a flood,
     * close every admitted client in turn.
     */
    public static final Duration EVICTABLE_AFTER_IDLE = Duration.ofSeconds(1);
    /**
     * How long a graceful shutdown waits for the first request of a connection that has sent none
     * yet: its client connected moments ago and its request is most likely on the way (closing it
     * then would reset it). Longer silence is a speculative connection, such as a browser's spare.
     */
    public static final Duration FIRST_REQUEST_GRACE = Duration.ofSeconds(2);

    /**
     * 16 KiB, the value Cloudflare recommends for the system-wide setting: with a 1 MiB file on
     * loopback it served twice the responses of the kernel's unbounded default
     * (bench/doc/findings.md).
     */
    public static final int DEFAULT_TCP_NOTSENT_LOWAT_BYTES = 16 * 1024;

    /** Kestrel's MinRequestBodyDataRate and MinResponseDataRate: 240 bytes/s after 5 s. */
    public static final long DEFAULT_MIN_RATE_BYTES_PER_SECOND = 240;
    public static final long DEFAULT_MIN_RATE_GRACE_SECONDS = 5;
    /**
     * Bytes a slow reader is credited in flight by {@link #minResponseRate()} where the kernel
     * does not say what it acknowledged: one blocking write.
     */
    public static final int RESPONSE_RATE_CREDIT_BYTES = 64 * 1024;
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
        check(threads >= 0, "threads must be 0 (derive) or more, got " + threads);
        check(queue >= 0, "queue must be 0 (derive) or more, got " + queue);
        if (maxConnections < 1) {
            throw new IllegalArgumentException(
                    "max-connections must be at least 1, got " + maxConnections);
        }
        requireNonNegative("idle-timeout", idleTimeout);
        requireNonNegative("header-timeout", headerTimeout);
        requireNonNegative("write-timeout", writeTimeout);
        requireNonNegative("request-timeout", requestTimeout);
        Objects.requireNonNull(minBodyRate, "min-body-rate");
        Objects.requireNonNull(minResponseRate, "min-response-rate");
        if (maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException(
                    "max-connections-per-ip must be 0 (off) or more, got " + maxConnectionsPerIp);
        }
        requireNonNegative("shutdown-timeout", shutdownTimeout);
        requireNonNegative("drain-delay", drainDelay);
        requireNonNegative("tls-handshake-timeout", tlsHandshakeTimeout);
        if (tcpNotsentLowatBytes < 0) {
            throw new IllegalArgumentException(
                    "tcp-notsent-lowat-bytes must be 0 (off) or more, got " + tcpNotsentLowatBytes);
        }
    }

    private static void check(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
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
                DEFAULT_MAX_CONNECTIONS_PER_IP,
                Duration.ofSeconds(DEFAULT_IDLE_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_WRITE_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_REQUEST_TIMEOUT_SECONDS),
                defaultMinRate(), defaultMinRate(),
                Duration.ofSeconds(DEFAULT_SHUTDOWN_TIMEOUT_SECONDS),
                Duration.ofSeconds(DEFAULT_DRAIN_DELAY_SECONDS), DEFAULT_TCP_NOTSENT_LOWAT_BYTES, null,
                Duration.ofSeconds(DEFAULT_TLS_HANDSHAKE_TIMEOUT_SECONDS), null);
    }

    private static MinDataRate defaultMinRate() {
        return MinDataRate.of(DEFAULT_MIN_RATE_BYTES_PER_SECOND,
                Duration.ofSeconds(DEFAULT_MIN_RATE_GRACE_SECONDS));
    }

    // One withX per component: a copy with that component changed, validated as a new record is.
    // ConfigCopy names the component once here instead of re-listing all twenty-two per method.

    public ServerConfig withHost(String v) { return ConfigCopy.with(this, "host", v); }
    public ServerConfig withPort(int v) { return ConfigCopy.with(this, "port", v); }
    public ServerConfig withBacklog(int v) { return ConfigCopy.with(this, "backlog", v); }
    public ServerConfig withReusePort(boolean v) { return ConfigCopy.with(this, "reusePort", v); }
    public ServerConfig withEngine(Engine v) { return ConfigCopy.with(this, "engine", v); }
    public ServerConfig withThreads(int v) { return ConfigCopy.with(this, "threads", v); }
    public ServerConfig withQueue(int v) { return ConfigCopy.with(this, "queue", v); }
    public ServerConfig withMaxConnections(int v) { return ConfigCopy.with(this, "maxConnections", v); }
    public ServerConfig withOverload(OverloadPolicy v) { return ConfigCopy.with(this, "overload", v); }
    public ServerConfig withMaxConnectionsPerIp(int v) { return ConfigCopy.with(this, "maxConnectionsPerIp", v); }
    public ServerConfig withIdleTimeout(Duration v) { return ConfigCopy.with(this, "idleTimeout", v); }
    public ServerConfig withHeaderTimeout(Duration v) { return ConfigCopy.with(this, "headerTimeout", v); }
    public ServerConfig withWriteTimeout(Duration v) { return ConfigCopy.with(this, "writeTimeout", v); }
    public ServerConfig withRequestTimeout(Duration v) { return ConfigCopy.with(this, "requestTimeout", v); }
    public ServerConfig withMinBodyRate(MinDataRate v) { return ConfigCopy.with(this, "minBodyRate", v); }
    public ServerConfig withMinResponseRate(MinDataRate v) { return ConfigCopy.with(this, "minResponseRate", v); }
    public ServerConfig withShutdownTimeout(Duration v) { return ConfigCopy.with(this, "shutdownTimeout", v); }
    public ServerConfig withDrainDelay(Duration v) { return ConfigCopy.with(this, "drainDelay", v); }
    public ServerConfig withTcpNotsentLowatBytes(int v) { return ConfigCopy.with(this, "tcpNotsentLowatBytes", v); }
    public ServerConfig withTls(TlsEngineFactory v) { return ConfigCopy.with(this, "tls", v); }
    public ServerConfig withTlsHandshakeTimeout(Duration v) { return ConfigCopy.with(this, "tlsHandshakeTimeout", v); }
    public ServerConfig withProxyProtocol(TrustedProxies v) { return ConfigCopy.with(this, "proxyProtocol", v); }

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
}
