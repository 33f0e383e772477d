package dev.sluice.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A second, deliberately naive reading of one request's bytes, used by {@link HttpParserFuzzTest}
 * as an oracle: it shares no code with the codec and checks nothing the codec checks, it only
 * finds where the head ends, what the fields are, how the body is framed and where the message
 * ends. Run only on bytes the codec accepted, so wherever the two disagree on a field, a body or
 * a boundary, one of them is wrong, and the boundary is what request smuggling lives on.
 */
final class ReferenceReader {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] END_OF_HEAD = {'\r', '\n', '\r', '\n'};

    /**
     * One message as the reference reads it.
     *
     * @param requestLine the request line without CRLF
     * @param fields name and value of each header field line, the value without surrounding
     *     whitespace
     * @param contentLengths how many Content-Length field lines there are
     * @param transferEncodings how many Transfer-Encoding field lines there are
     * @param body the body as its framing delimits it (chunked: decoded)
     * @param trailers name and value of each trailer field line
     * @param end the offset just past the message: where the next one would start
     */
    record Message(String requestLine, List<String[]> fields, int contentLengths,
                   int transferEncodings, byte[] body, List<String[]> trailers, int end) {
    }

    private ReferenceReader() {
    }

    /**
     * Reads the message at the start of {@code b} (after any empty lines).
     *
     * @throws AssertionError when {@code b} does not hold one whole message as the reference
     *     reads it; the caller reports it as a disagreement with the codec
     */
    static Message read(byte[] b) {
        int at = 0;
        while (at + 1 < b.length && b[at] == '\r' && b[at + 1] == '\n') {
            at += 2;
        }
        int headEnd = indexOf(b, END_OF_HEAD, at);
        if (headEnd < 0) {
            throw new AssertionError("reference: no end of head");
        }
        int lineEnd = indexOf(b, CRLF, at);
        String requestLine = latin1(b, at, lineEnd);
        List<String[]> fields = new ArrayList<>();
        for (int i = lineEnd + 2; i < headEnd + 2; ) {
            int eol = indexOf(b, CRLF, i);
            fields.add(field(b, i, eol));
            i = eol + 2;
        }
        int contentLengths = 0;
        int transferEncodings = 0;
        String contentLength = null;
        for (String[] f : fields) {
            if (f[0].equalsIgnoreCase("Content-Length")) {
                contentLengths++;
                contentLength = f[1];
            } else if (f[0].equalsIgnoreCase("Transfer-Encoding")) {
                transferEncodings++;
            }
        }
        int bodyStart = headEnd + 4;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String[]> trailers = new ArrayList<>();
        int end;
        if (transferEncodings > 0) {
            end = chunked(b, bodyStart, body, trailers);
        } else if (contentLength != null) {
            long n = Long.parseLong(contentLength);
            if (n > b.length - bodyStart) {
                throw new AssertionError("reference: Content-Length " + n + " runs past the "
                        + (b.length - bodyStart) + " bytes after the head");
            }
            body.write(b, bodyStart, (int) n);
            end = bodyStart + (int) n;
        } else {
            end = bodyStart;
        }
        return new Message(requestLine, fields, contentLengths, transferEncodings,
                body.toByteArray(), trailers, end);
    }

    /** Decodes a chunked body from {@code at}; returns the offset after its trailer section. */
    private static int chunked(byte[] b, int at, ByteArrayOutputStream body, List<String[]> trailers) {
        while (true) {
            int eol = indexOf(b, CRLF, at);
            if (eol < 0) {
                throw new AssertionError("reference: no end of chunk-size line at " + at);
            }
            long size = 0;
            int i = at;
            for (; i < eol && hex(b[i]) >= 0; i++) {
                size = size * 16 + hex(b[i]);
                if (size > b.length) {
                    throw new AssertionError("reference: chunk size runs past the input");
                }
            }
            if (i == at) {
                throw new AssertionError("reference: chunk-size line without a size at " + at);
            }
            at = eol + 2;
            if (size == 0) {
                break;
            }
            if (at + size + 2 > b.length || b[at + (int) size] != '\r' || b[at + (int) size + 1] != '\n') {
                throw new AssertionError("reference: chunk of " + size + " at " + at
                        + " not followed by CRLF");
            }
            body.write(b, at, (int) size);
            at += (int) size + 2;
        }
        while (true) {
            int eol = indexOf(b, CRLF, at);
            if (eol < 0) {
                throw new AssertionError("reference: no end of trailer section");
            }
            if (eol == at) {
                return at + 2;
            }
            trailers.add(field(b, at, eol));
            at = eol + 2;
        }
    }

    private static String[] field(byte[] b, int start, int end) {
        int colon = start;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int vs = Math.min(colon + 1, end);
        int ve = end;
        while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
            vs++;
        }
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
            ve--;
        }
        return new String[] {latin1(b, start, colon), latin1(b, vs, ve)};
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
            return (c | 0x20) - 'a' + 10;
        }
        return -1;
    }

    private static String latin1(byte[] b, int start, int end) {
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    static int indexOf(byte[] b, byte[] needle, int from) {
        outer:
        for (int i = from; i <= b.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
