package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the codec writes for a response: framing, HEAD, streams, files, fields. */
class ResponseEncodingTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String HEAD = "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n";

    @Test
    void writesExactlyTheExpectedBytes() {
        Wire wire = Wire.run(HttpConfig.defaults(), request -> HttpResponse.ok("hi"), GET.getBytes());

        assertThat(wire.output()).as("response").isEqualTo("HTTP/1.1 200 OK\r\n" + Wire.DATE + Wire.SERVER
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\nhi");
    }

    @Test
    void answersHeadWithGetsHeadAndNoBody() {
        HttpHandler handler = request -> HttpResponse.ok("hello");

        String get = Wire.run(HttpConfig.defaults(), handler, GET.getBytes()).output();
        Wire head = Wire.run(HttpConfig.defaults(), handler, (HEAD + GET).getBytes());

        String getHead = get.substring(0, get.indexOf("\r\n\r\n") + 4);
        assertThat(getHead).as("GET head").contains("Content-Length: 5\r\n");
        assertThat(head.output()).as("HEAD then GET").isEqualTo(getHead + get);
    }

    @Test
    void answersHeadForAStreamWithoutBodyOrFramingAndClosesTheStream() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream stream = new ByteArrayInputStream(new byte[10]) {
            @Override
            public void close() {
                closed.set(true);
            }
        };

        Wire wire = Wire.run(HttpConfig.defaults(), request -> HttpResponse.status(200).withBody(stream),
                HEAD.getBytes());

        assertThat(wire.output()).as("response").isEqualTo("HTTP/1.1 200 OK\r\n" + Wire.DATE + Wire.SERVER + "\r\n");
        assertThat(closed).as("stream closed").isTrue();
    }

    @Test
    void sendsAStreamChunkedToHttp11() {
        byte[] data = new byte[StreamBody.PIECE_BYTES * 2 + 100];
        Arrays.fill(data, (byte) 'z');

        Wire wire = Wire.run(HttpConfig.defaults(),
                request -> HttpResponse.status(200).withBody(new ByteArrayInputStream(data)), GET.getBytes());

        String out = wire.output();
        assertThat(out).as("head").startsWith("HTTP/1.1 200 OK\r\n" + Wire.DATE + Wire.SERVER
                + "Transfer-Encoding: chunked\r\n\r\n3ff0\r\n");
        assertThat(out).as("chunk sizes").contains("\r\n3ff0\r\n").contains("\r\n64\r\n")
                .endsWith("\r\n0\r\n\r\n").doesNotContain("Content-Length");
        assertThat(wire.responses().get(0).body()).as("decoded body").isEqualTo(data);
        assertThat(wire.closed).as("closed").isFalse();
    }

    @Test
    void sendsAnEmptyStreamAsTheLastChunkAlone() {
        Wire wire = Wire.run(HttpConfig.defaults(),
                request -> HttpResponse.status(200).withBody(InputStream.nullInputStream()), GET.getBytes());

        assertThat(wire.output()).as("response").endsWith("Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    }

    @Test
    void sendsAStreamToHttp10EndedByTheClose() {
        Wire wire = Wire.run(HttpConfig.defaults(),
                request -> HttpResponse.status(200).withBody(new ByteArrayInputStream("abc".getBytes())),
                "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".getBytes());

        assertThat(wire.output()).as("response: no chunked coding in HTTP/1.0, and no length known")
                .isEqualTo("HTTP/1.1 200 OK\r\n" + Wire.DATE + Wire.SERVER + "Connection: close\r\n\r\nabc");
        assertThat(wire.closed).as("closed").isTrue();
    }

    @Test
    void closesWhenAStreamFailsMidway() {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ < StreamBody.PIECE_BYTES) {
                    return 'x';
                }
                throw new IOException("disk gone");
            }
        };

        Wire wire = Wire.run(HttpConfig.defaults(), request -> HttpResponse.status(200).withBody(failing),
                (GET + GET).getBytes());

        assertThat(wire.output()).as("response").doesNotEndWith("0\r\n\r\n");
        assertThat(wire.handled).as("handled").hasSize(1);
        assertThat(wire.closed).as("closed").isTrue();
    }

    @Test
    void sendsAFileByTransferWithItsLength(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "file body", StandardCharsets.UTF_8);

        Wire wire = Wire.run(HttpConfig.defaults(), request -> HttpResponse.status(200).withFile(file),
                (GET + HEAD).getBytes());

        assertThat(wire.out.transfers).as("transfers: got %d; want 1 (none for HEAD)", wire.out.transfers).isEqualTo(1);
        assertThat(wire.responses().get(0).bodyText()).as("body").isEqualTo("file body");
        assertThat(wire.responses().get(0).header("Content-Length")).as("GET length").isEqualTo("9");
        assertThat(wire.responses().get(1).header("Content-Length")).as("HEAD length").isEqualTo("9");
        assertThat(wire.output()).as("output").endsWith("Content-Length: 9\r\n\r\n");
    }

    @Test
    void answersAMissingFileWith404(@TempDir Path dir) {
        Wire wire = Wire.run(HttpConfig.defaults(),
                request -> HttpResponse.status(200).withFile(dir.resolve("missing")), (GET + GET).getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(404, 404);
    }

    @Test
    void sendsNeitherBodyNorLengthWith204And304() {
        for (int status : new int[] {204, 304}) {
            Wire wire = Wire.run(HttpConfig.defaults(),
                    request -> HttpResponse.status(status).withBody("ignored"), (GET + GET).getBytes());

            assertThat(wire.output()).as("%d response", status).doesNotContain("Content-Length")
                    .doesNotContain("ignored");
            assertThat(wire.statuses()).as("statuses").containsExactly(status, status);
        }
    }

    @Test
    void letsTheHandlerSetFieldsButNotFraming() {
        HttpResponse r = HttpResponse.ok("x").withHeader("Date", "custom").withHeader("content-type", "a/b")
                .withAddedHeader("Set-Cookie", "a=1").withAddedHeader("Set-Cookie", "b=2");

        String out = Wire.run(HttpConfig.defaults(), request -> r, GET.getBytes()).output();

        assertThat(out).as("response").isEqualTo("HTTP/1.1 200 OK\r\nServer: Sluice\r\nDate: custom\r\ncontent-type: a/b\r\n"
                + "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 1\r\n\r\nx");
        assertThatThrownBy(() -> r.withHeader("Content-Length", "5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.withHeader("Transfer-Encoding", "chunked")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendsTheConfiguredServerNameUnlessTheHandlerSetsOne() {
        HttpConfig named = HttpConfig.defaults().withServerName("edge/1.2 (test)");

        String custom = Wire.run(named, request -> HttpResponse.ok("x"), GET.getBytes()).output();
        String own = Wire.run(named, request -> HttpResponse.ok("x").withHeader("server", "mine"),
                GET.getBytes()).output();

        assertThat(custom).as("configured name").isEqualTo("HTTP/1.1 200 OK\r\n" + Wire.DATE
                + "Server: edge/1.2 (test)\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 1\r\n\r\nx");
        assertThat(own).as("handler's own Server").contains("server: mine\r\n").doesNotContain("Server:");
    }

    @Test
    void sendsNoServerFieldWhenTheNameIsEmptyOrNull() {
        for (String name : new String[] {"", null}) {
            HttpConfig config = HttpConfig.defaults().withServerName(name);

            String out = Wire.run(config, request -> HttpResponse.ok("x"), (GET + "GET /x HTTP/1.1\r\n\r\n").getBytes())
                    .output();
            String error = Wire.run(config, request -> HttpResponse.ok("x"), "BAD\r\n\r\n".getBytes()).output();
            String rejection = new String(HttpProtocol.create(config, request -> HttpResponse.ok("")).rejection(),
                    java.nio.charset.StandardCharsets.US_ASCII);

            assertThat(out + error + rejection).as("responses with name %s", name).doesNotContain("Server:");
        }
        assertThat(new String(HttpProtocol.create(HttpConfig.defaults(), request -> HttpResponse.ok("")).rejection(),
                java.nio.charset.StandardCharsets.US_ASCII)).as("default rejection").contains("Server: Sluice\r\n");
    }

    @Test
    void refusesServerNamesThatCannotBeAFieldValue() {
        for (String bad : new String[] {"a\r\nSet-Cookie: x", "tab\there", " lead", "trail ", "\u20ac", "x".repeat(257)}) {
            assertThatThrownBy(() -> HttpConfig.defaults().withServerName(bad)).as("server name %s", bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesFieldsThatWouldSplitTheResponse() {
        HttpResponse r = HttpResponse.ok("x");

        assertThatThrownBy(() -> r.withHeader("X", "a\r\nSet-Cookie: evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.withHeader("X", "a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.withHeader("X", "a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.withHeader("X Y", "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.withHeader("X", "\u20ac")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpResponse.status(101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesUnregisteredStatusesWithAnEmptyReason() {
        String out = Wire.run(HttpConfig.defaults(), request -> HttpResponse.status(299), GET.getBytes()).output();

        assertThat(out).as("response").startsWith("HTTP/1.1 299 \r\n");
    }
}
