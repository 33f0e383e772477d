package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw request bytes in, exact statuses and connection fate out: RFC 9112 and RFC 9110 rules, and
 * the smuggling families of the published research (James Kettle's CL.TE / TE.CL / TE.TE, HTTP
 * Garden, Http11Probe, and CVEs in Netty, Jetty, Tomcat, Undertow and Node's llhttp; those have
 * named tests of their own in {@link SmugglingTest}). Every row is
 * fed whole, one byte per read, and split in two at every offset; all must write the same bytes,
 * and since the handler echoes what it decoded, the same bytes mean the same requests.
 *
 * <p>An expectation is the statuses written, in order (100 included), then {@code keep} or
 * {@code close}; {@code - wait} means nothing written yet and the connection open.
 */
class ConformanceTest {
    private static final String H = "Host: example.com\r\n";
    private static final String GET = "GET / HTTP/1.1\r\n" + H + "\r\n";
    private static final HttpHandler OK = new Echo();

    static Stream<Arguments> rows() {
        return Stream.of(
            // Valid requests (RFC 9112 3, 5, 6, 7).
            row("simple GET", GET, "200 keep"),
            row("HTTP/1.0 GET without Host closes", "GET / HTTP/1.0\r\n\r\n", "200 close"),
            row("HTTP/1.0 keep-alive persists", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "200 keep"),
            row("HTTP/1.1 Connection: close", "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n", "200 close"),
            row("Connection: keep-alive, close closes", "GET / HTTP/1.1\r\n" + H + "Connection: keep-alive, close\r\n\r\n", "200 close"),
            row("POST with Content-Length", post("Content-Length: 5\r\n", "hello"), "200 keep"),
            row("POST with Content-Length: 0", post("Content-Length: 0\r\n", ""), "200 keep"),
            row("POST without length has no body", post("", ""), "200 keep"),
            row("Content-Length with leading zeros", post("Content-Length: 005\r\n", "hello"), "200 keep"),
            row("tab as whitespace before value", post("Content-Length:\t5\r\n", "hello"), "200 keep"),
            row("chunked body", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), "200 keep"),
            row("chunked, several chunks, upper-case hex", post("Transfer-Encoding: chunked\r\n", "A\r\n0123456789\r\n1\r\nx\r\n0\r\n\r\n"), "200 keep"),
            row("chunked, empty body", post("Transfer-Encoding: chunked\r\n", "0\r\n\r\n"), "200 keep"),
            row("chunk extensions are ignored", post("Transfer-Encoding: chunked\r\n", "5 ;name=value; q=\"a \\\"b\";flag\r\nhello\r\n0;last\r\n\r\n"), "200 keep"),
            row("chunked with trailer", post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"), "200 keep"),
            row("chunk sizes with leading zeros", post("Transfer-Encoding: chunked\r\n", "0005\r\nhello\r\n000\r\n\r\n"), "200 keep"),
            row("TE: coding names ignore case", post("Transfer-Encoding: Chunked\r\n", "0\r\n\r\n"), "200 keep"),
            row("TE: whitespace around value", post("Transfer-Encoding: \t chunked \t\r\n", "0\r\n\r\n"), "200 keep"),
            row("TE: empty list elements ignored", post("Transfer-Encoding: , chunked,\r\n", "0\r\n\r\n"), "200 keep"),
            row("empty line before request line", "\r\n" + GET, "200 keep"),
            row("OPTIONS *", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", "200 keep"),
            row("absolute-form target", "GET http://example.com/x?y=1 HTTP/1.1\r\nHost: other.example\r\n\r\n", "200 keep"),
            row("absolute-form https without path", "GET HTTPS://example.com:8443 HTTP/1.1\r\n" + H + "\r\n", "200 keep"),
            row("HTTP/1.2 served as 1.1", "GET / HTTP/1.2\r\n" + H + "\r\n", "200 keep"),
            row("Host with port", "GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n", "200 keep"),
            row("Host as IPv6 literal", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n", "200 keep"),
            row("obs-text in a field value", "GET / HTTP/1.1\r\n" + H + "X-Name: caf\u00e9\r\n\r\n", "200 keep"),
            row("empty field value", "GET / HTTP/1.1\r\n" + H + "X-Empty:\r\n\r\n", "200 keep"),
            row("unknown method goes to the handler", "PURGE / HTTP/1.1\r\n" + H + "\r\n", "200 keep"),
            row("percent-encoded target", "GET /a%20b?x=%41&y=%00 HTTP/1.1\r\n" + H + "\r\n", "200 keep"),
            row("Upgrade is ignored", "GET / HTTP/1.1\r\n" + H + "Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n", "200 keep"),
            row("Transfer_Encoding is an ordinary field", post("Transfer_Encoding: chunked\r\n", ""), "200 keep"),
            row("Content_Length is an ordinary field", post("Content_Length: 5\r\n", ""), "200 keep"),
            row("HEAD", "HEAD / HTTP/1.1\r\n" + H + "\r\n", "200 keep"),
            row("Expect: 100-continue", post("Expect: 100-continue\r\nContent-Length: 5\r\n", "hello"), "100,200 keep"),
            row("Expect: 100-continue, chunked", post("Expect: 100-Continue\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), "100,200 keep"),
            row("Expect: 100-continue without body", post("Expect: 100-continue\r\n", ""), "200 keep"),
            row("Expect: 100-continue ignored in HTTP/1.0", "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", "200 close"),
            row("Expect: unknown, no body", post("Expect: teapot\r\n", ""), "417 keep"),
            row("Expect: unknown, small body drained", post("Expect: teapot\r\nContent-Length: 3\r\n", "abc") + GET, "417,200 keep"),
            row("Expect: unknown with 100-continue closes", post("Expect: 100-continue, teapot\r\nContent-Length: 3\r\n", "abc"), "417 close"),
            row("Expect: unknown with chunked body closes", post("Expect: teapot\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), "417 close"),

            // Pipelines: answered in order; a body is never parsed as a request.
            row("three pipelined GETs", GET + GET + GET, "200,200,200 keep"),
            row("pipelined POST then GET", post("Content-Length: 5\r\n", "hello") + GET, "200,200 keep"),
            row("request inside a body is not a request", withLength("GET /admin HTTP/1.1\r\nHost: evil\r\n\r\n"), "200 keep"),
            row("GET with a body, then a GET", "GET / HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabc" + GET, "200,200 keep"),
            row("HEAD with a body, then a GET", "HEAD / HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nabc" + GET, "200,200 keep"),
            row("CRLF after a body, then a GET", post("Content-Length: 2\r\n", "hi") + "\r\n" + GET, "200,200 keep"),
            row("pipeline after Connection: close is not read", "GET / HTTP/1.1\r\n" + H + "Connection: close\r\n\r\n" + GET, "200 close"),
            row("pipeline stops at a bad request", GET + "GET  / HTTP/1.1\r\n" + H + "\r\n" + GET, "200,400 close"),
            row("trailer Content-Length does not frame", post("Transfer-Encoding: chunked\r\n", "0\r\nContent-Length: 50\r\n\r\n") + GET, "200,200 keep"),
            row("incomplete chunked body waits", post("Transfer-Encoding: chunked\r\n", "5\r\nhel"), "- wait"),
            row("incomplete head waits", "GET / HTTP/1.1\r\nHost: a", "- wait"),

            // Request line (RFC 9112 3).
            row("two spaces after method", "GET  / HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("tab as separator", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("trailing space", "GET / HTTP/1.1 \r\n" + H + "\r\n", "400 close"),
            row("leading space", " GET / HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("missing target", "GET HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("HTTP/0.9 request line", "GET /\r\n\r\n", "400 close"),
            row("lower-case version name", "GET / http/1.1\r\n" + H + "\r\n", "400 close"),
            row("version without minor", "GET / HTTP/1\r\n" + H + "\r\n", "400 close"),
            row("version with leading zero", "GET / HTTP/01.1\r\n" + H + "\r\n", "400 close"),
            row("version with two-digit minor", "GET / HTTP/1.10\r\n" + H + "\r\n", "400 close"),
            row("HTTP/2.0 is 505", "GET / HTTP/2.0\r\n" + H + "\r\n", "505 close"),
            row("HTTP/3.0 is 505", "GET / HTTP/3.0\r\n" + H + "\r\n", "505 close"),
            row("HTTP/0.9 version is 505", "GET / HTTP/0.9\r\n" + H + "\r\n", "505 close"),
            row("HTTP/2 connection preface is 505", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "505 close"),
            row("fragment in target", "GET /a#frag HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("raw UTF-8 in target", "GET /caf\u00c3\u00a9 HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("overlong UTF-8 in target", "GET /\u00c0\u00af HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("NUL in target", "GET /\0 HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("control character in target", "GET /\u0001 HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("DEL in target", "GET /\u007f HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("backslash in target", "GET /a\\b HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("unescaped braces in path", "GET /{x} HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("brackets, braces and pipe in query pass", "GET /?ids[]=1&q={a|b}^` HTTP/1.1\r\n" + H + "\r\n", "200 keep"),
            row("quote in query", "GET /?q=\"a\" HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("brackets in path", "GET /a[0] HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("bad percent-encoding", "GET /%zz HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("truncated percent-encoding", "GET /a%4 HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("percent-encoded NUL in path", "GET /a%00b HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("asterisk-form with GET", "GET * HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("CONNECT is not implemented", "CONNECT example.com:443 HTTP/1.1\r\n" + H + "\r\n", "501 close"),
            row("authority-form with GET", "GET example.com:80 HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("absolute-form with userinfo", "GET http://user@example.com/ HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("absolute-form with empty host", "GET http:///x HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("absolute-form with other scheme", "GET ftp://example.com/ HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("method with a non-token char", "GE(T / HTTP/1.1\r\n" + H + "\r\n", "400 close"),
            row("method longer than any implemented", "A".repeat(33) + " / HTTP/1.1\r\n" + H + "\r\n", "501 close"),
            row("request line over 8 KiB", "GET /" + "a".repeat(8200) + " HTTP/1.1\r\n" + H + "\r\n", "414 close"),
            row("binary garbage (a TLS hello)", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u01fc\u0003\u0003", "400 close"),
            row("whitespace-only line", "   \r\n" + GET, "400 close"),
            row("too many empty lines", "\r\n".repeat(9) + GET, "400 close"),

            // Line endings (RFC 9112 2.2): CRLF only; bare CR and LF one at a time are in SmugglingTest.
            row("bare LF everywhere", "GET / HTTP/1.1\nHost: example.com\n\n", "400 close"),

            // Field syntax (RFC 9112 5, RFC 9110 5.5).
            row("whitespace before colon", "GET / HTTP/1.1\r\nHost : example.com\r\n\r\n", "400 close"),
            row("tab before colon", "GET / HTTP/1.1\r\n" + H + "X\t: y\r\n\r\n", "400 close"),
            row("obs-fold", "GET / HTTP/1.1\r\n" + H + "X: a\r\n b\r\n\r\n", "400 close"),
            row("whitespace before first field", "GET / HTTP/1.1\r\n " + H + "\r\n", "400 close"),
            row("empty field name", "GET / HTTP/1.1\r\n" + H + ": x\r\n\r\n", "400 close"),
            row("field line without colon", "GET / HTTP/1.1\r\n" + H + "X y\r\n\r\n", "400 close"),
            row("brackets in a field name", "GET / HTTP/1.1\r\n" + H + "X[y]: z\r\n\r\n", "400 close"),
            row("non-ASCII in a field name", "GET / HTTP/1.1\r\n" + H + "X\u00e9: z\r\n\r\n", "400 close"),
            row("NUL in a field value", "GET / HTTP/1.1\r\n" + H + "X: a\0b\r\n\r\n", "400 close"),
            row("control character in a field value", "GET / HTTP/1.1\r\n" + H + "X: a\u0001b\r\n\r\n", "400 close"),
            row("DEL in a field value", "GET / HTTP/1.1\r\n" + H + "X: a\u007fb\r\n\r\n", "400 close"),
            row("101 fields", "GET / HTTP/1.1\r\n" + H + "X: y\r\n".repeat(100) + "\r\n", "431 close"),
            row("100 fields", "GET / HTTP/1.1\r\n" + H + "X: y\r\n".repeat(99) + "\r\n", "200 keep"),
            row("header section over 32 KiB", "GET / HTTP/1.1\r\n" + H + "X: " + "y".repeat(33 * 1024) + "\r\n\r\n", "431 close"),

            // Host (RFC 9112 3.2).
            row("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", "400 close"),
            row("absolute-form still needs Host", "GET http://example.com/ HTTP/1.1\r\n\r\n", "400 close"),
            row("two Host fields", "GET / HTTP/1.1\r\n" + H + "Host: other.example\r\n\r\n", "400 close"),
            row("two identical Host fields", "GET / HTTP/1.1\r\n" + H + H + "\r\n", "400 close"),
            row("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n", "400 close"),
            row("Host as a list", "GET / HTTP/1.1\r\nHost: a.example, b.example\r\n\r\n", "400 close"),
            row("Host with userinfo", "GET / HTTP/1.1\r\nHost: user@example.com\r\n\r\n", "400 close"),
            row("Host with a path", "GET / HTTP/1.1\r\nHost: example.com/admin\r\n\r\n", "400 close"),
            row("Host with a bad port", "GET / HTTP/1.1\r\nHost: example.com:8x\r\n\r\n", "400 close"),
            row("invalid Host in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n", "400 close"),

            // Body limits (the smuggling families are in SmugglingTest).
            row("CL over the body limit", post("Content-Length: 10485761\r\n", ""), "413 close"),
            row("CL over the body limit with 100-continue", post("Expect: 100-continue\r\nContent-Length: 10485761\r\n", ""), "413 close"),
            row("chunk size over the body limit", post("Transfer-Encoding: chunked\r\n", "a00001\r\n"), "413 close")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answersWithExactStatusAndConnectionFate(String name, byte[] raw, String expect) {
        Wire whole = Wire.run(HttpConfig.defaults(), OK, raw);

        String got = describe(whole);
        assertThat(got).as("%s: got %s; want %s", name, got, expect).isEqualTo(expect);
        if (whole.closed) {
            List<Responses.Response> responses = whole.responses();
            String connection = responses.get(responses.size() - 1).header("Connection");
            assertThat(connection).as("%s: Connection got %s; want close", name, connection)
                    .isEqualTo("close");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answersTheSameWhateverTheSplit(String name, byte[] raw, String expect) {
        Wire whole = Wire.run(HttpConfig.defaults(), OK, raw);
        String want = whole.output();

        Wire bytewise = Wire.bytewise(HttpConfig.defaults(), OK, raw);
        assertThat(bytewise.output()).as("%s fed byte by byte: got %s; want %s", name,
                bytewise.output(), want).isEqualTo(want);
        assertThat(bytewise.closed).as("%s fed byte by byte: closed", name).isEqualTo(whole.closed);

        int step = raw.length > 2048 ? 61 : 1;
        for (int cut = 1; cut < raw.length; cut += step) {
            Wire split = Wire.run(HttpConfig.defaults(), OK, raw, cut);
            assertThat(split.output()).as("%s split at %d: got %s; want %s", name, cut,
                    split.output(), want).isEqualTo(want);
            assertThat(split.closed).as("%s split at %d: closed", name, cut).isEqualTo(whole.closed);
        }
    }

    private static String describe(Wire wire) {
        List<Integer> statuses = wire.statuses();
        if (statuses.isEmpty()) {
            return wire.closed ? "- close" : "- wait";
        }
        return String.join(",", statuses.stream().map(String::valueOf).toList())
                + (wire.closed ? " close" : " keep");
    }

    private static String post(String fields, String body) {
        return "POST / HTTP/1.1\r\n" + H + fields + "\r\n" + body;
    }

    private static String withLength(String body) {
        return post("Content-Length: " + body.length() + "\r\n", body);
    }

    private static Arguments row(String name, String raw, String expect) {
        return Arguments.of(name, raw.getBytes(StandardCharsets.ISO_8859_1), expect);
    }
}
