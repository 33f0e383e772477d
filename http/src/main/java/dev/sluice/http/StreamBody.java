package dev.sluice.http;

import dev.sluice.core.BodyProducer;
import dev.sluice.core.Output;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A stream response's body, sent as it is read ({@link BodyProducer}): each piece is what one read
 * of the stream gives, up to {@value #PIECE_BYTES} bytes, so a stream that trickles (events, logs)
 * reaches the client as it comes. Chunked for HTTP/1.1; raw for HTTP/1.0, whose end is the close.
 * The stream is closed at its end, or when the body ends early.
 */
final class StreamBody implements BodyProducer {
    /**
     * The most bytes read from the stream per piece: with its chunk framing, the size of the
     * core's pooled output chunks (16 KiB), so a piece never makes the engine allocate a buffer.
     */
    static final int PIECE_BYTES = 16 * 1024 - 16;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final boolean chunked;
    private final byte[] piece = new byte[PIECE_BYTES];

    StreamBody(InputStream in, boolean chunked) {
        this.in = in;
        this.chunked = chunked;
    }

    @Override
    public boolean next(Output out) throws IOException {
        int n = in.read(piece, 0, piece.length);
        if (n < 0) {
            in.close();
            if (chunked) {
                out.write(LAST_CHUNK);
            }
            return false;
        }
        if (chunked && n > 0) {
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(piece, 0, n);
            out.write(CRLF);
        } else {
            out.write(piece, 0, n);
        }
        return true;
    }

    @Override
    public void abandon() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing quietly is the one place an exception may be dropped.
        }
    }
}
