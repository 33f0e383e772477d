package dev.sluice.bench.peers;

import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 (core API, no servlets), after its TechEmpower plaintext entry: a handler that sets a
 * pre-encoded {@code Content-Type} and {@code Content-Length} and writes the body with
 * {@code last = true}; {@code Date} and {@code Server} sent by Jetty. The plaintext handler is
 * declared {@link Handler.Abstract.NonBlocking non-blocking}, so Jetty may run it on the selector
 * thread that read the request. One acceptor and one selector (the server gets one core), default
 * thread pool, idle timeout {@link Peers#IDLE_TIMEOUT_SECONDS}.
 *
 * <p>Blocking work ({@code --sleep-ms}): a blocking handler, and the thread pool given a
 * virtual-thread executor ({@link QueuedThreadPool#setVirtualThreadsExecutor}), which Jetty then uses
 * for blocking handlers, as its docs describe. {@code --max-connections}: a
 * {@link NetworkConnectionLimit}.
 */
final class JettyPeer {
    private static final HttpField CONTENT_TYPE = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain");
    private static final HttpField CONTENT_LENGTH =
            new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, String.valueOf(Peers.BODY_BYTES.length));

    private JettyPeer() {
    }

    static Peers.Running start(Peers.PeerConfig config) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("jetty");
        if (config.blocking()) {
            threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        }
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendDateHeader(true);
        http.setSendServerVersion(true);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(config.port());
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(Peers.IDLE_TIMEOUT_SECONDS * 1000L); // default 30 s; see Peers
        server.addConnector(connector);
        if (config.maxConnections() > 0) {
            server.addBean(new NetworkConnectionLimit(config.maxConnections(), server));
        }
        server.setHandler(config.blocking()
                ? new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        Peers.sleep(config);
                        return answer(response, callback);
                    }
                }
                : new Handler.Abstract.NonBlocking() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        return answer(response, callback);
                    }
                });
        server.start();
        return new Peers.Running(connector.getLocalPort(), server::stop);
    }

    private static boolean answer(Response response, Callback callback) {
        response.setStatus(200);
        response.getHeaders().put(CONTENT_TYPE);
        response.getHeaders().put(CONTENT_LENGTH);
        response.write(true, ByteBuffer.wrap(Peers.BODY_BYTES), callback);
        return true;
    }
}
