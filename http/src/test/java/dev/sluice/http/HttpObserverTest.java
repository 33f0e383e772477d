package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ProtocolException;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an {@link HttpObserver} is told, driven through the codec with no socket and a fake clock. */
class HttpObserverTest {
    private static final String GET = "GET /a%20b?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: t/1\r\n"
            + "Referer: http://r/\r\n\r\n";
    private static final String POST = "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc";
    private static final HttpHandler HELLO = r -> HttpResponse.ok("hello\n");

    private final List<Exchange> seen = new ArrayList<>();
    private long now = 1_000;

    /** A connection: reads are appended to what the codec left; decode, handle, encode; an error closes. */
    private final class Conn {
        final HttpCodec codec;
        final HttpHandler handler;
        final CapturingOutput out = new CapturingOutput();
        byte[] pending = new byte[0];
        boolean closed;

        Conn(HttpConfig config, HttpHandler handler) {
            this.codec = new HttpCodec(config, Wire.INFO, new DateCache(InstantSource.fixed(Wire.NOW)),
                    seen::add, () -> now);
            this.handler = handler;
        }

        Conn feed(String latin1) {
            byte[] joined = Arrays.copyOf(pending, pending.length + latin1.length());
            System.arraycopy(latin1.getBytes(StandardCharsets.ISO_8859_1), 0, joined, pending.length,
                    latin1.length());
            ByteBuffer in = ByteBuffer.wrap(joined);
            while (!closed) {
                HttpRequest request;
                try {
                    request = codec.decode(in, out);
                } catch (ProtocolException e) {
                    codec.encodeError(e, out);
                    closed = true;
                    break;
                }
                if (request == null) {
                    break;
                }
                boolean keep;
                try {
                    keep = codec.encode(handler.handle(request), out, false);
                } catch (Exception e) {
                    keep = codec.encodeFailure(e, out, false);
                }
                closed = !keep;
            }
            pending = Arrays.copyOfRange(joined, in.position(), joined.length);
            return this;
        }

        String output() {
            return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
        }
    }

    private Conn conn(HttpHandler handler) {
        return new Conn(HttpConfig.defaults(), handler);
    }

