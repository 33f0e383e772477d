package dev.sluice.cli;

import dev.sluice.core.Engine;
import dev.sluice.core.OverloadPolicy;
import dev.sluice.core.ServerConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The flags every server command shares ({@code @Mixin}): one per {@link ServerConfig} component,
 * named after it ({@code idleTimeout}: {@code --idle-timeout}). A command that mixes them in sets
 * {@code defaultValueProvider = FlagDefaults.class}, which supplies each default from the
 * environment or {@link ServerConfig#defaults()}; the fields here hold no defaults of their own.
 * Ranges are checked once, by {@link ServerConfig}, when {@link #toConfig()} builds it.
 */
final class ServerOptions {
    @Option(names = "--host", paramLabel = "<host>", description = "Interface to bind: a name or "
            + "literal; 0.0.0.0 for every IPv4 interface, :: for every interface.")
    String host;

    @Option(names = "--port", paramLabel = "<port>",
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
            + "open at once, at least 1. At the limit an idle keep-alive connection is closed to "
            + "make room, else --overload applies.")
    int maxConnections;

    @Option(names = "--overload", paramLabel = "wait|reject", converter = OverloadConverter.class,
            description = "At --max-connections: wait (stop accepting; the backlog holds "
                    + "newcomers) or reject (accept and turn newcomers away at once).")
    OverloadPolicy overload;

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

    @Option(names = "--shutdown-timeout", paramLabel = "<duration>",
            converter = DurationConverter.class, description = "How long a graceful shutdown lets "
                    + "exchanges in flight finish before it closes the rest. 0: close at once.")
    Duration shutdownTimeout;

    /** The configuration these flags describe. @throws IllegalArgumentException naming a bad one */
    ServerConfig toConfig() {
        return ServerConfig.builder()
                .host(host)
                .port(port)
                .backlog(backlog)
                .reusePort(reusePort)
                .engine(engine)
                .threads(threads)
                .queue(queue)
                .maxConnections(maxConnections)
                .overload(overload)
                .idleTimeout(idleTimeout)
                .headerTimeout(headerTimeout)
                .writeTimeout(writeTimeout)
                .shutdownTimeout(shutdownTimeout)
                .build();
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
