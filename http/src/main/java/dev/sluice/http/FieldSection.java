package dev.sluice.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.sluice.http.Grammar.CR;
import static dev.sluice.http.Grammar.LF;

/**
 * Reads a field section (the headers of a request, or the trailers of a chunked body) a byte at
 * a time, up to and including the empty line that ends it, so it may arrive split anywhere. Each
 * byte is checked as it arrives, in order, so any split of the same bytes gives the same answer.
 * Reusable: {@link #reset()} between messages. Used by the connection's codec thread only.
 *
 * <p>Line endings: CRLF only. A bare LF is refused rather than accepted as RFC 9112 2.2 allows,
 * because a recipient that accepts it disagrees about line boundaries with one that does not, which
 * is what smuggling exploits; a bare CR is refused as 2.2 requires.
 */
final class FieldSection {
    /** Storage kept between messages; a larger one is dropped so idle connections stay small. */

    private final int maxBytes;
    private final int maxCount;
    private static final int FIRST_BYTES = 256;
    private static final int FIRST_FIELDS = 8;
    private static final byte[] NO_BYTES = new byte[0];
    private static final int[] NO_FIELDS = new int[0];
    /** The field lines so far: none between requests, so that an idle connection holds no buffer. */
    private byte[] buf = NO_BYTES;
    private int len;
    private int lineStart;
    /** Bytes consumed, CRLFs included. */
    private int consumed;
    private int[] fields = NO_FIELDS;
    private int count;

    FieldSection(int maxBytes, int maxCount) {
        this.maxBytes = maxBytes;
        this.maxCount = maxCount;
    }

    void reset() {
        buf = NO_BYTES;
        fields = NO_FIELDS;
        len = 0;
        lineStart = 0;
        consumed = 0;
        count = 0;
    }

    /** Whether any byte of the section has been consumed. */
    boolean started() {
        return consumed > 0;
    }

    /**
     * Consumes bytes of the section from {@code in}.
     *
     * @return true once the empty line ending the section has been consumed; the bytes after it
     *     are left in {@code in}
     */
    boolean read(ByteBuffer in) throws HttpException {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (++consumed > maxBytes) {
                throw new HttpException(431, "Header section too large");
            }
            if (b == LF) {
                if (len == lineStart || buf[len - 1] != CR) {
                    throw HttpException.badRequest("Bare LF in header section");
                }
                len--; // the CR
                if (len == lineStart) {
                    return true;
                }
                if (count == maxCount) {
                    throw new HttpException(431, "Too many header fields");
                }
                if (fields.length < 4 * (count + 1)) {
                    fields = Arrays.copyOf(fields, Math.max(4 * FIRST_FIELDS, fields.length * 2));
                }
                Grammar.fieldLine(buf, lineStart, len, fields, 4 * count);
                count++;
                lineStart = len;
                continue;
            }
            if (len > lineStart && buf[len - 1] == CR) {
                throw HttpException.badRequest("Bare CR in header section");
            }
            if (Grammar.isControl(b) && b != CR) {
                // RFC 9110 5.5: NUL and other controls in a field are invalid; reject, never strip.
                throw HttpException.badRequest("Control character in header section");
            }
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, Math.min(Math.max(FIRST_BYTES, buf.length * 2), maxBytes));
            }
            buf[len++] = b;
        }
        return false;
    }

    /** The fields read, copied out so this section can be reused. */
    Headers snapshot() {
        return count == 0 ? Headers.EMPTY
                : new Headers(Arrays.copyOf(buf, len), Arrays.copyOf(fields, 4 * count), count);
    }
}
