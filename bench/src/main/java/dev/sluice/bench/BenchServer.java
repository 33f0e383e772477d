package dev.sluice.bench;

import dev.sluice.core.EchoProtocol;
import dev.sluice.core.Engine;
import dev.sluice.core.Handler;
import dev.sluice.core.Protocol;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.nio.ByteBuffer;

/**
 * A Sluice server to measure: one engine, one handler, on {@code 127.0.0.1}, serving until the
 * process is told to stop (SIGTERM runs {@link Server#shutdown()} and prints the final stats to
 * stderr). Prints {@code port N} and {@code pid N} on stdout once it listens, the startup report on
 * stderr.
 *
 * <pre>
 * --engine NAME          sequential | thread-per-connection | pool | virtual | event-loop (default virtual)
 * --port N               0 picks a free port (default 0)
 * --threads N            the engine's threads, 0 derives (default 0)
 * --max-connections N    (default ServerConfig.DEFAULT_MAX_CONNECTIONS)
 * --handler NAME         echo            EchoProtocol.create(): declared non-blocking, inline on event-loop
 *                        echo-offloaded  the echo codec with a handler NOT declared non-blocking:
 *                                        event-loop runs it on a virtual thread per request
 *                        sleep           length-framed; the handler sleeps --sleep-ms, then answers the
 *                                        payload (may block: offloaded on event-loop)
 *                        sleep-inline    sleep wrongly declared non-blocking: blocks the loop thread
 * --sleep-ms N           (default 2)
 * </pre>
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        Flags f = Flags.parse(args, "engine", "port", "threads", "max-connections", "handler",
                "sleep-ms", "host");
        ServerConfig config = ServerConfig.defaults()
                .withHost(f.string("host", "127.0.0.1"))
                .withPort(f.integer("port", 0))
                .withEngine(Engine.fromName(f.string("engine", ServerConfig.DEFAULT_ENGINE.cliName())))
                .withThreads(f.integer("threads", 0))
                .withMaxConnections(f.integer("max-connections", ServerConfig.DEFAULT_MAX_CONNECTIONS));
        Protocol<?, ?> protocol = protocol(f.string("handler", "echo"), f.integer("sleep-ms", 2));
        Server server = Server.create(config, protocol).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean clean = server.shutdown();
            System.err.println("shutdown clean=" + clean + " stats " + server.stats());
        }, "bench-shutdown"));
        for (String line : server.report()) {
            System.err.println(line);
        }
        System.out.println("port " + server.port());
        System.out.println("pid " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join(); // serve until killed
    }

    static Protocol<?, ?> protocol(String handler, int sleepMs) {
        Handler<ByteBuffer, ByteBuffer> sleeping = request -> {
            Thread.sleep(sleepMs);
            return request;
        };
        return switch (handler) {
            case "echo" -> EchoProtocol.create();
            case "echo-offloaded" -> {
                Protocol<ByteBuffer, ByteBuffer> echo = EchoProtocol.create();
                yield Protocol.of(echo::newCodec, request -> request);
            }
            case "sleep" -> Protocol.of(info -> new FramedCodec(), sleeping);
            case "sleep-inline" -> Protocol.of(info -> new FramedCodec(), Handler.nonBlocking(sleeping));
            default -> throw new IllegalArgumentException("unknown handler '" + handler
                    + "'; expected echo, echo-offloaded, sleep or sleep-inline");
        };
    }
}
