package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classic request-smuggling families, one named test each: CL.TE, TE.CL, TE.TE obfuscations,
 * duplicate or malformed Content-Length, chunk-size overflow and chunk-line abuse, bare CR, bare LF
 * and NUL, and request-line tricks. Each attack is followed on the same connection by a request for
 * {@code /smuggled}; the attack must get its exact status and reason with {@code Connection: close},
 * the connection must close, and neither the attack nor the bytes after it may ever reach the
 * handler as a request. Every input is fed whole, one byte per read and split at every offset, and
 * all must write the same bytes (see {@link ConformanceTest} for the framing that is accepted).
 */
class SmugglingTest {
    private static final String H = "Host: example.com\r\n";
    private static final String BOTH = "400 Both Transfer-Encoding and Content-Length";
    private static final String NEXT = "GET /smuggled HTTP/1.1\r\nHost: evil.example\r\n\r\n";

    @Test
    void clTeIsRefusedWhateverTheBodyWouldMeanToEitherReader() {
        // A front end that frames by Content-Length forwards all 6 bytes; one that frames by
        // chunked would see "G" start the next request. RFC 9112 6.3: both present is refused.
        refused(post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\nG"),
                BOTH);
        // The Content-Length covers the smuggled request, so a CL reader would see one request.
        String chunks = "0\r\n\r\n" + NEXT;
        refused(post("Content-Length: " + chunks.length() + "\r\nTransfer-Encoding: chunked\r\n", chunks),
                BOTH);
        refused(post("Content-Length: 5\r\nTRANSFER-ENCODING: chunked\r\n", "0\r\n\r\n"),
                BOTH);
        refused(post("Content-Length: 4\r\nTransfer-Encoding: xchunked\r\n", "0\r\n\r\n"), BOTH);
    }

    @Test
    void teClIsRefusedWhateverTheBodyWouldMeanToEitherReader() {
        // A chunked reader takes 0x5c bytes of "chunk"; a Content-Length reader takes 4 bytes
        // ("5c\r\n") and then reads "GPOST / ..." as the next request.
        refused(post("Transfer-Encoding: chunked\r\nContent-Length: 4\r\n",
                "5c\r\nGPOST / HTTP/1.1\r\nContent-Length: 15\r\n\r\nx=1\r\n0\r\n\r\n"),
                BOTH);
        refused(post("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n", "0\r\n\r\n"),
                BOTH);
        refused(post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\nContent-Length: 3\r\n", "0\r\n\r\n"),
                "400 Duplicate Content-Length");
    }

