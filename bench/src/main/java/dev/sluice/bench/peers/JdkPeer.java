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
 * the {@code Connection: close} answer header, which the server leaves out. Its one dispatcher thread accepts and
 * reads request heads; exchanges run on the virtual threads.
 *
 * <p>Blocking work ({@code --sleep-ms}): the handler sleeps on its virtual thread.
 * {@code --max-connections}: the server's own {@code sun.net.httpserver.maxConnections} (JDK 18+).
 */
final class JdkPeer {
    private JdkPeer() {
    }

    static void start(Peers.PeerConfig config) throws IOException {
        if (config.maxConnections() > 0) {
            // Read once, when the server class initialises: set before creating the server.
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
