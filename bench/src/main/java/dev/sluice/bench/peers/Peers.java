package dev.sluice.bench.peers;

import dev.sluice.bench.Flags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Peers NAME --port N [--sleep-ms N] [--max-connections N] [--root DIR]
 *            [--tls-cert PEM --tls-key PEM [--tls-provider jdk|openssl]]
 *   NAME                netty-epoll | netty-nio | undertow | jetty | helidon | jdk
 *   --sleep-ms N        a blocking handler: sleep N ms, then answer; each peer runs it the way its
 *                       docs recommend for blocking work (0, the default: the plaintext handler)
 *   --max-connections N the peer's own connection limit, where it has one (0, the default: none)
 *   --root DIR          Netty only: GET /NAME answers the file DIR/NAME (the 1 MiB scenarios)
 *   --tls-cert, --tls-key  Netty only: HTTPS with this PEM chain and PKCS#8 key, TLSv1.3 only
 *   --tls-provider      Netty only: jdk (the JDK's SSLEngine, the default) or openssl
 *                       (netty-tcnative-boringssl-static)
 * </pre>
 *
 * Nothing is printed per request. Exits 2 on a bad argument, and with "does not support" on an
 * option the peer does not have.
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
     * @param root           null: the plaintext answer; else the folder whose files GET answers
     * @param tls            null: plain HTTP; else HTTPS
     */
    record PeerConfig(int port, int sleepMs, int maxConnections, Path root, Tls tls) {
        /** Plain HTTP, the plaintext answer. */
        PeerConfig(int port, int sleepMs, int maxConnections) {
            this(port, sleepMs, maxConnections, null, null);
        }

        boolean blocking() {
            return sleepMs > 0;
        }
    }

    /**
     * HTTPS for a peer: TLSv1.3 only, offering TLS_AES_128_GCM_SHA256 where the provider lets it be
     * set, so that every server of {@code bench/tls.sh} negotiates the same.
     *
     * @param cert     PEM certificate chain, the server's own first
     * @param key      PEM PKCS#8 private key of {@code cert}
     * @param provider the TLS implementation's name: {@code jdk} or {@code openssl}
     */
    record Tls(Path cert, Path key, String provider) {
        static final List<String> PROVIDERS = List.of("jdk", "openssl");

        Tls {
            if (!PROVIDERS.contains(provider)) {
                throw new IllegalArgumentException("--tls-provider: got '" + provider + "'; want one of " + PROVIDERS);
            }
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
        Running running;
        try {
            config = parse(Arrays.copyOfRange(args, 1, args.length));
            running = start(args[0], config);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.err.println(args[0] + " listening on " + (config.tls() == null ? "http" : "https")
                + "://127.0.0.1:" + running.port()
                + (config.blocking() ? " (sleep " + config.sleepMs() + " ms per request)" : "")
                + (config.tls() == null ? "" : " (TLS: " + config.tls().provider() + ")"));
        Thread.currentThread().join(); // serve until killed
    }

    private static PeerConfig parse(String[] args) {
        Flags f = Flags.parse(args, "port", "sleep-ms", "max-connections", "root", "tls-cert", "tls-key",
                "tls-provider");
        Path root = f.has("root") ? Path.of(f.string("root", "")) : null;
        if (root != null && !Files.isDirectory(root)) {
            throw new IllegalArgumentException("--root: " + root + " is not a folder");
        }
        if (root != null && f.has("sleep-ms")) {
            throw new IllegalArgumentException("--root and --sleep-ms exclude each other");
        }
        if (f.has("tls-cert") != f.has("tls-key")) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        Tls tls = f.has("tls-cert")
                ? new Tls(Path.of(f.string("tls-cert", "")), Path.of(f.string("tls-key", "")),
                          f.string("tls-provider", "jdk"))
                : null;
        if (tls == null && f.has("tls-provider")) {
            throw new IllegalArgumentException("--tls-provider needs --tls-cert and --tls-key");
        }
        return new PeerConfig(f.integer("port", 0), f.integer("sleep-ms", 0), f.integer("max-connections", 0),
                root, tls);
    }

    /**
     * Starts peer {@code name} (one of {@link #NAMES}); port 0 picks a free one.
     *
     * @throws IllegalArgumentException "NAME does not support ..." for {@code root} or {@code tls} on
     *                                  a peer other than Netty's
     */
    static Running start(String name, PeerConfig config) throws Exception {
        if (!name.startsWith("netty-")) {
            if (config.root() != null) {
                throw new IllegalArgumentException(name + " does not support --root");
            }
            if (config.tls() != null) {
                throw new IllegalArgumentException(name + " does not support --tls-cert");
            }
        }
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