    @Test
    void teTeObfuscationsAreRefusedAloneAndWithAContentLength() {
        // Each of these hides "chunked" from some readers; alone each is refused, and next to a
        // Content-Length (the TE.TE attack: one hop ignores the TE and frames by CL) as well.
        String notFinal = "400 Chunked is not the final transfer coding";
        List<String[]> obfuscations = List.of(
                // Well-formed lists that do not end in chunked: with a Content-Length, "Both".
                te("Transfer-Encoding: xchunked\r\n", notFinal, BOTH),
                te("Transfer-Encoding: chunk\r\n", notFinal, BOTH),
                te("Transfer-Encoding: chunked, identity\r\n", notFinal, BOTH),
                te("Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n", notFinal, BOTH),
                te("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", notFinal, BOTH),
                te("Transfer-Encoding:\r\n", notFinal, BOTH),
                te("Transfer-Encoding: ,\r\n", notFinal, BOTH),
                te("Transfer-Encoding: identity\r\n", notFinal, BOTH),
                te("Transfer-Encoding: identity, chunked\r\n", "501 Transfer coding not implemented", BOTH),
                te("Transfer-Encoding: gzip, chunked\r\n", "501 Transfer coding not implemented", BOTH),
                te("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "501 Transfer coding not implemented", BOTH),
                // Refused as they are read, whatever else the head holds.
                te("Transfer-Encoding: chunked, chunked\r\n", "400 Chunked applied more than once"),
                te("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "400 Chunked applied more than once"),
                te("Transfer-Encoding: \"chunked\"\r\n", "400 Invalid Transfer-Encoding"),
                te("Transfer-Encoding: chunked;q=1\r\n", "400 Invalid Transfer-Encoding"),
                te("Transfer-Encoding: chunked x\r\n", "400 Invalid Transfer-Encoding"),
                te("Transfer-Encoding: \u000bchunked\r\n", "400 Control character in header section"),
                te("Transfer-Encoding: \u000cchunked\r\n", "400 Control character in header section"),
                te("Transfer-Encoding: chunked\0\r\n", "400 Control character in header section"),
                te("Transfer-Encoding: chunked\r\r\n", "400 Bare CR in header section"),
                te("Transfer-Encoding : chunked\r\n", "400 Whitespace before colon"),
                te("Transfer-Encoding\t: chunked\r\n", "400 Whitespace before colon"),
                te("Transfer-Encoding:\r\n chunked\r\n", "400 Obsolete line folding"),
                te("X: y\r\n Transfer-Encoding: chunked\r\n", "400 Obsolete line folding"),
                te("X: y\r\n\tTransfer-Encoding: chunked\r\n", "400 Obsolete line folding"),
                te("Transfer-Encoding\r\n", "400 Invalid header field name"),
                te("Trans\u00adfer-Encoding: chunked\r\n", "400 Invalid header field name"));
        for (String[] o : obfuscations) {
            refused(post(o[0], "0\r\n\r\n"), o[1]);
            refused(post("Content-Length: 5\r\n" + o[0], "0\r\n\r\n"), o[2]);
            refused(post(o[0] + "Content-Length: 5\r\n", "0\r\n\r\n"), o[2]);
        }
        refused("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "400 Transfer-Encoding in HTTP/1.0");
    }

    @Test
    void duplicateOrMalformedContentLengthIsRefused() {
        refused(post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), "400 Duplicate Content-Length");
        refused(post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), "400 Duplicate Content-Length");
        refused(post("Content-Length: 6\r\nX: y\r\ncontent-length: 5\r\n", "hello!"), "400 Duplicate Content-Length");
        for (String value : List.of("5, 5", "5,5", "5, 6", "+5", "-5", "-0", "0x5", "0X5", "5.0", "5e0",
                "1_0", "5 5", "\"5\"", "", "five", "0o5", "\u0665")) {
            refused(post("Content-Length: " + value + "\r\n", "hello"), "400 Invalid Content-Length");
        }
        // Too large to hold in 64 bits is just too large: refused before a byte of body is read.
        refused(post("Content-Length: 18446744073709551621\r\n", "hello"), "413 Content too large");
        refused(post("Content-Length: 99999999999999999999999999999999\r\n", "hello"), "413 Content too large");
    }

    @Test
    void chunkSizeOverflowAndChunkLineAbuseAreRefused() {
        String te = "Transfer-Encoding: chunked\r\n";
        // 2^64 + 5 wraps to 5 in a reader that does not guard the conversion.
        refused(post(te, "10000000000000005\r\nhello\r\n0\r\n\r\n"), "413 Content too large");
        refused(post(te, "8000000000000000\r\nhello\r\n0\r\n\r\n"), "413 Content too large");
        refused(post(te, "ffffffffffffffffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), "413 Content too large");
        refused(post(te, "-5\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk size");
        refused(post(te, "+5\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk size");
        refused(post(te, "0x5\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk extension");
        refused(post(te, " 5\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk size");
        refused(post(te, "5 \r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk extension");
        refused(post(te, "1_0\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk extension");
        refused(post(te, "3\r\nhello\r\n0\r\n\r\n"), "400 Chunk data not followed by CRLF");
        refused(post(te, "5\r\nhello0\r\n\r\n"), "400 Chunk data not followed by CRLF");
        // Extensions: bounded per line, then per body (CVE-2023-39326), and to the grammar.
        refused(post(te, "5;a=" + "b".repeat(4100) + "\r\nhello\r\n0\r\n\r\n"), "400 Chunk size line too long");
        refused(post(te, ("1;" + "e".repeat(4000) + "\r\nx\r\n").repeat(17) + "0\r\n\r\n"),
                "400 Chunk extensions too long");
        refused(post(te, "5;\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk extension");
        refused(post(te, "5;a=\"x\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk extension");
        refused(post(te, "5;a b\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk extension");
        // The last chunk's trailer section cannot frame anything: a Content-Length there is a
        // field, and what follows is the next request (checked in ConformanceTest); obs-fold is not.
        refused(post(te, "0\r\nX: y\r\n z\r\n\r\n"), "400 Obsolete line folding");
        // Leading zeros are hex digits like any other: 30 of them still frame 5 bytes exactly.
        served(post(te, "0".repeat(30) + "5\r\nhello\r\n0\r\n\r\n"), "hello");
    }

    @Test
    void bareCrBareLfAndNulAreRefusedWherever() {
        String te = "Transfer-Encoding: chunked\r\n";
        refused("GET / HTTP/1.1\r" + H + "\r\n", "400 Bare CR in request line");
        refused("GET / HTTP/1.1\n" + H + "\r\n", "400 Bare LF in request line");
        refused("GET /\r HTTP/1.1\r\n" + H + "\r\n", "400 Bare CR in request line");
        refused("GET /\0 HTTP/1.1\r\n" + H + "\r\n", "400 Invalid character in request line");
        refused("GET\0/ HTTP/1.1\r\n" + H + "\r\n", "400 Invalid character in request line");
        refused("\nGET / HTTP/1.1\r\n" + H + "\r\n", "400 Bare LF in request line");
        refused("GET / HTTP/1.1\r\n" + H + "X\rY: z\r\n\r\n", "400 Bare CR in header section");
        refused("GET / HTTP/1.1\r\n" + H + "X\nY: z\r\n\r\n", "400 Bare LF in header section");
        refused("GET / HTTP/1.1\r\n" + H + "X\0Y: z\r\n\r\n", "400 Control character in header section");
        refused("GET / HTTP/1.1\r\n" + H + "X: a\rb\r\n\r\n", "400 Bare CR in header section");
        refused("GET / HTTP/1.1\r\nHost: example.com\rX: y\r\n\r\n", "400 Bare CR in header section");
        refused("GET / HTTP/1.1\r\n" + H + "X: y\n\r\n", "400 Bare LF in header section");
        refused("GET / HTTP/1.1\r\n" + H + "\n", "400 Bare LF in header section");
        refused(post(te, "5\nhello\r\n0\r\n\r\n"), "400 Bare LF in chunk size line");
        refused(post(te, "5\rhello\r\n0\r\n\r\n"), "400 Bare CR in chunk size line");
        refused(post(te, "5;a\rb\r\nhello\r\n0\r\n\r\n"), "400 Bare CR in chunk size line");
        refused(post(te, "5;\nhello\r\n0\r\n\r\n"), "400 Bare LF in chunk size line");
        refused(post(te, "5\0\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk size line");
        refused(post(te, "5;a\0\r\nhello\r\n0\r\n\r\n"), "400 Invalid chunk size line");
        refused(post(te, "5\r\nhello\n0\r\n\r\n"), "400 Chunk data not followed by CRLF");
        refused(post(te, "5\r\nhello\r0\r\n\r\n"), "400 Chunk data not followed by CRLF");
        refused(post(te, "0\r\nX: y\n\r\n"), "400 Bare LF in header section");
        refused(post(te, "0\r\n\n"), "400 Bare LF in header section");
    }

    @Test
    void requestLineTricksAreRefused() {
        refused("GET  / HTTP/1.1\r\n" + H + "\r\n", "400 Invalid request line");
        refused("GET / HTTP/1.1 \r\n" + H + "\r\n", "400 Invalid request line");
        refused(" GET / HTTP/1.1\r\n" + H + "\r\n", "400 Invalid request line");
        refused("GET\t/ HTTP/1.1\r\n" + H + "\r\n", "400 Invalid character in request line");
        refused("GET /a b HTTP/1.1\r\n" + H + "\r\n", "400 Invalid request line");
        refused("GET / HTTP/1.1 GET /smuggled HTTP/1.1\r\n" + H + "\r\n", "400 Invalid request line");
        refused("GET /\r\n\r\n", "400 Invalid request line");
        refused("GET http://user@example.com/ HTTP/1.1\r\n" + H + "\r\n", "400 Userinfo in request target");
        refused("GET http:///x HTTP/1.1\r\n" + H + "\r\n", "400 Invalid authority in request target");
        refused("GET example.com:80 HTTP/1.1\r\n" + H + "\r\n", "400 Invalid request target");
        refused("GET * HTTP/1.1\r\n" + H + "\r\n", "400 Asterisk-form is for OPTIONS only");
        refused("GET /a#b HTTP/1.1\r\n" + H + "\r\n", "400 Fragment in request target");
        refused("GET /a%00b HTTP/1.1\r\n" + H + "\r\n", "400 Encoded NUL in path");
        refused("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400 Duplicate Host header");
        refused("GET / HTTP/1.1\r\nHost: a, b\r\n\r\n", "400 Invalid Host header");
        // Absolute-form: the target's authority names the host, whatever Host says (RFC 9112 3.2.2).
        Wire absolute = served("GET http://example.com/x HTTP/1.1\r\nHost: other.example\r\n\r\n", "");
        assertThat(absolute.handled.get(0).host()).as("host of an absolute-form request")
                .isEqualTo("example.com");
    }

    /** A Transfer-Encoding obfuscation refused the same way alone and next to a Content-Length. */
    private static String[] te(String fields, String refusal) {
        return te(fields, refusal, refusal);
    }

    /** A Transfer-Encoding obfuscation: how it is refused alone, and next to a Content-Length. */
    private static String[] te(String fields, String alone, String withLength) {
        return new String[] {fields, alone, withLength};
    }

    /**
     * Sends {@code attack} then {@link #NEXT}; wants exactly one response, {@code want} ("400
     * Reason"), with Connection: close, the connection closed and no request handled.
     */
    private static void refused(String attack, String want) {
        Wire wire = send(attack + NEXT);
        String what = printable(attack);
        String got = wire.statuses() + (wire.error == null ? "" : " " + wire.error.reason())
                + (wire.closed ? " close" : " keep");
        assertThat(got).as("%s: got %s; want [%s] close", what, got, want)
                .isEqualTo("[" + want.replaceFirst(" ", "] ") + " close");
        assertThat(wire.responses().get(0).header("Connection")).as("%s: Connection", what).isEqualTo("close");
        assertThat(wire.handled).as("%s: requests that reached the handler", what).isEmpty();
    }

    /** Sends {@code request} then {@link #NEXT}: both are served, the first with {@code body}. */
    private static Wire served(String request, String body) {
        Wire wire = send(request + NEXT);
        String what = printable(request);
        assertThat(wire.statuses()).as("%s: statuses", what).containsExactly(200, 200);
        assertThat(wire.closed).as("%s: closed", what).isFalse();
        assertThat(wire.handled.get(0).bodyText()).as("%s: body", what).isEqualTo(body);
        assertThat(wire.handled.get(1).target()).as("%s: second request", what).isEqualTo("/smuggled");
        return wire;
    }

    /** Feeds whole, byte by byte and split at every offset; all must write the same bytes. */
    private static Wire send(String raw) {
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        HttpHandler echo = new Echo();
        Wire whole = Wire.run(HttpConfig.defaults(), echo, bytes);
        String want = whole.output();
        Wire bytewise = Wire.bytewise(HttpConfig.defaults(), echo, bytes);
        assertThat(bytewise.output()).as("%s fed byte by byte", printable(raw)).isEqualTo(want);
        int step = bytes.length > 2048 ? 97 : 1;
        for (int cut = 1; cut < bytes.length; cut += step) {
            Wire split = Wire.run(HttpConfig.defaults(), echo, bytes, cut);
            assertThat(split.output()).as("%s split at %d", printable(raw), cut).isEqualTo(want);
        }
        return whole;
    }

    private static String post(String fields, String body) {
        return "POST / HTTP/1.1\r\n" + H + fields + "\r\n" + body;
    }

    private static String printable(String raw) {
        String s = raw.length() > 200 ? raw.substring(0, 200) + "..." : raw;
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
