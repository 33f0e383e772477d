package dev.sluice.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A server in a process of its own that stops on a signal, for {@link ShutdownSignalIT}: started
 * with an engine name, it prints {@code port N}, then serves {@link LineProtocol} until SIGTERM.
 * The request {@code hold} prints {@code holding} and is answered {@code released X} once the
 * parent writes the line X to this process's stdin: an exchange in progress for as long as the
 * test wants.
 */
public final class SignalMain {
    private SignalMain() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withEngine(Engine.fromName(args[0])).withShutdownTimeout(Duration.ofSeconds(60))
                .withRequestTimeout(Duration.ofSeconds(60));
        Server server = Server.create(config, LineProtocol.create(line -> {
            if (!line.equals("hold")) {
                return line;
            }
            System.out.println("holding");
            System.out.flush();
            return "released " + stdin.readLine();
        })).start();
        server.shutdownOnSignal();
        System.out.println("port " + server.port());
        System.out.flush();
        server.awaitShutdown();
    }
}
