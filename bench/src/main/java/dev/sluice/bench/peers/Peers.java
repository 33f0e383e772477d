package dev.sluice.bench.peers;

import dev.sluice.bench.Flags;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM peer servers that {@code bench/server.sh} compares Sluice with: one main that starts the
 * server named by its first argument on {@code 127.0.0.1} and serves until killed. Every peer answers
 * any request with 200, {@code Content-Type: text/plain}, {@code Content-Length: 13}, {@code Server},
 * {@code Date} and {@link #BODY}, written the way its project (or its TechEmpower plaintext entry)
 * recommends, and sized for the one core the benchmarks give the server.
 *
 * <pre>
 * Peers NAME --port N [--sleep-ms N] [--max-connections N]
 *   NAME                netty-epoll | netty-nio | undertow | jetty | helidon | jdk
 *   --sleep-ms N        a blocking handler: sleep N ms, then answer; each peer runs it the way its
 *                       docs recommend for blocking work (0, the default: the plaintext handler)
 *   --max-connections N the peer's own connection limit, where it has one (0, the default: none)
 * </pre>
 *
 * Nothing is printed per request. Exits 2 on a bad argument.
 */
public final class Peers {
    /** The body of every answer. */
    static final String BODY = "Hello, World!";
    static final byte[] BODY_BYTES = BODY.getBytes(StandardCharsets.US_ASCII);
    /**
     * Platform threads for blocking work where a peer runs it on a pool (Netty, Undertow): the same
     * as Sluice's {@code pool} engine derives on this machine, so that none is capped lower.
     */
    static final int BLOCKING_THREADS = 200;

    /**
     * The idle timeout of the peers whose default is shorter (Jetty, the JDK's server: 30 s), so that
     * idle-connection scenarios see every server keep its connections at least this long: Sluice's
     * default ({@code ServerConfig.DEFAULT_IDLE_TIMEOUT_SECONDS}).
     */
    static final int IDLE_TIMEOUT_SECONDS = 60;

    static final List<String> NAMES = List.of("netty-epoll", "netty-nio", "undertow", "jetty", "helidon", "jdk");

    private Peers() {
    }

    /**
     * What to serve.
     *
     * @param port           the port on 127.0.0.1
     * @param sleepMs        0: plaintext; else the blocking handler's sleep in ms
     * @param maxConnections 0: no limit; else the peer's own connection limit
     */
    record PeerConfig(int port, int sleepMs, int maxConnections) {
        boolean blocking() {
            return sleepMs > 0;
        }
    }

    /** A started peer: the port it listens on, and how to stop it. */
    record Running(int port, AutoCloseable stopper) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stopper.close();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !NAMES.contains(args[0])) {
            System.err.println("usage: Peers " + String.join("|", NAMES)
                    + " --port N [--sleep-ms N] [--max-connections N]");
            System.exit(2);
        }
        PeerConfig config;
        try {
            Flags f = Flags.parse(Arrays.copyOfRange(args, 1, args.length), "port", "sleep-ms", "max-connections");
            config = new PeerConfig(f.integer("port", 0), f.integer("sleep-ms", 0), f.integer("max-connections", 0));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Running running = start(args[0], config);
        System.err.println(args[0] + " listening on http://127.0.0.1:" + running.port()
                + (config.blocking() ? " (sleep " + config.sleepMs() + " ms per request)" : ""));
        Thread.currentThread().join(); // serve until killed
    }

    /** Starts peer {@code name} (one of {@link #NAMES}); port 0 picks a free one. */
    static Running start(String name, PeerConfig config) throws Exception {
        return switch (name) {
            case "netty-epoll" -> NettyPeer.start(config, true);
            case "netty-nio" -> NettyPeer.start(config, false);
            case "undertow" -> UndertowPeer.start(config);
            case "jetty" -> JettyPeer.start(config);
            case "helidon" -> HelidonPeer.start(config);
            case "jdk" -> JdkPeer.start(config);
            default -> throw new IllegalArgumentException("unknown peer '" + name + "'; expected one of " + NAMES);
        };
    }

    /** The note for a peer without a connection limit of its own. */
    static void noConnectionLimit(String name, PeerConfig config) {
        if (config.maxConnections() > 0) {
            System.err.println(name + " has no connection limit of its own; --max-connections ignored");
        }
    }

    /** Sleeps the blocking handler's time. */
    static void sleep(PeerConfig config) {
        try {
            Thread.sleep(config.sleepMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
