package dev.sluice.bench.peers;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http1.Http1Config;

/**
 * Helidon 4 SE, after its TechEmpower plaintext entry: a handler that sets cached
 * {@code Content-Length}, {@code Content-Type} and {@code Server} header values and sends a shared
 * byte array, with the HTTP/1.1 receive and send logs off, and no {@code Connection: keep-alive} on
 * HTTP/1.1 answers (as Undertow's entry does). Helidon runs every connection, and so every handler,
 * on a virtual thread of its own and writes {@code Date} itself.
 *
 * <p>Known problem of 4.5.0 (helidon-io/helidon#12324, fixed after 4.5.3; later 4.5.x webserver jars
 * are not served here): it answers a request with {@code Connection: close} with {@code Connection:
 * close} but then waits for another request instead of closing, so {@code server.sh check} fails it;
 * wrk closes such sockets itself, so connection-per-request runs still work.
 *
 * <p>Blocking work ({@code --sleep-ms}): the handler just sleeps; that is what Helidon's virtual
 * threads are for. {@code --max-connections}: the listener's {@code maxTcpConnections}.
 */
final class HelidonPeer {
    private static final Header CONTENT_TYPE = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain");
    private static final Header CONTENT_LENGTH =
            HeaderValues.createCached(HeaderNames.CONTENT_LENGTH, Peers.BODY_BYTES.length);
    private static final Header SERVER = HeaderValues.createCached(HeaderNames.SERVER, "helidon");

    private HelidonPeer() {
    }

    static Peers.Running start(Peers.PeerConfig config) {
        Handler handler = (req, res) -> {
            if (config.blocking()) {
                Peers.sleep(config);
            }
            res.header(CONTENT_LENGTH);
            res.header(CONTENT_TYPE);
            res.header(SERVER);
            res.send(Peers.BODY_BYTES);
        };
        var builder = WebServer.builder()
                .host("127.0.0.1")
                .port(config.port())
                .backlog(4096)
                .addProtocol(Http1Config.builder()
                        .receiveLog(false)
                        .sendLog(false)
                        .sendKeepAliveHeader(false)
                        .build())
                .routing(routing -> routing.any(handler));
        if (config.maxConnections() > 0) {
            builder.maxTcpConnections(config.maxConnections());
        }
        WebServer server = builder.build().start();
        return new Peers.Running(server.port(), server::stop);
    }
}
