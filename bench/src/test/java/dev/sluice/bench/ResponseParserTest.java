package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResponseParserTest {
    private static final String PLAIN = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nd\r\nHello, World!\r\n0\r\n\r\n";
    private static final String CLOSE = "HTTP/1.1 503 Busy\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbusy";
    private static final String HTTP10 = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok";
    private static final String HTTP10_KEEP = "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok";
    private static final String NO_CONTENT = "HTTP/1.1 204 No Content\r\nDate: x\r\n\r\n";

    /** Feeds `response` split at `cut` (the whole of it when cut is 0): the status, or 0. */
    private static int feed(ResponseParser p, String response, int cut) {
        byte[] b = response.getBytes(StandardCharsets.ISO_8859_1);
        int first = cut == 0 ? b.length : cut;
        int status = p.parse(ByteBuffer.wrap(b, 0, first));
        if (status != 0 || first == b.length) {
            assertThat(first).as("completed before its last byte").isEqualTo(b.length);
            return status;
        }
        ByteBuffer rest = ByteBuffer.wrap(b, first, b.length - first);
        status = p.parse(rest);
        assertThat(rest.remaining()).as("bytes left after the response").isZero();
        return status;
    }

    @ParameterizedTest
    @ValueSource(strings = {PLAIN, CHUNKED, CLOSE, HTTP10, HTTP10_KEEP, NO_CONTENT})
    void completesAtTheLastByteWhereverTheBytesAreSplit(String response) {
        for (int cut = 0; cut < response.length(); cut++) {
            ResponseParser p = new ResponseParser();
            int status = feed(p, response, cut);
            assertThat(status).as("split at %d", cut).isEqualTo(Integer.parseInt(response.substring(9, 12)));
        }
    }

    @Test
    void completesByteByByteOnlyAtTheEnd() {
        ResponseParser p = new ResponseParser();
        byte[] b = CHUNKED.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length - 1; i++) {
            assertThat(p.parse(ByteBuffer.wrap(b, i, 1))).as("after byte %d", i).isZero();
        }
        assertThat(p.parse(ByteBuffer.wrap(b, b.length - 1, 1))).isEqualTo(200);
    }

    @Test
    void toldWhetherTheServerCloses() {
        ResponseParser p = new ResponseParser();
        assertThat(feed(p, PLAIN, 0)).isEqualTo(200);
        assertThat(p.closeAfter()).isFalse();
        for (String closing : new String[] {CLOSE, HTTP10}) {
            p.reset();
            feed(p, closing, 0);
            assertThat(p.closeAfter()).as(closing).isTrue();
        }
        p.reset();
        feed(p, HTTP10_KEEP, 0);
        assertThat(p.closeAfter()).isFalse();
    }

    @Test
    void aBodyWithoutLengthRunsToTheClose() {
        ResponseParser p = new ResponseParser();
        int status = p.parse(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n\r\nsome bytes".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(status).isZero();
        assertThat(p.endsAtClose()).isTrue();
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.closeAfter()).isTrue();
    }

    @Test
    void twoResponsesInARowAfterReset() {
        ResponseParser p = new ResponseParser();
        ByteBuffer both = ByteBuffer.wrap((PLAIN + CLOSE).getBytes(StandardCharsets.ISO_8859_1));
        assertThat(p.parse(both)).isEqualTo(200);
        p.reset();
        assertThat(p.parse(both)).isEqualTo(503);
        assertThat(both.remaining()).isZero();
    }

    @Test
    void rejectsWhatIsNotAnHttpResponse() {
        ResponseParser p = new ResponseParser();
        ByteBuffer junk = ByteBuffer.wrap("SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> p.parse(junk)).isInstanceOf(IllegalStateException.class);
    }
}
