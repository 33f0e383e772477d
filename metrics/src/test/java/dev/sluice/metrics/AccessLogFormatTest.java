package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Access log lines, checked against the examples in Apache's documentation, and their escaping. */
class AccessLogFormatTest {
    /** Apache's example time: 10/Oct/2000:13:55:36 -0700. */
    private static final long APACHE_TIME = Instant.parse("2000-10-10T20:55:36.123Z").toEpochMilli();
    private static final ZoneId APACHE_ZONE = ZoneOffset.ofHours(-7);

    private static AccessLog.Entry apacheExample(String referer, String userAgent) {
        return new AccessLog.Entry(APACHE_TIME, ip("127.0.0.1"), "GET", "/apache_pb.gif", "HTTP/1.0",
                200, 2326, 1_234_567, userAgent, referer);
    }

    private static String line(AccessLogFormat format, AccessLog.Entry e) {
        StringBuilder sb = new StringBuilder();
        format.append(sb, e, APACHE_ZONE);
        return sb.toString();
    }

    @Test
    void commonIsApachesCommonLogFormat() {
        assertThat(line(AccessLogFormat.COMMON, apacheExample("http://www.example.com/start.html", "x")))
                .isEqualTo("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
    }

    @Test
    void combinedAddsRefererAndUserAgent() {
        assertThat(line(AccessLogFormat.COMBINED, apacheExample("http://www.example.com/start.html",
                "Mozilla/4.08 [en] (Win98; I ;Nav)")))
                .isEqualTo("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326"
                        + " \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"");
    }

    @Test
    void showsDashesForWhatIsMissing() {
        AccessLog.Entry unread = new AccessLog.Entry(APACHE_TIME, ip("10.0.0.1"), null, null, null, 400,
                0, 0, null, null);
        assertThat(line(AccessLogFormat.COMBINED, unread))
                .isEqualTo("10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"-\" 400 - \"-\" \"-\"");
    }

    @Test
    void escapesWhatTheClientSentAsApacheDoes() {
        String ua = "a\"b\\c\td\u00e9\u2603\u0001\u007f";
        AccessLog.Entry e = new AccessLog.Entry(APACHE_TIME, ip("127.0.0.1"), "GET", "/\"x\"",
                "HTTP/1.1", 200, 1, 0, ua, "\u001b[31mred");
        assertThat(line(AccessLogFormat.COMBINED, e)).endsWith("\"GET /\\\"x\\\" HTTP/1.1\" 200 1"
                + " \"\\x1b[31mred\" \"a\\\"b\\\\c\\td\\xe9\\xe2\\x98\\x83\\x01\\x7f\"");
    }

    @Test
    void jsonIsOneObjectPerLineWithMillisecondsInUtc() {
        AccessLog.Entry e = new AccessLog.Entry(APACHE_TIME, ip("::1"), "GET", "/a?b=1", "HTTP/1.1",
                200, 13, 1_234_567, "curl/8.5.0", null);
        assertThat(line(AccessLogFormat.JSON, e)).isEqualTo("{\"ts\":\"2000-10-10T20:55:36.123Z\","
                + "\"remote\":\"::1\",\"method\":\"GET\",\"path\":\"/a?b=1\",\"proto\":\"HTTP/1.1\","
                + "\"status\":200,\"bytes\":13,\"duration_ms\":1.234,\"ua\":\"curl/8.5.0\",\"referer\":null}");
    }

    @Test
    void jsonEscapesQuotesControlsAndNonAscii() {
        AccessLog.Entry e = new AccessLog.Entry(0, ip("127.0.0.1"), null, null, null, 408, 0, 5_000,
                "q\"b\\s\n\u00e9\u2603", "");
        assertThat(line(AccessLogFormat.JSON, e)).isEqualTo("{\"ts\":\"1970-01-01T00:00:00.000Z\","
                + "\"remote\":\"127.0.0.1\",\"method\":null,\"path\":null,\"proto\":null,\"status\":408,"
                + "\"bytes\":0,\"duration_ms\":0.005,\"ua\":\"q\\\"b\\\\s\\u000a\\u00e9\\u2603\",\"referer\":\"\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2026-12-04T18:02:03.004Z | +00:00 | 04/Dec/2026:18:02:03 +0000 | 2026-12-04T18:02:03.004Z
            2028-02-29T23:59:59.999Z | +00:00 | 29/Feb/2028:23:59:59 +0000 | 2028-02-29T23:59:59.999Z
            2027-12-31T23:59:59.999Z | +00:00 | 31/Dec/2027:23:59:59 +0000 | 2027-12-31T23:59:59.999Z
            2028-01-01T00:00:00.000Z | +00:00 | 01/Jan/2028:00:00:00 +0000 | 2028-01-01T00:00:00.000Z
            2027-12-31T22:59:59.000Z | +01:00 | 31/Dec/2027:23:59:59 +0100 | 2027-12-31T22:59:59.000Z
            2027-12-31T23:00:00.000Z | +01:00 | 01/Jan/2028:00:00:00 +0100 | 2027-12-31T23:00:00.000Z
            2028-02-29T08:00:00.000Z | -09:00 | 28/Feb/2028:23:00:00 -0900 | 2028-02-29T08:00:00.000Z
            """)
    void stampsEachLineWithItsOwnDayInOrder(String at, String zone, String clf, String json) {
        // In this order, each line's second follows the last one's: the formatters' cache must move on.
        AccessLog.Entry e = new AccessLog.Entry(Instant.parse(at).toEpochMilli(), ip("127.0.0.1"), "GET", "/",
                "HTTP/1.1", 200, 1, 0, null, null);
        StringBuilder common = new StringBuilder();
        AccessLogFormat.COMMON.append(common, e, ZoneOffset.of(zone));

        assertThat(common.toString()).as("common at %s in %s", at, zone).contains("[" + clf + "]");
        assertThat(line(AccessLogFormat.JSON, e)).as("json at %s", at).startsWith("{\"ts\":\"" + json + "\",");
    }

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1, 127.0.0.1",
        "0:0:0:0:0:0:0:1, ::1",
        "::, ::",
        "2001:db8:0:0:0:0:0:1, 2001:db8::1",
        "fe80:0:0:0:1:2:3:4, fe80::1:2:3:4",
        "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
        "2001:DB8:0:0:0:0:0:ABCD, 2001:db8::abcd",
    })
    void writesAddressesAsApacheDoesWithIpv6Compressed(String literal, String want) {
        assertThat(AccessLogFormat.host(ip(literal))).as("%s", literal).isEqualTo(want);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no look-up
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
