package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Persistent connections (RFC 9112 9.3): who decides, and what the response says about it. */
class KeepAliveTest {
    private static final HttpHandler OK = request -> HttpResponse.ok("ok");

    @ParameterizedTest(name = "{0} with Connection: ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
        // version | request Connection | stays open | response Connection
        "HTTP/1.1 | none                 | true  | none",
        "HTTP/1.1 | close                | false | close",
        "HTTP/1.1 | Close                | false | close",
        "HTTP/1.1 | keep-alive           | true  | none",
        "HTTP/1.1 | keep-alive, close    | false | close",
        "HTTP/1.1 | foo, bar             | true  | none",
        "HTTP/1.0 | none                 | false | close",
        "HTTP/1.0 | keep-alive           | true  | keep-alive",
        "HTTP/1.0 | Keep-Alive           | true  | keep-alive",
        "HTTP/1.0 | close                | false | close",
    })
    void decidesFromVersionAndConnectionHeader(String version, String connection, boolean open,
                                               String answered) {
        String raw = "GET / " + version + "\r\nHost: a\r\n"
                + (connection == null ? "" : "Connection: " + connection + "\r\n") + "\r\n";

        Wire wire = Wire.run(HttpConfig.defaults(), OK, raw.getBytes());

        assertThat(!wire.closed).as("open: got %s; want %s", !wire.closed, open).isEqualTo(open);
        String got = wire.responses().get(0).header("Connection");
        assertThat(got).as("Connection: got %s; want %s", got, answered).isEqualTo(answered);
    }

    @Test
    void servesManyRequestsAlternatingVersionsOnOneConnection() {
        Wire wire = new Wire(HttpConfig.defaults(), OK);
        for (int i = 0; i < 5; i++) {
            wire.feed("GET /" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
            wire.feed("GET /" + i + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        }
        wire.feed("GET /last HTTP/1.0\r\n\r\n");

        assertThat(wire.handled).as("requests handled").hasSize(11);
        assertThat(wire.closed).as("closed after the HTTP/1.0 request without keep-alive").isTrue();
    }

    @Test
    void closesAfterTheLastRequestAllowedPerConnection() {
        HttpConfig config = HttpConfig.defaults().withMaxRequestsPerConnection(2);
        String get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

        Wire wire = Wire.run(config, OK, (get + get + get).getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(200, 200);
        assertThat(wire.responses().get(0).header("Connection")).as("first Connection").isNull();
        assertThat(wire.responses().get(1).header("Connection")).as("second Connection").isEqualTo("close");
        assertThat(wire.closed).as("closed").isTrue();
    }

    @Test
    void handlerCanCloseTheConnection() {
        HttpHandler closing = request -> HttpResponse.ok("bye").withHeader("Connection", "close");

        Wire wire = Wire.run(HttpConfig.defaults(), closing,
                "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(200);
        assertThat(wire.responses().get(0).head()).as("head").containsOnlyOnce("Connection: close\r\n");
        assertThat(wire.closed).as("closed").isTrue();
    }

    @Test
    void shutdownClosesWithConnectionClose() {
        Wire wire = new Wire(HttpConfig.defaults(), OK);
        wire.closing = true;

        wire.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(wire.responses().get(0).header("Connection")).as("Connection").isEqualTo("close");
        assertThat(wire.closed).as("closed").isTrue();
    }
}
