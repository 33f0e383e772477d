package dev.sluice.bench.peers;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.xnio.Options;

/**
 * Undertow 2.4, after its TechEmpower plaintext entry: a handler on the I/O thread that sends a
 * shared direct buffer with {@code Content-Type: text/plain}, {@code Server} set on every answer,
 * and no {@code Connection: keep-alive} added to HTTP/1.1 answers. One I/O thread (the server gets
 * one core). Undertow writes {@code Date} itself and honours {@code Connection: close}.
 *
 * <p>Blocking work ({@code --sleep-ms}): the handler is wrapped in a {@link BlockingHandler}, which
 * dispatches it to Undertow's worker pool ({@link Peers#BLOCKING_THREADS} threads), as Undertow's
 * docs say to do for anything that blocks. {@code --max-connections}: XNIO's
 * {@code CONNECTION_HIGH_WATER} (stop accepting at N open connections).
 */
final class UndertowPeer {
    private static final ByteBuffer BODY = ByteBuffer.allocateDirect(Peers.BODY_BYTES.length)
            .put(Peers.BODY_BYTES).flip();

    private UndertowPeer() {
    }

    static Peers.Running start(Peers.PeerConfig config) {
        HttpHandler plaintext = UndertowPeer::answer;
        HttpHandler handler = config.blocking()
                ? new BlockingHandler(exchange -> {
                    Peers.sleep(config);
                    answer(exchange);
                })
                : plaintext;
        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(config.port(), "127.0.0.1")
                .setIoThreads(1)
                .setWorkerThreads(Peers.BLOCKING_THREADS)
                .setSocketOption(Options.BACKLOG, 4096)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setHandler(handler);
        if (config.maxConnections() > 0) {
            builder.setSocketOption(Options.CONNECTION_HIGH_WATER, config.maxConnections())
                    .setSocketOption(Options.CONNECTION_LOW_WATER, config.maxConnections());
        }
        Undertow server = builder.build();
        server.start();
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return new Peers.Running(port, server::stop);
    }

    private static void answer(HttpServerExchange exchange) {
        exchange.getResponseHeaders()
                .put(Headers.CONTENT_TYPE, "text/plain")
                .put(Headers.SERVER, "undertow");
        exchange.getResponseSender().send(BODY.duplicate());
    }
}
