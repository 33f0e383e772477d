package dev.sluice.metrics;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.core.internal.Spelling;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import dev.sluice.http.Router;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The admin port: a second, small HTTP server beside the main one, for operators and probes.
 *
 * <ul>
 *   <li>{@code /health}: 200 {@code ok} while the process serves at all (liveness);</li>
 *   <li>{@code /ready}: 200 {@code ready} while the main server accepts connections, 503 before it
 *       has started and from the moment it begins shutting down (readiness: a load balancer
 *       stops sending traffic while in-flight exchanges drain);</li>
 *   <li>{@code /metrics}: {@link ServerMetrics} in the Prometheus text format;</li>
 *   <li>{@code /status}: a page for a browser ({@link StatusPage}), and {@code /status.json}.</li>
 * </ul>
 *
 * <p>A server of its own, on its own port (loopback by default), so nothing of it is reachable
 * through the main port, and a main server at its connection limit still answers probes here.
 * Its limits are small ({@link #config}): a handful of operators and scrapers, not the public.
 * Threads: the core's {@code virtual} engine, one virtual thread per admin connection.
 */
public final class AdminServer implements AutoCloseable {
    /** The admin server's connection limit and backlog. */
    public static final int MAX_CONNECTIONS = 32;

    private final Server server;
    private final String url;

    private AdminServer(Server server, String url) {
        this.server = server;
        this.url = url;
    }

    /** The admin server's core configuration: {@code virtual}, small limits, short timeouts. */
    static ServerConfig config(String host, int port) {
        return ServerConfig.defaults()
                .withHost(host)
                .withPort(port)
                .withBacklog(MAX_CONNECTIONS)
                .withEngine(Engine.VIRTUAL)
                .withMaxConnections(MAX_CONNECTIONS)
                .withIdleTimeout(Duration.ofSeconds(30))
                .withHeaderTimeout(Duration.ofSeconds(5))
                .withWriteTimeout(Duration.ofSeconds(10))
                .withShutdownTimeout(Duration.ofSeconds(1));
    }

    /**
     * Starts the admin server for {@code main} on {@code host} and {@code port} (0: any free
     * port; {@link #url()} tells which), and the once-a-second sampling behind the status page's
     * recent figures. {@code main} need not have started: {@code /ready} says 503 until it
     * listens. Close the admin server after {@code main}'s shutdown, so {@code /ready} says 503
     * while it drains.
     *
     * @param metrics {@code main}'s metrics, bound to its stats
     * @param log the access log, for its dropped count on the status page, or null
     * @throws IOException when it cannot listen
     */
    public static AdminServer start(String host, int port, Server main, ServerMetrics metrics,
                                    AccessLog log) throws IOException {
        return start(host, port, main, metrics, log, InstantSource.system());
    }

    /** As {@link #start(String, int, Server, ServerMetrics, AccessLog)}, with {@code clock} for the uptime. */
    static AdminServer start(String host, int port, Server main, ServerMetrics metrics, AccessLog log,
                             InstantSource clock) throws IOException {
        Instant started = clock.instant();
        Router router = new Router()
                .get("/", r -> HttpResponse.status(302).withHeader("Location", "/status"))
                .get("/health", r -> text(200, "ok\n"))
                .get("/ready", r -> main.isClosing() ? text(503, "draining\n")
                        : main.port() == -1 ? text(503, "starting\n") : text(200, "ready\n"))
                .get("/metrics", r -> HttpResponse.status(200)
                        .withHeader("Content-Type", ServerMetrics.CONTENT_TYPE)
                        .withHeader("Cache-Control", "no-store")
                        .withBody(metrics.scrape()))
                .get("/status", r -> page("text/html; charset=utf-8", StatusPage.html(
                        StatusPage.snapshot(main, metrics, log, since(started, clock)))))
                .get("/status.json", r -> page("application/json", StatusPage.json(
                        StatusPage.snapshot(main, metrics, log, since(started, clock)))));
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(0).withMaxDrainBytes(0)
                .withMaxHeaderBytes(16 * 1024);
        Server server = Server.create(config(host, port), HttpProtocol.create(http, router));
        server.start();
        metrics.startSampling();
        return new AdminServer(server, "http://" + Spelling.hostPort(host, server.port()));
    }

    private static Duration since(Instant started, InstantSource clock) {
        return Duration.between(started, clock.instant());
    }

    private static HttpResponse text(int status, String body) {
        return HttpResponse.text(status, body).withHeader("Cache-Control", "no-store");
    }

    private static HttpResponse page(String type, String body) {
        return HttpResponse.status(200).withHeader("Content-Type", type)
                .withHeader("Cache-Control", "no-store").withBody(body);
    }

    /** {@code http://HOST:PORT}, the port the one bound. */
    public String url() {
        return url;
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** Closes at once: probes and scrapes in flight are cut. */
    @Override
    public void close() {
        server.close();
    }
}
