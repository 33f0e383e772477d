package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a handler sees of a request. */
class RequestTest {

    private static HttpRequest decode(String raw) {
        Wire wire = Wire.run(HttpConfig.defaults(), request -> HttpResponse.status(204), raw.getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(wire.handled).as("requests decoded from %s", raw).hasSize(1);
        return wire.handled.get(0);
    }

    @Test
    void splitsTheTargetIntoRawPathDecodedPathAndQuery() {
        HttpRequest r = decode("GET /caf%C3%A9/a%2Fb+c?q=a+b&q=%26&flag&=x HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(r.target()).as("target").isEqualTo("/caf%C3%A9/a%2Fb+c?q=a+b&q=%26&flag&=x");
        assertThat(r.rawPath()).as("rawPath").isEqualTo("/caf%C3%A9/a%2Fb+c");
        assertThat(r.path()).as("path").isEqualTo("/café/a/b+c");
        assertThat(r.query()).as("query").isEqualTo("q=a+b&q=%26&flag&=x");
        assertThat(r.queryParams()).as("queryParams").isEqualTo(Map.of(
                "q", List.of("a b", "&"), "flag", List.of(""), "", List.of("x")));
        assertThat(r.queryParam("q")).as("queryParam").isEqualTo("a b");
        assertThat(r.queryParam("missing")).as("missing param").isNull();
    }

    @Test
    void hasAnEmptyQueryWhenThereIsNone() {
        HttpRequest r = decode("GET /x HTTP/1.1\r\nHost: h\r\n\r\n");

        assertThat(r.query()).as("query").isEmpty();
        assertThat(r.queryParams()).as("queryParams").isEmpty();
    }

    @Test
    void takesHostFromAnAbsoluteFormTargetOverTheHostHeader() {
        HttpRequest r = decode("GET http://Example.COM:81 HTTP/1.1\r\nHost: other\r\n\r\n");

        assertThat(r.host()).as("host").isEqualTo("Example.COM:81");
        assertThat(r.rawPath()).as("rawPath").isEqualTo("/");
        assertThat(decode("GET / HTTP/1.1\r\nHost: h:8080\r\n\r\n").host()).as("from Host").isEqualTo("h:8080");
        assertThat(decode("GET / HTTP/1.0\r\n\r\n").host()).as("HTTP/1.0 without Host").isNull();
    }

    @Test
    void reportsVersionAndRemoteAddress() {
        HttpRequest r = decode("OPTIONS * HTTP/1.0\r\n\r\n");

        assertThat(r.version()).as("version").isEqualTo("HTTP/1.0");
        assertThat(r.rawPath()).as("rawPath").isEqualTo("*");
        assertThat(r.remoteAddress()).as("remote").isEqualTo(Wire.INFO.remote());
        assertThat(r).hasToString("OPTIONS * HTTP/1.0");
    }

    @Test
    void givesTheBodyAsBytesStreamAndText() throws IOException {
        HttpRequest r = decode("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nd\u00c3\u00a9\r\n2\r\nj\u00c3\r\n1\r\n\u00a0\r\n0\r\nChecksum: 42\r\n\r\n");

        assertThat(r.body()).as("body").hasSize(6);
        assertThat(r.bodyStream().readAllBytes()).as("bodyStream").isEqualTo(r.body());
        assertThat(r.bodyText()).as("bodyText").isEqualTo("déj\u00e0");
        assertThat(r.trailers().get("checksum")).as("trailer").isEqualTo("42");
        assertThat(r.headers().contains("Checksum")).as("trailer merged into headers").isFalse();
    }

    @Test
    void keepsFieldsInOrderWithCaseInsensitiveLookup() {
        HttpRequest r = decode("GET / HTTP/1.1\r\nHost: h\r\nAccept:  text/html \t\r\n"
                + "X-Multi: 1\r\nx-multi: 2\r\nX-Latin: \u00e9t\u00e9\r\nConnection: Keep-Alive, Upgrade\r\n\r\n");
        Headers h = r.headers();

        assertThat(h.size()).as("size").isEqualTo(6);
        assertThat(h.name(1)).as("name as sent").isEqualTo("Accept");
        assertThat(h.get("ACCEPT")).as("value without surrounding whitespace").isEqualTo("text/html");
        assertThat(r.header("x-MULTI")).as("first of several").isEqualTo("1");
        assertThat(h.all("X-Multi")).as("all").containsExactly("1", "2");
        assertThat(h.all("absent")).as("all of absent").isEmpty();
        assertThat(h.get("absent")).as("absent").isNull();
        assertThat(h.get("X-Latin")).as("obs-text as ISO-8859-1").isEqualTo("\u00e9t\u00e9");
        assertThat(h.containsToken("connection", "upgrade")).as("token").isTrue();
        assertThat(h.containsToken("connection", "close")).as("absent token").isFalse();
        assertThat(h.contains("Host") && !h.contains("Hos")).as("contains").isTrue();
    }

    @Test
    void doesNotMatchNamesThatDifferOnlyInNonLetterBits() {
        HttpRequest r = decode("GET / HTTP/1.1\r\nHost: h\r\nA^B: 1\r\n\r\n");

        assertThat(r.header("A~B")).as("'^' and '~' differ by 0x20 but are not letters").isNull();
        assertThat(r.header("a^b")).as("letters fold").isEqualTo("1");
    }
}
