package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice serve --proxy-protocol} behind a load balancer that this test plays from
 * 127.0.0.1: the access log names the client of the PROXY header, and a peer outside
 * {@code --trusted-proxies} is refused, said once at WARNING.
 */
@Timeout(90)
class ProxyProtocolIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final byte[] V2_SIGNATURE = {0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};

    /** A v2 PROXY header (TCP over IPv4) for a client at {@code client}:{@code port}, with an authority TLV. */
    private static byte[] v2(String client, int port, String authority) throws Exception {
        byte[] name = authority.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer block = ByteBuffer.allocate(12 + 3 + name.length)
                .put(InetAddress.getByName(client).getAddress()).put(InetAddress.getByName("192.0.2.10").getAddress())
                .putShort((short) port).putShort((short) 443)
                .put((byte) 0x02).putShort((short) name.length).put(name);
        return ByteBuffer.allocate(16 + block.capacity()).put(V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11)
                .putShort((short) block.capacity()).put(block.array()).array();
    }

    private static String exchange(int port, byte[] header, String request) throws Exception {
        try (Socket s = RawHttp.open(port)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(header);
            out.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(out.toByteArray());
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theAccessLogNamesTheClientOfTheHeaderNotTheProxy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--proxy-protocol", "--trusted-proxies", "127.0.0.1/32", dir.toString())) {
            int port = Integer.parseInt(p.awaitStdout(AdminIT.LISTENING, WAIT).group(1));
            assertThat(p.stdout()).as(p::transcript)
                    .anyMatch(l -> l.startsWith("listen: ") && l.endsWith(" proxy-protocol=on trusted-proxies=127.0.0.1/32"));
            String reply = exchange(port, v2("203.0.113.7", 51000, "files.example"),
                    "GET /hello.txt HTTP/1.1\r\nHost: files.example\r\nConnection: close\r\n\r\n");
            assertThat(reply).as(p::transcript).startsWith("HTTP/1.1 200 ").endsWith("hello");
            String v1 = exchange(port, "PROXY TCP6 2001:db8::7 2001:db8::1 40000 443\r\n"
                    .getBytes(StandardCharsets.US_ASCII), "GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(v1).startsWith("HTTP/1.1 200 ");

            String line = p.awaitStdout(Pattern.compile("203\\.0\\.113\\.7 - - \\[.*\\] \"GET /hello\\.txt HTTP/1\\.1\" 200 5"),
                    WAIT).group();
            assertThat(line).as(p::transcript).doesNotContain("127.0.0.1");
            p.awaitStdout(Pattern.compile("2001:db8::7 - - \\[.*\\] \"GET /hello\\.txt HTTP/1\\.1\" 200 5"), WAIT);
        }
    }

    @Test
    void aPeerOutsideTheTrustedProxiesIsRefusedAndTheFirstSaidAtWarning(@TempDir Path dir) throws Exception {
        try (SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "--proxy-protocol", "--trusted-proxies", "10.0.0.0/8")) {
            int port = Integer.parseInt(p.awaitStdout(AdminIT.LISTENING, WAIT).group(1));
            for (int i = 0; i < 2; i++) {
                String reply;
                try {
                    reply = exchange(port, v2("203.0.113.7", 51000, "x"), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                } catch (java.net.SocketException e) {
                    reply = ""; // closed with what it sent unread: the kernel resets
                }
                assertThat(reply).as("closed without an answer").isEmpty();
            }
            p.awaitStderr(Pattern.compile(".*proxy_refused reason=untrusted_peer peer=127\\.0\\.0\\.1.*"), WAIT);
            assertThat(p.stderr()).as(p::transcript).filteredOn(l -> l.contains("proxy_refused")).hasSize(1);
        }
    }
}
