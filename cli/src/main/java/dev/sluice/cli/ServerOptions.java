package dev.sluice.cli;

import dev.sluice.core.Engine;
import dev.sluice.core.MinDataRate;
import dev.sluice.core.OverloadPolicy;
import dev.sluice.core.ServerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The flags every server command shares ({@code @Mixin}): one per {@link ServerConfig} component,
 * named after it ({@code idleTimeout}: {@code --idle-timeout}), but for {@code tls}, which
 * {@link TlsOptions}' flags make, and {@code proxyProtocol}, which the two of
 * {@link ProxyOptions}, mixed in here, make. A command that mixes them in sets
 * {@code defaultValueProvider = FlagDefaults.class}, which supplies each default from the
 * environment or {@link ServerConfig#defaults()}; the fields here hold no defaults of their own.
 * Ranges are checked once, by {@link ServerConfig}, when {@link #toConfig()} builds it.
 */
final class ServerOptions {
    @Option(names = {"-b", "--host"}, paramLabel = "<host>", description = "Address to bind: a "
            + "name or literal; 0.0.0.0 or :: (one socket either way) for " + ListenAddress.ALL
            + "; 127.0.0.1 for this machine only.")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "<port>",
            description = "TCP port, 0-65535; 0 picks a free one (the listening line shows it).")
    int port;

    @Option(names = "--backlog", paramLabel = "<n>", description = "Connections the kernel queues "
            + "before they are accepted, at least 1; capped by the kernel's somaxconn.")
    int backlog;

    @Option(names = "--reuse-port", paramLabel = "<bool>", arity = "0..1", fallbackValue = "true",
            showDefaultValue = Visibility.ALWAYS,
            description = "Set SO_REUSEPORT, so several processes can share the port and the "
                    + "kernel balances connections among them.")
    boolean reusePort;

    @Option(names = "--engine", paramLabel = "<engine>", converter = EngineConverter.class,
            completionCandidates = EngineNames.class,
            description = "Concurrency strategy: ${COMPLETION-CANDIDATES}.")
    Engine engine;

    @Option(names = "--threads", paramLabel = "<n>", description = "The most platform threads on "
            + "thread-per-connection, the pool size on pool, the selector threads on event-loop; "
            + "ignored by sequential and virtual. 0 derives it from the cores.")
    int threads;

    @Option(names = "--queue", paramLabel = "<n>", description = "On pool, accepted connections "
            + "that may wait for a thread; when full, --overload applies. 0: as many as threads.")
    int queue;

    @Option(names = "--max-connections", paramLabel = "<n>", description = "The most connections "
            + "open at once, at least 1. At the limit a connection idle for 1s or more is closed "
            + "to make room, else --overload applies.")
    int maxConnections;

    @Option(names = "--overload", paramLabel = "wait|reject", converter = OverloadConverter.class,
            description = "At --max-connections: wait (stop accepting; the backlog holds "
                    + "newcomers) or reject (accept and turn newcomers away at once).")
    OverloadPolicy overload;

    @Option(names = "--max-connections-per-ip", paramLabel = "<n>", description = "The most "
            + "connections open at once from one client IP; over it a newcomer is turned away "
            + "(HTTP: 503 with Retry-After). Clients behind one NAT share an IP. 0 turns it off.")
    int maxConnectionsPerIp;

    @Option(names = "--idle-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long a connection may wait for its next request, or a read in a "
                    + "message make no progress. 0 turns it off.")
    Duration idleTimeout;

    @Option(names = "--header-timeout", paramLabel = "<duration>",
            converter = DurationConverter.class, description = "Deadline for a whole message "
                    + "head from its first byte (HTTP answers 408). 0 turns it off.")
    Duration headerTimeout;

    @Option(names = "--write-timeout", paramLabel = "<duration>",
            converter = DurationConverter.class, description = "How long a write may make no "
                    + "progress (the client does not read). 0 turns it off.")
    Duration writeTimeout;

    @Option(names = "--request-timeout", paramLabel = "<duration>",
            converter = DurationConverter.class, description = "How long a handler may take to "
                    + "answer; then the client gets 503, the connection closes and the handler's "
                    + "thread is interrupted. A handler reading a streamed body is timed from its "
                    + "last read, not from its start. 0 turns it off.")
    Duration requestTimeout;

    @Option(names = "--min-body-rate", paramLabel = "<rate>", converter = RateConverter.class,
            description = "Slowest request body a client may send, as <bytes>/s,<grace> "
                    + "(240/s,5s: 240 bytes/s on average once 5s have passed); slower gets 408 "
                    + "and a close. 0 or off turns it off.")
    MinDataRate minBodyRate;

    @Option(names = "--min-response-rate", paramLabel = "<rate>", converter = RateConverter.class,
            description = "Slowest a client may read responses, written as for --min-body-rate, "
                    + "judged by the bytes it acknowledged (Linux; elsewhere bytes written, 64 KiB "
                    + "credited); slower is reset. 0 or off turns it off.")
    MinDataRate minResponseRate;

    @Option(names = "--shutdown-timeout", paramLabel = "<duration>",
            converter = DurationConverter.class, description = "How long a graceful shutdown lets "
                    + "exchanges in flight finish before it closes the rest. 0: close at once.")
    Duration shutdownTimeout;

    @Option(names = "--drain-delay", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "On SIGTERM, how long to go on serving (new connections too) while the "
                    + "admin /ready says 503, before the shutdown starts: time for a load "
                    + "balancer to stop sending. 0: none.")
    Duration drainDelay;

    @Option(names = "--tcp-notsent-lowat-bytes", paramLabel = "<n>", description = "Linux, JDK "
            + "22+: the most bytes a connection keeps queued unsent in the kernel "
            + "(TCP_NOTSENT_LOWAT); bounds the queue, not the window. 0 leaves the kernel's default.")
    int tcpNotsentLowatBytes;

    @Option(names = "--tls-handshake-timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "With TLS on: how long a client may take from the accept to the end of "
                    + "the handshake before it is closed. 0: no limit.")
    Duration tlsHandshakeTimeout;

    @Mixin
    ProxyOptions proxy = new ProxyOptions();

    /** The command these flags are mixed into, for the HTTP commands' {@code --trust-forwarded-headers}. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The configuration these flags describe. @throws IllegalArgumentException naming a bad one */
    ServerConfig toConfig() {
        return proxy.apply(ServerConfig.defaults(), HttpOptions.trustsForwardedHeaders(command))
                .withHost(host)
                .withPort(port)
                .withBacklog(backlog)
                .withReusePort(reusePort)
                .withEngine(engine)
                .withThreads(threads)
                .withQueue(queue)
                .withMaxConnections(maxConnections)
                .withOverload(overload)
                .withMaxConnectionsPerIp(maxConnectionsPerIp)
                .withIdleTimeout(idleTimeout)
                .withHeaderTimeout(headerTimeout)
                .withWriteTimeout(writeTimeout)
                .withRequestTimeout(requestTimeout)
                .withMinBodyRate(minBodyRate)
                .withMinResponseRate(minResponseRate)
                .withShutdownTimeout(shutdownTimeout)
                .withDrainDelay(drainDelay)
                .withTcpNotsentLowatBytes(tcpNotsentLowatBytes)
                .withTlsHandshakeTimeout(tlsHandshakeTimeout);
    }

    /** {@code --engine}: a name from {@link Engine#cliName()}. */
    static final class EngineConverter implements ITypeConverter<Engine> {
        @Override
        public Engine convert(String value) {
            try {
                return Engine.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The engine names, for {@code --help}. */
    static final class EngineNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            List<String> names = Arrays.stream(Engine.values()).map(Engine::cliName).toList();
            return names.iterator();
        }
    }

    /**
     * {@code --min-body-rate}, {@code --min-response-rate}: {@code <bytes>/s,<grace>} with the
     * grace a duration ({@code 240/s,5s}), or {@code 0} / {@code off}.
     */
    static final class RateConverter implements ITypeConverter<MinDataRate> {
        private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,12})/s,([^,]+)");

        @Override
        public MinDataRate convert(String value) {
            if (value.equals("0") || value.equals("off")) {
                return MinDataRate.OFF;
            }
            Matcher m = SYNTAX.matcher(value);
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not a rate; use "
                        + "<bytes>/s,<grace> such as 240/s,5s, or 0 or off");
            }
            long bytes = Long.parseLong(m.group(1));
            Duration grace = DurationConverter.parse(m.group(2)); // checked even when off
            return bytes == 0 ? MinDataRate.OFF : MinDataRate.of(bytes, grace);
        }
    }

    /** {@code --overload}: {@code wait} or {@code reject}. */
    static final class OverloadConverter implements ITypeConverter<OverloadPolicy> {
        @Override
        public OverloadPolicy convert(String value) {
            try {
                return OverloadPolicy.fromName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
