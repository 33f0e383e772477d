package dev.sluice.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * One blocking client-side HTTP/1.1 connection, for {@code OpenLoop --idle}: reads the response
 * to a request sent on it with a {@link ResponseParser}. Not thread-safe: one thread owns it.
 */
final class HttpConnection {
    private final Socket socket;
    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private final ResponseParser parser = new ResponseParser();

    HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Reads one whole response (its request already sent), returns its status code. */
    int readResponse() throws IOException {
        parser.reset();
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                if (parser.endsAtClose()) {
                    return parser.status();
                }
                throw new EOFException("end of stream before the end of the response");
            }
            int status = parser.parse(ByteBuffer.wrap(buf, 0, n));
            if (status > 0) {
                return status;
            }
        }
    }

    /** The last response said the server closes ({@code Connection: close}, HTTP/1.0, no length). */
    boolean closeAfter() {
        return parser.closeAfter();
    }

    /** True if the server has not closed the connection (waits a millisecond at most). */
    boolean stillOpen() {
        try {
            socket.setSoTimeout(1);
            return in.read() >= 0;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void close() {
        Load.closeQuietly(socket);
    }
}
