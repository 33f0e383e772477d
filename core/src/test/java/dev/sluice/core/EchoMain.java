package dev.sluice.core;

import java.io.IOException;

/**
 * An echo server in a process of its own, for tests that need to change process limits: started
 * with the engine name as its argument, it prints {@code port N} and serves until stdin closes.
 */
public final class EchoMain {
    private EchoMain() {
    }

    public static void main(String[] args) throws IOException {
        ServerConfig cfg = ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withEngine(Engine.fromName(args[0]));
        // Load the logging path now: with no descriptors left, loading a class can fail.
        System.getLogger("dev.sluice.core").log(System.Logger.Level.INFO, "echo_main {0}", "ready");
        try (Server server = Server.create(cfg, EchoProtocol.create()).start()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Serve until the parent closes our stdin.
            }
        }
    }
}
