package dev.sluice.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One piece of a segmented response body ({@link HttpResponse#withFile(Path, long, long)},
 * {@code multipart/byteranges}): bytes, or a region of a file sent zero-copy. Immutable.
 */
sealed interface BodySegment {

    /** How many bytes this segment puts on the wire. */
    long length();

    /** Bytes sent as they are; the array is not copied and must not change afterwards. */
    record Bytes(byte[] bytes) implements BodySegment {
        @Override
        public long length() {
            return bytes.length;
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}, opened only when encoded. */
    record FileRegion(Path file, long offset, long length) implements BodySegment {
        public FileRegion {
            if (offset < 0 || length < 0 || offset + length < 0) {
                throw new IllegalArgumentException("invalid file region: offset " + offset
                        + ", length " + length);
            }
        }
    }

    /** The sum of the segments' lengths. */
    static long totalLength(BodySegment[] segments) {
        long total = 0;
        for (BodySegment s : segments) {
            total = Math.addExact(total, s.length());
        }
        return total;
    }

    /**
     * Opens the file of every region, in order (null for byte segments), checking that each file
     * still holds its region. On failure every file already opened is closed.
     *
     * @throws java.nio.file.NoSuchFileException if a file is missing
     * @throws IOException if a file cannot be read or has become shorter than its region
     */
    static FileChannel[] open(BodySegment[] segments) throws IOException {
        FileChannel[] channels = new FileChannel[segments.length];
        try {
            for (int i = 0; i < segments.length; i++) {
                if (segments[i] instanceof FileRegion r) {
                    channels[i] = FileChannel.open(r.file());
                    if (channels[i].size() < r.offset() + r.length()) {
                        // The file changed after the response was made; sending less than the
                        // announced Content-Length would leave the client waiting.
                        throw new IOException("file is shorter than the region to send");
                    }
                }
            }
            return channels;
        } catch (IOException | RuntimeException e) {
            close(channels);
            throw e;
        }
    }

    /** Closes every non-null channel quietly. */
    static void close(FileChannel[] channels) {
        for (FileChannel c : channels) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // Closing quietly is the one place an exception may be dropped.
                }
            }
        }
    }
}
