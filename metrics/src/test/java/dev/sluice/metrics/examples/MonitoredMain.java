package dev.sluice.metrics.examples;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpObserver;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import dev.sluice.metrics.AccessLog;
import dev.sluice.metrics.AccessLogFormat;
import dev.sluice.metrics.AdminServer;
import dev.sluice.metrics.ServerMetrics;
import java.nio.file.Path;

public class MonitoredMain {
    // The app, with metrics and an access log watching every exchange; nothing listens yet.
    static Server server(ServerConfig config, ServerMetrics metrics, AccessLog log) {
        HttpHandler app = request -> HttpResponse.ok("hello\n");
        HttpObserver both = exchange -> {
            metrics.onExchange(exchange);
            log.onExchange(exchange);
        };
        Server server = Server.create(config, HttpProtocol.create(HttpConfig.defaults(), app, both));
        metrics.bind(server.stats());
        metrics.bind(log);
        return server;
    }

    public static void main(String[] args) throws Exception {
        try (ServerMetrics metrics = new ServerMetrics();
             AccessLog log = AccessLog.open(Path.of("access.log"), AccessLogFormat.COMBINED);
             Server server = server(ServerConfig.defaults().withPort(8080), metrics, log);
             AdminServer admin = AdminServer.start("127.0.0.1", 9090, server, metrics, log)) {
            server.start();
            System.out.println("listening on http://localhost:8080/, metrics at " + admin.url() + "/metrics");
            server.shutdownOnSignal().awaitShutdown(); // the admin server closes after, at the end of try
        }
    }
}
