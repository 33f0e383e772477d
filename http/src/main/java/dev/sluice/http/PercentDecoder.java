package dev.sluice.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percent-decoding (RFC 3986 2.1) of path segments and query components, as UTF-8; a malformed
 * escape or UTF-8 sequence becomes U+FFFD rather than an error, since the codec has already
 * refused targets with bad escapes.
 */
final class PercentDecoder {
    private PercentDecoder() {
    }

    /** Decodes a path segment: "+" stays "+" (RFC 3986 3.3). */
    static String decodePathSegment(String s) {
        return decode(s, false);
    }

    /** Decodes {@code s}; with {@code plusIsSpace}, "+" is a space too (form encoding). */
    private static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0
                    && hex(s.charAt(i + 2)) >= 0) {
                out.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Splits {@code query} ({@code a=1&b=2&a=3}) into decoded names and values, in order; a name
     * without "=" has the empty value; empty pieces are skipped.
     */
    static Map<String, List<String>> query(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        int start = 0;
        while (start <= query.length()) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? query.length() : amp;
            if (end > start) {
                int eq = query.indexOf('=', start);
                boolean hasValue = eq >= 0 && eq < end;
                String name = decode(query.substring(start, hasValue ? eq : end), true);
                String value = hasValue ? decode(query.substring(eq + 1, end), true) : "";
                params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        params.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(params);
    }

    private static int hex(char c) {
        return c > 0x7F ? -1 : Grammar.hex((byte) c);
    }
}
