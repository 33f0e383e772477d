package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each limit: accepted exactly at it, refused one past it, and refused before the message ends. */
class LimitsTest {
    private static final HttpHandler OK = request -> HttpResponse.ok("ok");

    @Test
    void requestLineAtTheLimitIsServedAndOnePastIsRefused() {
        HttpConfig config = HttpConfig.defaults().withMaxRequestLineBytes(32);
        String line = "GET /" + "a".repeat(32 - "GET / HTTP/1.1".length()) + " HTTP/1.1";
        assertThat(line).hasSize(32);

        Wire at = Wire.run(config, OK, (line + "\r\nHost: a\r\n\r\n").getBytes());
        Wire past = Wire.run(config, OK, (line.replace("GET /", "GET /a") + "\r\nHost: a\r\n\r\n").getBytes());

        assertThat(at.statuses()).as("at the limit").containsExactly(200);
        assertThat(past.statuses()).as("one past").containsExactly(414);
    }

    @Test
    void refusesALongRequestLineBeforeItEnds() {
        Wire wire = new Wire(HttpConfig.defaults().withMaxRequestLineBytes(32), OK);

        wire.feed("GET /" + "a".repeat(40));

        assertThat(wire.statuses()).as("statuses without CRLF").containsExactly(414);
        assertThat(wire.closed).as("closed").isTrue();
    }

    @Test
    void headerSectionAtTheLimitIsServedAndOnePastIsRefused() {
        String section = "Host: a\r\nX: yyyy\r\n\r\n";
        HttpConfig config = HttpConfig.defaults().withMaxHeaderBytes(section.length());

        Wire at = Wire.run(config, OK, ("GET / HTTP/1.1\r\n" + section).getBytes());
        Wire past = Wire.run(config, OK, ("GET / HTTP/1.1\r\n" + section.replace("yyyy", "yyyyy")).getBytes());

        assertThat(at.statuses()).as("at the limit").containsExactly(200);
        assertThat(past.statuses()).as("one past").containsExactly(431);
    }

    @Test
    void refusesALongHeaderSectionBeforeItEnds() {
        Wire wire = new Wire(HttpConfig.defaults().withMaxHeaderBytes(64), OK);

        wire.feed("GET / HTTP/1.1\r\nHost: a\r\nX: " + "y".repeat(100));

        assertThat(wire.statuses()).as("statuses").containsExactly(431);
    }

    @Test
    void fieldCountAtTheLimitIsServedAndOnePastIsRefused() {
        HttpConfig config = HttpConfig.defaults().withMaxHeaderCount(3);

        Wire at = Wire.run(config, OK, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n".getBytes());
        Wire past = Wire.run(config, OK, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n".getBytes());

        assertThat(at.statuses()).as("at the limit").containsExactly(200);
        assertThat(past.statuses()).as("one past").containsExactly(431);
    }

    @Test
    void trailersAreBoundedLikeHeaders() {
        HttpConfig config = HttpConfig.defaults().withMaxHeaderCount(2);

        Wire wire = Wire.run(config, OK, ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n").getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(431);
    }

    @Test
    void boundsChunkExtensionsOverTheWholeBody() {
        String chunk = "1;e=" + "x".repeat(4000) + "\r\nz\r\n";
        int chunks = ChunkedParser.MAX_EXTENSION_BYTES / 4000 + 1;

        Wire wire = Wire.run(HttpConfig.defaults(), OK, ("POST / HTTP/1.1\r\nHost: a\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + chunk.repeat(chunks) + "0\r\n\r\n").getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(400);
    }

    @Test
    void consumesBodyBytesAsTheyArriveWithoutWaitingForAll() {
        Wire wire = new Wire(HttpConfig.defaults(), OK);

        wire.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10000000\r\n\r\n");
        wire.feed("abc");

        assertThat(wire.statuses()).as("statuses so far").isEmpty();
        assertThat(wire.leftover()).as("unconsumed").isZero();
        assertThat(wire.codec.progress()).as("progress").isEqualTo(dev.sluice.core.Codec.Progress.IN_BODY);
    }

    @Test
    void allocatesForTheBytesReceivedNotTheLengthAnnounced() {
        BodyBuffer body = new BodyBuffer();
        body.reset(10_000_000);

        body.append(java.nio.ByteBuffer.wrap(new byte[3]), 3);

        assertThat(body.capacity()).as("capacity: got %d; want at most 1024", body.capacity())
                .isLessThanOrEqualTo(1024);
    }
}
