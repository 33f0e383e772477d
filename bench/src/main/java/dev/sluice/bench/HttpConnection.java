package dev.sluice.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One client-side HTTP/1.1 connection of {@link OpenLoop}: writes a request, reads one response
 * (status line, headers, then a {@code Content-Length} or chunked body, which it discards) and
 * says whether the server will close. Just enough HTTP for benchmark servers, not a general
 * client. Not thread-safe: one virtual thread owns it.
 */
final class HttpConnection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;
    /** Responses fully read on this connection. */
    long answered;
    /** Bytes of the current response read so far: 0 means the server sent nothing. */
    long responseBytes;
    /** The last response said {@code Connection: close} (or was HTTP/1.0 without keep-alive). */
    boolean closeAfter;

    HttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Sends {@code request}, reads the whole response, returns its status code. */
    int exchange(byte[] request) throws IOException {
        responseBytes = 0;
        out.write(request);
        String statusLine = line();
        if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        boolean keepAlive = statusLine.startsWith("HTTP/1.1");
        long length = -1;
        boolean chunked = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> keepAlive = value.contains("keep-alive")
                        || (keepAlive && !value.contains("close"));
                default -> { }
            }
        }
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                skip(size);
                line();
            }
            while (!line().isEmpty()) {
                // Trailer fields, ignored.
            }
        } else if (length > 0) {
            skip(length);
        } else if (length < 0 && status >= 200 && status != 204 && status != 304) {
            // RFC 9112 6.3: no length: the body runs to the close.
            while (fill()) {
                pos = lim;
            }
            keepAlive = false;
        }
        closeAfter = !keepAlive;
        answered++;
        return status;
    }

    /** True if the server has not closed the connection (checked without blocking for long). */
    boolean stillOpen() {
        try {
            socket.setSoTimeout(1);
            return in.read() >= 0;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left.
        }
    }

    private long chunkSize() throws IOException {
        String l = line();
        int semi = l.indexOf(';');
        return Long.parseLong((semi < 0 ? l : l.substring(0, semi)).trim(), 16);
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (pos == lim && !fill()) {
                throw new EOFException("end of stream in a body");
            }
            int take = (int) Math.min(n, lim - pos);
            pos += take;
            n -= take;
        }
    }

    /** One line without its CRLF. */
    private String line() throws IOException {
        StringBuilder sb = null;
        while (true) {
            if (pos == lim && !fill()) {
                throw new EOFException("end of stream after " + responseBytes + " response bytes");
            }
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String part = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    if (sb == null) {
                        return part;
                    }
                    String s = sb.append(part).toString();
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(new String(buf, pos, lim - pos, StandardCharsets.ISO_8859_1));
            pos = lim;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        if (n < 0) {
            return false;
        }
        pos = 0;
        lim = n;
        responseBytes += n;
        return true;
    }
}
