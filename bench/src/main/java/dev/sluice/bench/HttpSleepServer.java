package dev.sluice.bench;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;

/**
 * Sluice's blocking-handler server for {@code bench/server.sh sluice-* PORT --sleep-ms N}: HTTP/1.1
 * on {@code 127.0.0.1} whose handler sleeps {@code --sleep-ms} and answers {@code Hello, World!}.
 * The handler is NOT declared non-blocking, so {@code event-loop} runs each request on a virtual
 * thread and the blocking engines on the connection's thread: what a user's blocking handler gets.
 * Prints the startup report on stderr; runs until killed (SIGTERM shuts down gracefully).
 *
 * <pre>
 * --engine NAME          sequential | thread-per-connection | pool | virtual | event-loop
 * --port N               (default 0: a free port)
 * --sleep-ms N           (default 2)
 * --max-connections N    (default ServerConfig.DEFAULT_MAX_CONNECTIONS)
 * </pre>
 */
public final class HttpSleepServer {
    private HttpSleepServer() {
    }

    public static void main(String[] args) throws Exception {
        Flags f = Flags.parse(args, "engine", "port", "sleep-ms", "max-connections");
        ServerConfig config = ServerConfig.defaults()
                .withHost("127.0.0.1")
                .withPort(f.integer("port", 0))
                .withEngine(Engine.fromName(f.string("engine", ServerConfig.DEFAULT_ENGINE.cliName())))
                .withMaxConnections(f.integer("max-connections", ServerConfig.DEFAULT_MAX_CONNECTIONS));
        long sleepMs = f.integer("sleep-ms", 2);
        Server server = Server.create(config, HttpProtocol.create(request -> {
            Thread.sleep(sleepMs);
            return HttpResponse.ok("Hello, World!");
        })).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "bench-shutdown"));
        for (String line : server.report()) {
            System.err.println(line);
        }
        Thread.currentThread().join(); // serve until killed
    }
}
