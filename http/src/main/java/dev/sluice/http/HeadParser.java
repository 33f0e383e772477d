package dev.sluice.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.sluice.http.Grammar.CR;
import static dev.sluice.http.Grammar.HTAB;
import static dev.sluice.http.Grammar.LF;
import static dev.sluice.http.Grammar.SP;

/**
 * Reads a request head (RFC 9112 2.1: request line, then the field section) a byte at a time, so it
 * may arrive split anywhere, checking each byte as it arrives and each line as it ends. Reusable:
 * {@link #reset()} between requests. Used by the connection's codec thread only.
 *
 * <p>The request line is exactly {@code method SP request-target SP HTTP-version CRLF}: single
 * spaces, a token method, a target as {@link RequestTarget} allows, {@code HTTP/1.0} or
 * {@code HTTP/1.1}. A higher 1.x minor is served as 1.1 (RFC 9110 2.5); any other major gets 505.
 * Up to {@value #MAX_EMPTY_LINES} empty lines before the request line are skipped (RFC 9112 2.2).
 */
final class HeadParser {
    /** Longer methods than this are answered with 501 (RFC 9112 3: longer than any implemented). */
    static final int MAX_METHOD_BYTES = 32;
    static final int MAX_EMPTY_LINES = 8;
    private static final String[] METHODS =
            {"GET", "PUT", "HEAD", "POST", "PATCH", "TRACE", "DELETE", "OPTIONS", "CONNECT"};
    private static final byte[][] METHOD_BYTES = new byte[METHODS.length][];

    static {
        for (int i = 0; i < METHODS.length; i++) {
            METHOD_BYTES[i] = METHODS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final int maxLineBytes;
    private final FieldSection fields;
    private final RequestTarget target = new RequestTarget();
    /** What {@link #line} starts at once a request line arrives. */
    private static final int FIRST_LINE_BYTES = 128;
    private static final byte[] NO_BYTES = new byte[0];
    /** The request line so far: none between requests, so that an idle connection holds no buffer. */
    private byte[] line = NO_BYTES;
    private int len;
    private boolean lineDone;
    private boolean started;
    private int emptyLines;
    private String method;
    private int minor;

    HeadParser(HttpConfig config) {
        this.maxLineBytes = config.maxRequestLineBytes();
        this.fields = new FieldSection(config.maxHeaderBytes(), config.maxHeaderCount());
    }

    void reset() {
        line = NO_BYTES;
        len = 0;
        lineDone = false;
        started = false;
        emptyLines = 0;
        fields.reset();
    }

    /** Whether any byte of this head, empty lines included, has been consumed. */
    boolean started() {
        return started;
    }

    /**
     * Consumes head bytes from {@code in}.
     *
     * @return true once the head is complete; the bytes after it are left in {@code in}
     */
    boolean read(ByteBuffer in) throws HttpException {
        if (!lineDone) {
            if (!readRequestLine(in)) {
                return false;
            }
            lineDone = true;
        }
        return fields.read(in);
    }

    private boolean readRequestLine(ByteBuffer in) throws HttpException {
        while (in.hasRemaining()) {
            byte b = in.get();
            started = true;
            if (b == LF) {
                if (len == 0 || line[len - 1] != CR) {
                    throw HttpException.badRequest("Bare LF in request line");
                }
                if (--len == 0) {
                    if (++emptyLines > MAX_EMPTY_LINES) {
                        throw HttpException.badRequest("Too many empty lines");
                    }
                    continue;
                }
                parseRequestLine();
                return true;
            }
            if (len > 0 && line[len - 1] == CR) {
                throw HttpException.badRequest("Bare CR in request line");
            }
            if (b < 0 || b == HTAB || (Grammar.isControl(b) && b != CR)) {
                throw HttpException.badRequest("Invalid character in request line");
            }
            if ((b == CR ? len : len + 1) > maxLineBytes) {
                throw new HttpException(414, "Request line too long");
            }
            if (len == line.length) {
                line = Arrays.copyOf(line, Math.min(Math.max(FIRST_LINE_BYTES, line.length * 2), maxLineBytes + 1));
            }
            line[len++] = b;
        }
        return false;
    }

    private void parseRequestLine() throws HttpException {
        int sp1 = indexOfSpace(0);
        int sp2 = sp1 < 0 ? -1 : indexOfSpace(sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || indexOfSpace(sp2 + 1) >= 0) {
            throw HttpException.badRequest("Invalid request line");
        }
        version(sp2 + 1);
        for (int i = 0; i < sp1; i++) {
            if (!Grammar.isTchar(line[i])) {
                throw HttpException.badRequest("Invalid method");
            }
        }
        if (sp1 > MAX_METHOD_BYTES) {
            throw new HttpException(501, "Method not implemented");
        }
        method = method(sp1);
        if (method.equals("CONNECT")) {
            throw new HttpException(501, "CONNECT not supported");
        }
        target.parse(line, sp1 + 1, sp2, method.equals("OPTIONS"));
    }

    private void version(int start) throws HttpException {
        if (len - start != 8 || line[start] != 'H' || line[start + 1] != 'T'
                || line[start + 2] != 'T' || line[start + 3] != 'P' || line[start + 4] != '/'
                || !isDigit(line[start + 5]) || line[start + 6] != '.' || !isDigit(line[start + 7])) {
            throw HttpException.badRequest("Invalid HTTP version");
        }
        if (line[start + 5] != '1') {
            throw new HttpException(505, "HTTP version not supported");
        }
        minor = line[start + 7] == '0' ? 0 : 1;
    }

    /** The method, as a shared constant when it is a common one. */
    private String method(int end) {
        for (int i = 0; i < METHODS.length; i++) {
            if (METHOD_BYTES[i].length == end && Arrays.equals(line, 0, end, METHOD_BYTES[i], 0, end)) {
                return METHODS[i];
            }
        }
        return new String(line, 0, end, StandardCharsets.US_ASCII);
    }

    private int indexOfSpace(int from) {
        for (int i = from; i < len; i++) {
            if (line[i] == SP) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    String method() {
        return method;
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1 (and higher 1.x). */
    int minor() {
        return minor;
    }

    RequestTarget target() {
        return target;
    }

    FieldSection fields() {
        return fields;
    }

    /** The request line, without CRLF, copied out. */
    byte[] lineSnapshot() {
        return Arrays.copyOf(line, len);
    }
}
