package dev.sluice.metrics;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The access log's line formats. Every line is ASCII: what a client sent is escaped, so no
 * request can forge a line or smuggle terminal escapes into a log viewer.
 *
 * <ul>
 *   <li>{@link #COMMON}: Apache's and nginx's Common Log Format,
 *       {@code %h - - %t "%r" %>s %b}:
 *       {@code 127.0.0.1 - - [25/Nov/2026:18:02:03 +0100] "GET /a?b=1 HTTP/1.1" 200 13}.</li>
 *   <li>{@link #COMBINED}: the same plus {@code "%{Referer}i" "%{User-agent}i"}, {@code "-"}
 *       for a missing field.</li>
 *   <li>{@link #JSON}: one object per line, {@code ts} (UTC, milliseconds), {@code remote},
 *       {@code method}, {@code path} (the target as sent, query included), {@code proto},
 *       {@code status}, {@code bytes}, {@code duration_ms}, {@code ua}, {@code referer};
 *       {@code null} for what is unknown.</li>
 * </ul>
 *
 * <p>As Apache does: the time is when the request began, in the server's zone; {@code %h} is
 * the client's address ({@code Exchange.clientAddress()}: behind a trusted proxy, the client it
 * forwards; never a looked-up name; IPv6 compressed as RFC 5952 writes it);
 * {@code %b} counts the body's bytes, {@code -} for none; a request whose line could not be read
 * (a malformed one, a header timeout) shows {@code "-"}. Escaping in the text formats is Apache's:
 * {@code \"} and {@code \\}, {@code \t} and the like, {@code \xhh} for any other byte outside
 * printable ASCII (characters above U+00FF: their UTF-8 bytes). JSON escapes the same
 * characters as {@code \\u} and four hex digits.
 */
public enum AccessLogFormat {
    COMMON, COMBINED, JSON;

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US);
    private static final DateTimeFormatter JSON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.US).withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A second's time as formatted last: log lines come in bursts from the same second. */
    private record Stamp(long second, ZoneId zone, String text) {
    }

    // One each, shared: the writer thread formats, and a stale entry is only recomputed.
    private static volatile Stamp clfStamp = new Stamp(Long.MIN_VALUE, null, null);
    private static volatile Stamp jsonStamp = new Stamp(Long.MIN_VALUE, null, null);

    /** The name in lower case, as flags spell it: {@code common}, {@code combined}, {@code json}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether lines carry the User-Agent and Referer, which the observer must then copy. */
    boolean wantsHeaders() {
        return this != COMMON;
    }

    /** Appends {@code e} as one line, without the line break; times in {@code zone} (text formats). */
    void append(StringBuilder line, AccessLog.Entry e, ZoneId zone) {
        if (this == JSON) {
            appendJson(line, e);
            return;
        }
        line.append(host(e.remote())).append(" - - [").append(clfTime(e.epochMillis(), zone))
                .append("] \"");
        if (e.method() == null) {
            line.append('-');
        } else {
            escape(line, e.method() + " " + e.target() + " " + e.version());
        }
        line.append("\" ").append(e.status()).append(' ');
        if (e.bytes() > 0) {
            line.append(e.bytes());
        } else {
            line.append('-');
        }
        if (this == COMBINED) {
            line.append(" \"");
            escape(line, e.referer() == null ? "-" : e.referer());
            line.append("\" \"");
            escape(line, e.userAgent() == null ? "-" : e.userAgent());
            line.append('"');
        }
    }

    private static void appendJson(StringBuilder line, AccessLog.Entry e) {
        long millis = Math.floorMod(e.epochMillis(), 1000L);
        line.append("{\"ts\":\"").append(jsonTime(e.epochMillis())).append('.')
                .append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10));
        line.append("Z\",\"remote\":");
        jsonString(line, host(e.remote()));
        line.append(",\"method\":");
        jsonString(line, e.method());
        line.append(",\"path\":");
        jsonString(line, e.target());
        line.append(",\"proto\":");
        jsonString(line, e.version());
        line.append(",\"status\":").append(e.status());
        line.append(",\"bytes\":").append(e.bytes());
        long micros = Math.max(0, e.durationNanos()) / 1_000;
        line.append(",\"duration_ms\":").append(micros / 1_000).append('.');
        String frac = Long.toString(micros % 1_000);
        line.append("000", 0, 3 - frac.length()).append(frac);
        line.append(",\"ua\":");
        jsonString(line, e.userAgent());
        line.append(",\"referer\":");
        jsonString(line, e.referer());
        line.append('}');
    }

    /** {@code 10/Oct/2000:13:55:36 -0700} for the second of {@code epochMillis} in {@code zone}. */
    private static String clfTime(long epochMillis, ZoneId zone) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Stamp s = clfStamp;
        if (s.second != second || !zone.equals(s.zone)) {
            s = new Stamp(second, zone, CLF_TIME.format(Instant.ofEpochSecond(second).atZone(zone)));
            clfStamp = s;
        }
        return s.text;
    }

    /** {@code 2000-10-10T20:55:36}, UTC, for the second of {@code epochMillis}. */
    private static String jsonTime(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000L);
        Stamp s = jsonStamp;
        if (s.second != second) {
            s = new Stamp(second, ZoneOffset.UTC, JSON_TIME.format(Instant.ofEpochSecond(second)));
            jsonStamp = s;
        }
        return s.text;
    }

    /** Apache's escaping of a logged item (its {@code ap_escape_logitem}). */
    static void escape(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0B -> sb.append("\\v");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        sb.append(c);
                    } else if (c <= 0xFF) {
                        hexByte(sb, c);
                    } else {
                        int end = Character.isSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
                        for (byte b : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                            hexByte(sb, b & 0xFF);
                        }
                        i = end - 1;
                    }
                }
            }
        }
    }

    private static void hexByte(StringBuilder sb, int b) {
        sb.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }

    /** {@code s} as a JSON string, printable ASCII only; {@code null} as null. */
    static void jsonString(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                        .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        sb.append('"');
    }

    /** The address as Apache's {@code %h} shows it: IPv4 dotted, IPv6 compressed (RFC 5952). */
    static String host(InetAddress address) {
        if (address == null) {
            return "-";
        }
        String literal = address.getHostAddress();
        if (!(address instanceof Inet6Address)) {
            return literal;
        }
        int percent = literal.indexOf('%');
        String scope = percent < 0 ? "" : literal.substring(percent);
        String[] groups = (percent < 0 ? literal : literal.substring(0, percent)).split(":");
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 4.2.2: "::" never stands for a single 0 group
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && Integer.parseInt(groups[j], 16) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            sb.append(Integer.toHexString(Integer.parseInt(groups[i], 16)));
            if (i < groups.length - 1) {
                sb.append(':');
            }
        }
        return sb.append(scope).toString();
    }
}
