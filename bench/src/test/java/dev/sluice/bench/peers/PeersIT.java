package dev.sluice.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Each JVM peer, started in this JVM on a free port of 127.0.0.1, answers as {@code bench/server.sh}
 * promises: the plaintext answer with the headers the benchmark needs (present; how they are
 * formatted is the peer's business), 16 pipelined requests in order, {@code Connection: close}
 * answered and the socket closed, and the blocking handler's sleep.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeersIT {
    static final List<String> NAMES = Peers.NAMES;
    private static final String GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";

    @ParameterizedTest
    @FieldSource("NAMES")
    void answersPlaintextWithItsHeaders(String name) throws Exception {
        try (Peers.Running peer = Peers.start(name, new Peers.PeerConfig(0, 0, 0));
             Socket socket = connect(peer)) {
            send(socket, GET + "\r\n");
            Response response = readResponses(socket.getInputStream(), 1).getFirst();
            assertThat(response.status()).as("status line").startsWith("HTTP/1.1 200");
            assertThat(response.header("content-type")).as("Content-Type").startsWith("text/plain");
            assertThat(response.header("content-length")).as("Content-Length").isEqualTo("13");
            // Present, as the benchmark's request needs; how a peer formats them is its own business
            // (Helidon writes a one-digit day: "Fri, 4 Dec 2026").
            assertThat(response.header("date")).as("Date").isNotBlank();
            assertThat(response.header("server")).as("Server").isNotBlank();
            assertThat(response.body()).isEqualTo("Hello, World!");
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void answersSixteenPipelinedRequests(String name) throws Exception {
        try (Peers.Running peer = Peers.start(name, new Peers.PeerConfig(0, 0, 0));
             Socket socket = connect(peer)) {
            send(socket, (GET + "\r\n").repeat(16));
            List<Response> responses = readResponses(socket.getInputStream(), 16);
            assertThat(responses).hasSize(16).allSatisfy(r -> assertThat(r.body()).isEqualTo("Hello, World!"));
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void answersConnectionCloseAndCloses(String name) throws Exception {
        assumeFalse(name.equals("helidon"),
                "Helidon 4.5.0 does not close after Connection: close (helidon-io/helidon#12324)");
        try (Peers.Running peer = Peers.start(name, new Peers.PeerConfig(0, 0, 0));
             Socket socket = connect(peer)) {
            send(socket, GET + "Connection: close\r\n\r\n");
            InputStream in = socket.getInputStream();
            Response response = readResponses(in, 1).getFirst();
            assertThat(response.header("connection")).as("Connection").isEqualToIgnoringCase("close");
            try {
                assertThat(in.read()).as("the next read: end of stream").isEqualTo(-1);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the socket stayed open 10 s after Connection: close; want closed", e);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("NAMES")
    void sleepsInTheBlockingHandler(String name) throws Exception {
        try (Peers.Running peer = Peers.start(name, new Peers.PeerConfig(0, 300, 0));
             Socket socket = connect(peer)) {
            long start = System.nanoTime();
            send(socket, GET + "\r\n");
            Response response = readResponses(socket.getInputStream(), 1).getFirst();
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response.body()).isEqualTo("Hello, World!");
            assertThat(tookMs).as("ms to the answer; the handler sleeps 300").isGreaterThanOrEqualTo(300);
        }
    }

    private static Socket connect(Peers.Running peer) throws IOException {
        Socket socket = new Socket("127.0.0.1", peer.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** A response: its status line, headers (names lower-cased) and body. */
    record Response(String status, List<String[]> headers, String body) {
        String header(String name) {
            return headers.stream().filter(h -> h[0].equals(name)).map(h -> h[1]).findFirst().orElse(null);
        }
    }

    /** Reads {@code count} responses framed by Content-Length; fails on a timeout or early end. */
    private static List<Response> readResponses(InputStream in, int count) throws IOException {
        List<Response> responses = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (responses.size() < count) {
            String text = buffer.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                String[] lines = text.substring(0, end).split("\r\n");
                List<String[]> headers = new ArrayList<>();
                int length = 0;
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    String field = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = lines[i].substring(colon + 1).trim();
                    headers.add(new String[] {field, value});
                    if (field.equals("content-length")) {
                        length = Integer.parseInt(value);
                    }
                }
                if (text.length() >= end + 4 + length) {
                    responses.add(new Response(lines[0], headers, text.substring(end + 4, end + 4 + length)));
                    byte[] rest = text.substring(end + 4 + length).getBytes(StandardCharsets.ISO_8859_1);
                    buffer.reset();
                    buffer.write(rest);
                    continue;
                }
            }
            int n;
            try {
                n = in.read(chunk);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("got " + responses.size() + " responses within 10 s; want " + count, e);
            }
            if (n < 0) {
                throw new AssertionError("got " + responses.size() + " responses before end of stream; want " + count);
            }
            buffer.write(chunk, 0, n);
        }
        return responses;
    }
}
