package dev.sluice.http;

import java.nio.ByteBuffer;

import static dev.sluice.http.Grammar.CR;
import static dev.sluice.http.Grammar.LF;

/**
 * Decodes a chunked body (RFC 9112 7.1) arriving split anywhere: hex sizes guarded against
 * overflow and checked against the body limit before the chunk is read, extensions parsed to the
 * grammar and bounded, exactly CRLF after each chunk's data, then the trailer section, bounded as
 * the header section is. Strict: no bare LF, no whitespace before the size, nothing after the size
 * but extensions. Reusable; used by the codec thread only.
 */
final class ChunkedParser {
    /** The longest chunk-size line, extensions included, without CRLF: longer is 400. */
    static final int MAX_SIZE_LINE_BYTES = 4 * 1024;
    /** The most extension bytes in one body (CVE-2023-39326 class): more is 400. */
    static final int MAX_EXTENSION_BYTES = 64 * 1024;

    private enum State { SIZE, DATA, DATA_CR, DATA_LF, TRAILERS, DONE }

    /** The most data bytes one body may hold. */
    private long limit;
    /** The data bytes announced by the sizes read so far. */
    private long total;
    private final byte[] line = new byte[MAX_SIZE_LINE_BYTES + 1];
    private final FieldSection trailers;
    private State state;
    private int len;
    private long remaining;
    private int extensionBytes;

    ChunkedParser(HttpConfig config) {
        this.trailers = new FieldSection(config.maxHeaderBytes(), config.maxHeaderCount());
    }

    /** Starts a body of at most {@code limit} data bytes. */
    void reset(long limit) {
        this.limit = limit;
        total = 0;
        state = State.SIZE;
        len = 0;
        extensionBytes = 0;
        trailers.reset();
    }

    /**
     * Consumes chunked bytes from {@code in}, appending chunk data to {@code body}.
     *
     * @return true once the last chunk and the trailer section have been consumed
     */
    boolean read(ByteBuffer in, BodyBuffer body) throws HttpException {
        for (long n; (n = data(in)) != 0; ) {
            if (n < 0) {
                return true;
            }
            body.append(in, (int) n);
            took((int) n);
        }
        return false;
    }

    /**
     * Consumes framing from {@code in} up to the next chunk data.
     *
     * @return how many bytes of chunk data follow at {@code in}'s position (at most its remaining;
     *     take them, then call {@link #took}); 0 when more bytes are needed; -1 once the last chunk
     *     and the trailer section have been consumed
     */
    long data(ByteBuffer in) throws HttpException {
        while (in.hasRemaining() || state == State.DONE) {
            switch (state) {
                case SIZE -> readSizeLine(in);
                case DATA -> {
                    return Math.min(remaining, in.remaining());
                }
                case DATA_CR -> expect(in, CR, State.DATA_LF);
                case DATA_LF -> expect(in, LF, State.SIZE);
                case TRAILERS -> {
                    if (!trailers.read(in)) {
                        return 0;
                    }
                    state = State.DONE;
                }
                case DONE -> {
                    return -1;
                }
            }
        }
        return 0;
    }

    /** The caller took {@code n} bytes of the chunk data {@link #data} said were there. */
    void took(int n) {
        remaining -= n;
        if (remaining == 0) {
            state = State.DATA_CR;
        }
    }

    /** The trailer fields read; valid once {@link #read} returned true. Never merged into headers. */
    Headers trailers() {
        return trailers.snapshot();
    }

    private void expect(ByteBuffer in, byte want, State next) throws HttpException {
        if (in.get() != want) {
            throw HttpException.badRequest("Chunk data not followed by CRLF");
        }
        state = next;
    }

    private void readSizeLine(ByteBuffer in) throws HttpException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (b == LF) {
                if (len == 0 || line[len - 1] != CR) {
                    throw HttpException.badRequest("Bare LF in chunk size line");
                }
                len--;
                chunk();
                len = 0;
                return;
            }
            if (len > 0 && line[len - 1] == CR) {
                throw HttpException.badRequest("Bare CR in chunk size line");
            }
            if (b < 0 && len == 0 || Grammar.isControl(b) && b != CR) {
                throw HttpException.badRequest("Invalid chunk size line");
            }
            if ((b == CR ? len : len + 1) > MAX_SIZE_LINE_BYTES) {
                throw HttpException.badRequest("Chunk size line too long");
            }
            line[len++] = b;
        }
    }

    private void chunk() throws HttpException {
        long size = 0;
        int i = 0;
        for (int digit; i < len && (digit = Grammar.hex(line[i])) >= 0; i++) {
            // RFC 9112 7.1: guard the conversion; a size past 2^63 is simply too large.
            size = size > (Long.MAX_VALUE - digit) >> 4 ? Long.MAX_VALUE : size << 4 | digit;
        }
        if (i == 0) {
            throw HttpException.badRequest("Invalid chunk size");
        }
        extensions(i);
        extensionBytes += len - i;
        if (extensionBytes > MAX_EXTENSION_BYTES) {
            throw HttpException.badRequest("Chunk extensions too long");
        }
        if (size > limit - total) {
            throw new HttpException(413, "Content too large");
        }
        total += size;
        if (size == 0) {
            state = State.TRAILERS;
        } else {
            remaining = size;
            state = State.DATA;
        }
    }

    /**
     * Checks {@code line[i, len)} against {@code *( BWS ";" BWS name [ BWS "=" BWS value ] )}, name
     * a token, value a token or quoted-string (RFC 9112 7.1.1). Extensions are then ignored.
     */
    private void extensions(int i) throws HttpException {
        while (i < len) {
            i = skipWhitespace(i);
            if (i == len || line[i] != ';') {
                throw HttpException.badRequest("Invalid chunk extension");
            }
            i = skipWhitespace(i + 1);
            int nameStart = i;
            while (i < len && Grammar.isTchar(line[i])) {
                i++;
            }
            if (i == nameStart) {
                throw HttpException.badRequest("Invalid chunk extension");
            }
            int j = skipWhitespace(i);
            if (j < len && line[j] == '=') {
                i = value(skipWhitespace(j + 1));
            }
        }
    }

    private int value(int i) throws HttpException {
        if (i < len && line[i] == '"') {
            for (i++; i < len; i++) {
                byte c = line[i];
                if (c == '"') {
                    return i + 1;
                }
                if (c == '\\') {
                    i++;
                    if (i == len) {
                        break;
                    }
                }
            }
            throw HttpException.badRequest("Invalid chunk extension");
        }
        int start = i;
        while (i < len && Grammar.isTchar(line[i])) {
            i++;
        }
        if (i == start) {
            throw HttpException.badRequest("Invalid chunk extension");
        }
        return i;
    }

    private int skipWhitespace(int i) {
        while (i < len && Grammar.isWhitespace(line[i])) {
            i++;
        }
        return i;
    }
}
