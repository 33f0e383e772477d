package dev.sluice.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses what a server wrote back into responses, to check them field by field. */
final class Responses {
    private Responses() {
    }

    record Response(int status, String head, List<String[]> fields, byte[] body) {
        /** The first value of {@code name}, ignoring case, or null. */
        String header(String name) {
            for (String[] f : fields) {
                if (f[0].equalsIgnoreCase(name)) {
                    return f[1];
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * @param heads for each final response in order, whether it answers a HEAD (no body whatever
     *     its framing says); missing entries mean no
     */
    static List<Response> parse(byte[] bytes, List<Boolean> heads) {
        List<Response> responses = new ArrayList<>();
        int at = 0;
        int finals = 0;
        while (at < bytes.length) {
            int end = indexOf(bytes, "\r\n\r\n", at);
            if (end < 0) {
                throw new AssertionError("incomplete response head at " + at + ": "
                        + new String(bytes, at, bytes.length - at, StandardCharsets.ISO_8859_1));
            }
            String head = new String(bytes, at, end + 4 - at, StandardCharsets.ISO_8859_1);
            at = end + 4;
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            List<String[]> fields = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                fields.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()});
            }
            Response r = new Response(status, head, fields, new byte[0]);
            if (status >= 200) {
                boolean head4 = finals < heads.size() && heads.get(finals);
                finals++;
                String length = r.header("Content-Length");
                String te = r.header("Transfer-Encoding");
                if (head4 || status == 204 || status == 304) {
                    // no body
                } else if (te != null && te.toLowerCase(Locale.ROOT).equals("chunked")) {
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    while (true) {
                        int lineEnd = indexOf(bytes, "\r\n", at);
                        int size = Integer.parseInt(new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII), 16);
                        at = lineEnd + 2;
                        if (size == 0) {
                            at += 2;
                            break;
                        }
                        body.write(bytes, at, size);
                        at += size + 2;
                    }
                    r = new Response(status, head, fields, body.toByteArray());
                } else if (length != null) {
                    int n = Integer.parseInt(length);
                    byte[] body = new byte[n];
                    System.arraycopy(bytes, at, body, 0, n);
                    at += n;
                    r = new Response(status, head, fields, body);
                }
            }
            responses.add(r);
        }
        return responses;
    }

    static int indexOf(byte[] bytes, String s, int from) {
        byte[] needle = s.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = from; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
