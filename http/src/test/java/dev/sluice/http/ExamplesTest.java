package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.examples.HelloServer;
import dev.sluice.http.examples.NonBlockingServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' handlers, driven through the codec as a client would drive them. */
class ExamplesTest {

    @Test
    void helloServerAnswersEachRoute(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f.txt"), "file!\n");
        String raw = "GET /hello/J%C3%BCrgen HTTP/1.1\r\nHost: h\r\n\r\n"
                + "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nping"
                + "GET /count/3 HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /file HTTP/1.1\r\nHost: h\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: h\r\n\r\n";

        Wire wire = Wire.run(HttpConfig.defaults(), HelloServer.router(file), raw.getBytes());

        List<Responses.Response> got = wire.responses();
        assertThat(got).extracting(Responses.Response::status).containsExactly(200, 200, 200, 200, 404);
        assertThat(got.get(0).bodyText()).as("hello").isEqualTo("Hello, Jürgen\n");
        assertThat(got.get(1).bodyText()).as("echo").isEqualTo("ping");
        assertThat(got.get(2).header("Transfer-Encoding")).as("count framing").isEqualTo("chunked");
        assertThat(got.get(2).bodyText()).as("count").isEqualTo("1\n2\n3\n");
        assertThat(got.get(3).bodyText()).as("file").isEqualTo("file!\n");
        assertThat(wire.out.transfers).as("file transfers").isEqualTo(1);
    }

    @Test
    void nonBlockingServerRunsInline() {
        Wire wire = Wire.run(NonBlockingServer.config(), NonBlockingServer.handler(),
                "GET /x%20y HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());

        assertThat(wire.handler.mayBlock()).as("mayBlock").isFalse();
        assertThat(wire.responses().get(0).bodyText()).as("body").startsWith("GET /x y from ");
    }
}
