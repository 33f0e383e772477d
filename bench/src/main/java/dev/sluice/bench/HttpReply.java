package dev.sluice.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 response read off a socket by the soak's clients: the status, the header fields
 * (names lower-cased, the last of a repeated field wins) and the body, framed by
 * {@code Transfer-Encoding: chunked}, {@code Content-Length} or the end of the stream, as RFC 9112
 * section 6.3 orders them. Small on purpose: a strict client for checking our own server, not a
 * general one.
 *
 * @param status the status code
 * @param headers header fields, lower-case names
 * @param body the body bytes (empty for HEAD, 1xx, 204 and 304)
 */
record HttpReply(int status, Map<String, String> headers, byte[] body) {
    /** The longest response head accepted. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    /** Thrown when the stream ends before the first byte of a response: a stale connection. */
    static final class NoResponseException extends EOFException {
        private static final long serialVersionUID = 1L;

        NoResponseException() {
            super("connection closed before any response byte");
        }
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the server said it closes the connection after this response. */
    boolean closes() {
        String c = header("connection");
        return c != null && c.toLowerCase(Locale.ROOT).contains("close");
    }

    /** Reads one response to a request with {@code method}. */
    static HttpReply read(InputStream in, String method) throws IOException {
        String head = readHead(in);
        int firstLineEnd = head.indexOf("\r\n");
        String statusLine = firstLineEnd < 0 ? head : head.substring(0, firstLineEnd);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("bad status line: " + printable(statusLine));
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new TreeMap<>();
        if (firstLineEnd >= 0) {
            for (String line : head.substring(firstLineEnd + 2).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("bad header line: " + printable(line));
                }
                headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        byte[] body;
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (te != null) {
            if (!te.equalsIgnoreCase("chunked")) {
                throw new IOException("unexpected transfer-encoding " + te);
            }
            body = readChunked(in);
        } else if (cl != null) {
            body = readExactly(in, Math.toIntExact(Long.parseLong(cl)));
        } else {
            body = in.readAllBytes();
        }
        return new HttpReply(status, headers, body);
    }

    /** The head without its final CRLF CRLF, as ISO-8859-1 text. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0; // how much of CR LF CR LF was just seen
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    throw new NoResponseException();
                }
                throw new EOFException("stream ended in the response head after " + head.size() + " bytes");
            }
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new IOException("response head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] bytes = head.toByteArray();
        return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailer fields: ignored
                }
                return body.toByteArray();
            }
            body.write(readExactly(in, size));
            if (!readLine(in).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("stream ended in a chunked body");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("body ended after " + bytes.length + " of " + n + " bytes");
        }
        return bytes;
    }

    /** At most 80 characters of {@code s}, control characters escaped: safe for a log line. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
