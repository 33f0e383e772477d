package dev.sluice.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One piece of a response body made of pieces ({@link HttpResponse#withSegments}): bytes, or a
 * region of a file sent zero-copy. What a file server needs beyond a whole file: a
 * {@code multipart/byteranges} body is boundary lines ({@link Bytes}) between ranges of one file
 * ({@link FileRegion}). Immutable.
 *
 * <pre>{@code
 * HttpResponse.status(206)
 *         .withHeader("Content-Type", "multipart/byteranges; boundary=b")
 *         .withSegments(List.of(
 *                 new BodySegment.Bytes(partHead),
 *                 new BodySegment.FileRegion(file, 0, 100),
 *                 new BodySegment.Bytes(closingBoundary)));
 * }</pre>
 */
public sealed interface BodySegment {

    /** How many bytes this segment puts on the wire. */
    long length();

    /**
     * Bytes sent as they are.
     *
     * @param bytes not copied: do not change the array afterwards
     */
    record Bytes(byte[] bytes) implements BodySegment {
        public Bytes {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public long length() {
            return bytes.length;
        }
    }

    /**
     * {@code length} bytes of {@code file} from {@code offset}. The file is opened only when the
     * response is encoded, and closed once sent; if it is missing then, the client gets 404; if it
     * cannot be read or has become shorter than {@code offset + length}, 500, and none of the body
     * is sent.
     */
    record FileRegion(Path file, long offset, long length) implements BodySegment {
        /**
         * Checks the region.
         *
         * @throws IllegalArgumentException if {@code offset} or {@code length} is negative or
         *     their sum overflows
         */
        public FileRegion {
            Objects.requireNonNull(file, "file");
            if (offset < 0 || length < 0 || offset + length < 0) {
                throw new IllegalArgumentException("invalid file region: offset " + offset
                        + ", length " + length);
            }
        }
    }
}
