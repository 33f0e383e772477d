package dev.sluice.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Client-side helpers for integration tests: raw sockets with read timeouts, and waiting. */
final class Clients {
    static final int READ_TIMEOUT_MS = 10_000;

    private Clients() {
    }

    static Socket connect(Server server) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), READ_TIMEOUT_MS);
        return s;
    }

    /** A client with a 4 KiB receive buffer, so that what it does not read backs up soon. */
    static Socket connectSmallReceiver(Server server) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.connect(server.address());
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    /** One line without its LF, or null at end of stream. */
    static String readLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Sends one line and reads the answer line. */
    static String exchange(Socket s, String line) throws IOException {
        send(s, line + "\n");
        return readLine(s);
    }

    /** Whether the server closed the connection: read gives end of stream (or a reset). */
    static boolean closedByServer(Socket s) {
        try {
            return s.getInputStream().read() == -1;
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    /** Polls {@code condition} every 10 ms until it holds or {@code timeout} passes. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** This process's open file descriptors. */
    static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** Live threads whose name starts with {@code prefix}. */
    static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    /** Whether a connection to {@code port} on 127.0.0.1 is refused (nothing listens). */
    static boolean refused(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
