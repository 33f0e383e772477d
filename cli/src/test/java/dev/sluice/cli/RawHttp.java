package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 exchange over a raw socket to 127.0.0.1, {@code Connection: close}, for the
 * integration tests: exact request bytes out, the whole response back. Every socket has a timeout.
 */
final class RawHttp {
    static final int TIMEOUT_MILLIS = 10_000;

    /** A response: the status, the head as sent, and the body as text. */
    record Reply(int status, String head, String body) {
        /** The first value of header {@code name}, ignoring case; null when absent. */
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /** {@code GET path} with {@code extraHeaders} (each ending in CRLF). */
    static Reply get(int port, String path, String extraHeaders) {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders
                + "Connection: close\r\n\r\n");
    }

    static Reply get(int port, String path) {
        return get(port, path, "");
    }

    /** Sends {@code request} as is and reads until the server closes. */
    static Reply send(int port, String request) {
        try (Socket s = open(port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return parse(s.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("exchange with port " + port + " failed", e);
        }
    }

    static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        s.setSoTimeout(TIMEOUT_MILLIS);
        return s;
    }

    /** Reads one response from {@code in}, which the server then closes. */
    static Reply read(InputStream in) throws IOException {
        return parse(in.readAllBytes());
    }

    private static Reply parse(byte[] bytes) {
        String all = new String(bytes, StandardCharsets.UTF_8);
        int end = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP response: got " + all);
        }
        int status = Integer.parseInt(all.substring(9, 12));
        return new Reply(status, all.substring(0, end), all.substring(end + 4));
    }
}
