package dev.sluice.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The JDK's {@code com.sun.net.httpserver} with a virtual thread per exchange
 * ({@link Executors#newVirtualThreadPerTaskExecutor()} as its executor): a handler that sets
 * {@code Content-Type} and {@code Server} and writes the body with a fixed length. The server sends
 * {@code Date} itself and closes after a request with {@code Connection: close}; the handler adds
 * the {@code Connection: close} answer header, which the server leaves out. Its one dispatcher
 * thread accepts and waits for readable connections; each exchange (reading the head, the handler,
 * the answer) runs on a virtual thread. TCP_NODELAY on, no limit on idle connections, 60 s idle
 * timeout: see {@link #start}.
 *
 * <p>Blocking work ({@code --sleep-ms}): the handler sleeps on its virtual thread.
 * {@code --max-connections}: the server's own {@code sun.net.httpserver.maxConnections} (JDK 18+).
 */
final class JdkPeer {
    private JdkPeer() {
    }

    static Peers.Running start(Peers.PeerConfig config) throws IOException {
        // The server reads its settings from system properties once, when its classes initialise:
        // set them before creating it. Its defaults close a connection after a response when 200
        // others are already idle, and any after 30 s idle; both would cut the suite's 256
        // keep-alive and 10k idle connections short, so: no idle count limit, and 60 s idle, as
        // Sluice's default idle timeout.
        System.setProperty("sun.net.httpserver.maxIdleConnections", String.valueOf(Integer.MAX_VALUE));
        System.setProperty("sun.net.httpserver.idleInterval", String.valueOf(Peers.IDLE_TIMEOUT_SECONDS));
        // TCP_NODELAY, as every other server here sets it (the JDK's default is off).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        if (config.maxConnections() > 0) {
            System.setProperty("sun.net.httpserver.maxConnections", String.valueOf(config.maxConnections()));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", config.port()), 4096);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            if (config.blocking()) {
                Peers.sleep(config);
            }
            answer(exchange);
        });
        server.start();
        return new Peers.Running(server.getAddress().getPort(), () -> server.stop(0));
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.getResponseHeaders().set("Server", "jdk");
        // The server closes the connection after a request with Connection: close but does not say
        // so in the answer; a client that reuses sockets needs to read it (RFC 9112 9.6).
        String connection = exchange.getRequestHeaders().getFirst("Connection");
        if (connection != null && connection.toLowerCase(java.util.Locale.ROOT).contains("close")) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        exchange.sendResponseHeaders(200, Peers.BODY_BYTES.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(Peers.BODY_BYTES);
        }
    }
}
