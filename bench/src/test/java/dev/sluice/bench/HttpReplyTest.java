package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpReplyTest {
    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsContentLengthBodyAndLeavesTheNextResponse() throws IOException {
        InputStream in = in("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nX-A: b\r\n\r\nabcHTTP/1.1 404 Not Found\r\n"
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        HttpReply first = HttpReply.read(in, "GET");
        HttpReply second = HttpReply.read(in, "GET");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("x-a")).isEqualTo("b");
        assertThat(new String(first.body(), StandardCharsets.ISO_8859_1)).isEqualTo("abc");
        assertThat(first.closes()).isFalse();
        assertThat(second.status()).isEqualTo(404);
        assertThat(second.closes()).isTrue();
    }

    @Test
    void decodesChunkedBodies() throws IOException {
        HttpReply r = HttpReply.read(in("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;x=y\r\nabc\r\n1\r\nd\r\n0\r\nTrailer: t\r\n\r\n"), "GET");
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).isEqualTo("abcd");
    }

    @Test
    void headAnswerHasNoBodyDespiteContentLength() throws IOException {
        HttpReply r = HttpReply.read(in("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"), "HEAD");
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Length")).isEqualTo("5");
    }

    @Test
    void tellsAStaleConnectionFromOneThatDiedMidAnswer() {
        assertThatThrownBy(() -> HttpReply.read(in(""), "GET")).isInstanceOf(HttpReply.NoResponseException.class);
        assertThatThrownBy(() -> HttpReply.read(in("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab"), "GET"))
                .isInstanceOf(EOFException.class).isNotInstanceOf(HttpReply.NoResponseException.class);
        assertThatThrownBy(() -> HttpReply.read(in("HTTP/1.1 2"), "GET"))
                .isNotInstanceOf(HttpReply.NoResponseException.class);
    }

    @Test
    void rejectsWhatIsNotHttp11() {
        assertThatThrownBy(() -> HttpReply.read(in("HTTP/1.0 200 OK\r\n\r\n"), "GET"))
                .hasMessageContaining("bad status line");
    }
}
