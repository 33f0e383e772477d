package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Codec.Progress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One connection's exchanges through the codec: order, interim responses, failures, timeouts. */
class ExchangeTest {
    private static final HttpHandler ECHO = new Echo();

    @Test
    void decodesPipelinedRequestsInOrderLeavingTheRestUnconsumed() throws Exception {
        HttpCodec codec = new HttpCodec(HttpConfig.defaults(), Wire.INFO, DateCache.SYSTEM);
        ByteBuffer in = ByteBuffer.wrap(("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "DELETE /3 HTTP/1.1\r\nHost: a\r\n\r\nGET /4 HT").getBytes(StandardCharsets.US_ASCII));
        CapturingOutput out = new CapturingOutput();

        List<String> got = new ArrayList<>();
        for (HttpRequest r; (r = codec.decode(in, out)) != null; ) {
            got.add(r.method() + " " + r.target() + " " + r.bodyText());
            codec.encode(HttpResponse.status(204), out, false);
        }

        assertThat(got).as("requests").containsExactly("GET /1 ", "POST /2 abc", "DELETE /3 ");
        assertThat(in.remaining()).as("unconsumed bytes: got %d; want 0", in.remaining()).isZero();
        assertThat(codec.progress()).as("progress").isEqualTo(Progress.IN_HEAD);
    }

    @Test
    void reportsProgressThroughAMessage() throws Exception {
        HttpCodec codec = new HttpCodec(HttpConfig.defaults(), Wire.INFO, DateCache.SYSTEM);
        CapturingOutput out = new CapturingOutput();
        List<Progress> got = new ArrayList<>();
        got.add(codec.progress());
        for (String piece : new String[] {"P", "OST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n", "h", "i"}) {
            HttpRequest r = codec.decode(ByteBuffer.wrap(piece.getBytes(StandardCharsets.US_ASCII)), out);
            if (r != null) {
                codec.encode(HttpResponse.status(204), out, false);
            }
            got.add(codec.progress());
        }

        assertThat(got).as("progress after each read").containsExactly(Progress.BETWEEN_MESSAGES,
                Progress.IN_HEAD, Progress.IN_BODY, Progress.IN_BODY, Progress.BETWEEN_MESSAGES);
    }

    @Test
    void sendsContinueOnlyOnceTheHeadIsAcceptedAndBeforeTheBodyIsRead() {
        Wire wire = new Wire(HttpConfig.defaults(), ECHO);

        wire.feed("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
        String afterHead = wire.output();
        wire.feed("hello");

        assertThat(afterHead).as("after the head").isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(wire.statuses()).as("statuses").containsExactly(100, 200);
        assertThat(wire.responses().get(1).bodyText()).as("body").contains("body[5]=hello");
    }

    @Test
    void refusesAnOversizedBodyFromItsContentLengthBeforeReadingIt() {
        Wire wire = new Wire(HttpConfig.defaults().withMaxBodyBytes(4).withMaxDrainBytes(0), ECHO);

        wire.feed("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");

        assertThat(wire.statuses()).as("statuses, before any body byte").containsExactly(413);
        assertThat(wire.closed).as("closed").isTrue();
    }

    @Test
    void refusesChunksThatAddUpPastTheBodyLimit() {
        Wire wire = Wire.run(HttpConfig.defaults().withMaxBodyBytes(8), ECHO,
                ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n3\r\nabc\r\n1\r\nx\r\n0\r\n\r\n").getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(413);
        assertThat(wire.handled).as("handled").isEmpty();
    }

    @Test
    void acceptsABodyExactlyAtTheLimit() {
        Wire wire = Wire.run(HttpConfig.defaults().withMaxBodyBytes(8), ECHO,
                ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n").getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(200);
        assertThat(wire.handled.get(0).bodyText()).as("body").isEqualTo("helloabc");
    }

    @Test
    void drainsASmallRefusedBodyAndServesTheNextRequest() {
        HttpConfig config = HttpConfig.defaults().withMaxBodyBytes(4).withMaxDrainBytes(16);
        String refused = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nGET / HTTP";

        Wire wire = Wire.run(config, ECHO, (refused + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n").getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(413, 200);
        assertThat(wire.handled).as("handled").hasSize(1);
        assertThat(wire.handled.get(0).target()).as("target").isEqualTo("/next");
        assertThat(wire.closed).as("closed").isFalse();
    }

    @Test
    void closesRatherThanDrainAPastTheDrainLimit() {
        HttpConfig config = HttpConfig.defaults().withMaxBodyBytes(4).withMaxDrainBytes(9);

        Wire wire = Wire.run(config, ECHO,
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789".getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(413);
        assertThat(wire.closed).as("closed").isTrue();
    }

    @Test
    void answersAThrowingHandlerWith500AndKeepsTheConnection() {
        HttpHandler failing = request -> {
            if (request.path().equals("/boom")) {
                throw new IllegalStateException("boom");
            }
            return HttpResponse.ok("fine");
        };

        Wire wire = Wire.run(HttpConfig.defaults(), failing, ("POST /boom HTTP/1.1\r\nHost: a\r\n"
                + "Content-Length: 3\r\n\r\nabcGET / HTTP/1.1\r\nHost: a\r\n\r\n").getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(500, 200);
        assertThat(wire.responses().get(0).bodyText()).as("500 body").doesNotContain("boom");
        assertThat(wire.closed).as("closed").isFalse();
    }

    @Test
    void answersAHandlersHttpExceptionWithItsStatus() {
        HttpHandler forbidden = request -> {
            throw new HttpException(403, "Forbidden");
        };

        Wire wire = Wire.run(HttpConfig.defaults(), forbidden, "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(403);
        assertThat(wire.closed).as("closed").isFalse();
    }

    @Test
    void answersAHandlerReturningNullWith500() {
        Wire wire = Wire.run(HttpConfig.defaults(), request -> null, "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(500);
    }

    @Test
    void errorResponsesNeverEchoTheClientsInput() {
        String secret = "S3cr3tInput";
        String[] bad = {
            "GET /" + secret + "# HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n" + secret + " : x\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + secret + "\r\n\r\n",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: " + secret + "\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: " + secret + "/x\r\n\r\n",
        };
        for (String raw : bad) {
            Wire wire = Wire.run(HttpConfig.defaults(), ECHO, raw.getBytes());
            assertThat(wire.statuses()).as("statuses for %s", raw).containsExactly(400);
            assertThat(wire.output()).as("error response to %s", raw).doesNotContain(secret);
        }
    }

    @Test
    void answersTheHeaderTimeoutWith408AndClose() {
        HttpCodec codec = new HttpCodec(HttpConfig.defaults(), Wire.INFO, new DateCache(java.time.InstantSource.fixed(Wire.NOW)));
        CapturingOutput out = new CapturingOutput();

        codec.encodeTimeout(out);

        String got = new String(out.toByteArray(), StandardCharsets.US_ASCII);
        assertThat(got).as("timeout answer").isEqualTo("HTTP/1.1 408 Request Timeout\r\n" + Wire.DATE + Wire.SERVER
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 16\r\n"
                + "Connection: close\r\n\r\nRequest timeout\n");
    }

    @Test
    void rejectsOverloadWith503RetryAfterAndClose() {
        byte[] rejection = HttpProtocol.create(HttpConfig.defaults().withRetryAfter(java.time.Duration.ofSeconds(7)),
                request -> HttpResponse.ok("")).rejection();

        List<Responses.Response> got = Responses.parse(rejection, List.of());

        assertThat(got).as("responses").hasSize(1);
        assertThat(got.get(0).status()).as("status").isEqualTo(503);
        assertThat(got.get(0).header("Retry-After")).as("Retry-After").isEqualTo("7");
        assertThat(got.get(0).header("Connection")).as("Connection").isEqualTo("close");
    }

    @Test
    void declaresNonBlockingHandlersToTheCore() {
        HttpHandler handler = request -> HttpResponse.ok("");

        assertThat(HttpProtocol.create(handler).handler().mayBlock()).as("default").isTrue();
        assertThat(HttpProtocol.create(HttpHandler.nonBlocking(handler)).handler().mayBlock())
                .as("nonBlocking").isFalse();
    }
}
