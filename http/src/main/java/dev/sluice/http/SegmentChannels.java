package dev.sluice.http;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Opens and closes the files of a segmented body ({@link BodySegment}) for the
 * {@link ResponseWriter}, on the thread that encodes the response.
 */
final class SegmentChannels {
    private SegmentChannels() {
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
                if (segments[i] instanceof BodySegment.FileRegion r) {
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
