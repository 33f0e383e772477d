package dev.sluice.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Parses a {@code multipart/byteranges} body (RFC 9110 14.6, RFC 2046 5.1) back into its parts. */
final class MultipartReader {
    private MultipartReader() {
    }

    /** One part: its fields (names lower-cased) and bytes; first and last from its Content-Range. */
    record Part(Map<String, String> fields, byte[] body) {
        long first() {
            return Long.parseLong(range()[0]);
        }

        long last() {
            return Long.parseLong(range()[1]);
        }

        long size() {
            return Long.parseLong(fields.get("content-range").substring(
                    fields.get("content-range").indexOf('/') + 1));
        }

        private String[] range() {
            String v = fields.get("content-range");
            if (!v.startsWith("bytes ")) {
                throw new AssertionError("got Content-Range " + v + "; want bytes a-b/n");
            }
            return v.substring(6, v.indexOf('/')).split("-");
        }
    }

    /** The boundary parameter of a {@code multipart/byteranges} content type. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.startsWith("multipart/byteranges; boundary=")) {
            throw new AssertionError("got Content-Type " + contentType + "; want multipart/byteranges");
        }
        return contentType.substring("multipart/byteranges; boundary=".length());
    }

    static List<Part> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<Part> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        if (at != 0) {
            throw new AssertionError("body does not start with the boundary");
        }
        while (true) {
            at += delimiter.length;
            if (body[at] == '-' && body[at + 1] == '-') {
                if (at + 4 != body.length || body[at + 2] != '\r' || body[at + 3] != '\n') {
                    throw new AssertionError("bytes after the close delimiter");
                }
                return parts;
            }
            at += 2; // CRLF after the boundary
            int headEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
            Map<String, String> fields = new LinkedHashMap<>();
            for (String line : new String(body, at, headEnd - at, StandardCharsets.ISO_8859_1).split("\r\n")) {
                int colon = line.indexOf(':');
                fields.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), headEnd + 4);
            parts.add(new Part(fields, Arrays.copyOfRange(body, headEnd + 4, next)));
            at = next + 2;
        }
    }

    private static int indexOf(byte[] bytes, byte[] needle, int from) {
        outer:
        for (int i = from; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("missing " + new String(needle, StandardCharsets.ISO_8859_1));
    }
}