    @Test
    void aRequestTimeoutIsReportedWithItsRequestBytesAndTime() throws ProtocolException {
        HttpCodec codec = new HttpCodec(HttpConfig.defaults(), Wire.INFO,
                new DateCache(InstantSource.fixed(Wire.NOW)), seen::add, () -> now);
        String get = "GET /slow HTTP/1.1\r\nHost: h\r\n\r\n";
        CapturingOutput out = new CapturingOutput();
        assertThat(codec.decode(ByteBuffer.wrap(get.getBytes(StandardCharsets.US_ASCII)), out)).isNotNull();
        now += 60_000_000_000L; // the handler ran past a 60 s request timeout
        codec.encodeRequestTimeout(out);
        assertThat(seen).hasSize(1);
        Exchange e = seen.get(0);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.target()).isEqualTo("/slow");
        assertThat(e.requestBytes()).isEqualTo(get.length());
        assertThat(e.durationNanos()).isEqualTo(60_000_000_000L);
    }

    @Test
    void reportsEachPipelinedExchangeWithItsRequestAndByteCounts() {
        Conn c = conn(HELLO).feed(GET + POST);

        assertThat(seen).as("exchanges").hasSize(2);
        Exchange get = seen.get(0);
        assertThat(get.method()).isEqualTo("GET");
        assertThat(get.target()).isEqualTo("/a%20b?x=1");
        assertThat(get.rawPath()).isEqualTo("/a%20b");
        assertThat(get.version()).isEqualTo("HTTP/1.1");
        assertThat(get.userAgent()).isEqualTo("t/1");
        assertThat(get.referer()).isEqualTo("http://r/");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.bodyBytes()).as("body bytes").isEqualTo(6);
        assertThat(get.requestBytes()).as("request bytes").isEqualTo(GET.length());
        assertThat(get.remoteAddress()).isEqualTo(Wire.INFO.remote());
        assertThat(get.connectionId()).isEqualTo(Wire.INFO.id());
        Exchange post = seen.get(1);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.requestBytes()).as("request bytes, body included").isEqualTo(POST.length());
        assertThat(post.referer()).as("absent header").isNull();
        assertThat(get.responseBytes() + post.responseBytes()).as("response bytes add up to the output")
                .isEqualTo(c.output().length());
        int head = c.output().indexOf("\r\n\r\n") + 4;
        assertThat(get.responseBytes() - get.bodyBytes()).as("head bytes").isEqualTo(head);
    }

    @Test
    void countsTheSameWhateverTheReadsAreSplitAt() {
        String input = GET + POST + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n";
        conn(HELLO).feed(input);
        List<String> whole = summaries();
        for (int cut = 1; cut < input.length(); cut++) {
            seen.clear();
            conn(HELLO).feed(input.substring(0, cut)).feed(input.substring(cut));
            assertThat(summaries()).as("split at %d", cut).isEqualTo(whole);
        }
        seen.clear();
        Conn bytewise = conn(HELLO);
        for (char ch : input.toCharArray()) {
            bytewise.feed(String.valueOf(ch));
        }
        assertThat(summaries()).as("byte by byte").isEqualTo(whole);
        assertThat(whole.get(2)).as("chunked request bytes").startsWith("POST /c 200 in=")
                .endsWith("in=" + (input.length() - GET.length() - POST.length()) + " body=6");
    }

    @Test
    void timesFromTheFirstByteConsumedToTheResponseEncoded() {
        Conn c = conn(r -> {
            now = 1_900; // the handler takes time
            return HttpResponse.ok("x");
        });
        now = 1_100;
        c.feed("GET / HT");
        now = 1_500;
        c.feed("TP/1.1\r\nHost: h\r\n\r\n");

        assertThat(seen.get(0).startNanos()).as("start").isEqualTo(1_100);
        assertThat(seen.get(0).endNanos()).as("end").isEqualTo(1_900);
        assertThat(seen.get(0).durationNanos()).as("duration").isEqualTo(800);
    }

    @Test
    void reportsAMalformedRequestWithoutItsRequestLine() {
        Conn c = conn(HELLO);
        c.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\nBAD\r\n\r\n");

        assertThat(seen).extracting(Exchange::status).containsExactly(200, 400);
        Exchange bad = seen.get(1);
        assertThat(bad.method()).as("method").isNull();
        assertThat(bad.target()).as("target").isNull();
        assertThat(bad.userAgent()).as("user agent").isNull();
        assertThat(bad.requestBytes()).as("bytes consumed up to the error").isEqualTo("BAD\r\n".length());
        String second = c.output().substring(c.output().indexOf("HTTP/1.1 400"));
        assertThat(bad.bodyBytes()).as("body of the 400: %s", second)
                .isEqualTo(second.length() - second.indexOf("\r\n\r\n") - 4);
    }

    @Test
    void reportsARefusedBodyWithItsHeadAndCountsTheNextRequestAlone() {
        Conn c = new Conn(HttpConfig.defaults().withMaxBodyBytes(2), HELLO);
        String big = "POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n";
        c.feed(big + "hello" + GET);

        assertThat(seen).extracting(Exchange::status).as(c.output()).containsExactly(413, 200);
        assertThat(seen.get(0).method()).isEqualTo("POST");
        assertThat(seen.get(0).target()).isEqualTo("/up");
        assertThat(seen.get(0).requestBytes()).as("the head only").isEqualTo(big.length());
        assertThat(seen.get(1).requestBytes()).as("next request, without the discarded body")
                .isEqualTo(GET.length());
    }

    @Test
    void reportsRefusalsThatCloseWithTheirRequestLine() {
        HttpConfig small = HttpConfig.defaults().withMaxBodyBytes(2);
        Conn chunked = new Conn(small, HELLO);
        chunked.feed("PUT /x HTTP/1.1\r\nHost: h\r\nUser-Agent: u\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n");
        Conn expecting = new Conn(small, HELLO);
        expecting.feed("POST /y HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");

        assertThat(chunked.closed && expecting.closed).as("both closed").isTrue();
        assertThat(summaries()).as("a body too large, found in its chunks (read up to the size line) or from its length")
                .containsExactly("PUT /x 413 in=74 body=18", "POST /y 413 in=70 body=18");
        assertThat(seen.get(0).userAgent()).isEqualTo("u");
    }

    @Test
    void reportsTheHeaderTimeoutFromTheFirstByte() {
        Conn c = conn(HELLO);
        now = 2_000;
        c.feed("GET /slow HTTP/1.1\r\nHo");
        now = 12_000;
        c.codec.encodeTimeout(c.out);

        Exchange e = seen.get(0);
        assertThat(e.status()).isEqualTo(408);
        assertThat(e.method()).isNull();
        assertThat(e.durationNanos()).isEqualTo(10_000);
        assertThat(e.requestBytes()).isEqualTo("GET /slow HTTP/1.1\r\nHo".length());
    }

    @Test
    void reportsTheStatusActuallySent() {
        conn(r -> switch (r.rawPath()) {
            case "/missing" -> HttpResponse.status(200).withFile(Path.of("/no/such/file"));
            case "/throws" -> throw new IllegalStateException("bug");
            case "/empty" -> HttpResponse.status(204);
            default -> HttpResponse.ok("hi");
        }).feed(get("/missing") + get("/throws") + get("/empty") + "HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(summaries()).containsExactly("GET /missing 404 in=34 body=10",
                "GET /throws 500 in=33 body=22", "GET /empty 204 in=32 body=0", "HEAD / 200 in=28 body=0");
    }

    @Test
    void countsAChunkedStreamBodyWithItsFraming() {
        Conn c = conn(r -> HttpResponse.status(200)
                .withBody(new ByteArrayInputStream("streamed".getBytes(StandardCharsets.US_ASCII))));
        c.feed(get("/s"));

        String out = c.output();
        assertThat(seen.get(0).bodyBytes()).as(out).isEqualTo(out.length() - out.indexOf("\r\n\r\n") - 4)
                .isEqualTo("8\r\nstreamed\r\n0\r\n\r\n".length());
    }

    @Test
    void anObserverThatThrowsDoesNotDisturbTheConnection() {
        HttpCodec codec = new HttpCodec(HttpConfig.defaults(), Wire.INFO, DateCache.SYSTEM,
                e -> {
                    throw new IllegalStateException("observer bug");
                }, System::nanoTime);
        CapturingOutput out = new CapturingOutput();

        for (int i = 0; i < 2; i++) {
            HttpRequest r = decode(codec, get("/" + i), out);
            assertThat(codec.encode(HttpResponse.ok("ok"), out, false)).as("kept open").isTrue();
            assertThat(r.rawPath()).isEqualTo("/" + i);
        }
        assertThat(new String(out.toByteArray(), StandardCharsets.US_ASCII).split("HTTP/1.1 200", -1))
                .hasSize(3);
    }

    @Test
    void encodesTheSameBytesWithAndWithoutAnObserver() {
        String input = GET + POST + "GET /x HTTP/1.0\r\n\r\n";
        Conn observed = conn(new Echo()).feed(input);
        Wire plain = Wire.run(HttpConfig.defaults(), new Echo(), input.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(observed.output()).isEqualTo(plain.output());
        assertThat(seen).hasSize(3);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }

    private static HttpRequest decode(HttpCodec codec, String request, CapturingOutput out) {
        try {
            return codec.decode(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)), out);
        } catch (HttpException e) {
            throw new AssertionError(e);
        }
    }

    private List<String> summaries() {
        return seen.stream().map(e -> e.method() + " " + e.target() + " " + e.status() + " in="
                + e.requestBytes() + " body=" + e.bodyBytes()).toList();
    }
}
