package dev.sluice.http;

import dev.sluice.core.Output;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * Encodes responses onto an {@link Output}: status line, {@code Date}, the response's fields, the
 * framing fields, {@code Connection} when needed, then the body. The head is composed in one
 * buffer and written with one call; the buffer is dropped once written, so that a connection
 * holds none between responses. Used by the connection's codec thread only.
 */
final class ResponseWriter {
    static final System.Logger LOG = System.getLogger("dev.sluice.http");
    /**
     * Heads up to this size are handed to the Output by copy; larger ones are written as an array
     * of their own size, which the core's Output queues by reference.
     */
    private static final int COPIED_HEAD_BYTES = 8 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private static final HttpResponse NOT_FOUND = HttpResponse.text(404, "Not Found\n");
    private static final HttpResponse SERVER_ERROR = HttpResponse.text(500, "Internal Server Error\n");

    private final DateCache dates;
    /** {@code Server: ...\r\n}, or null to send none. */
    private final byte[] serverLine;
    private final long connection;
    /** What {@link #buf} starts at for each response's head. */
    private static final int FIRST_HEAD_BYTES = 512;
    private static final byte[] NO_BYTES = new byte[0];
    /** The head being written: none between responses, so that an idle connection holds no buffer. */
    private byte[] buf = NO_BYTES;
    private int len;
    // The body of the response being written, set by openBody, cleared once it is written: fields
    // rather than a holder object, so a response costs no allocation beyond its own.
    private byte[] bytes;
    private InputStream stream;
    private FileChannel file;
    private BodySegment[] segments;
    private FileChannel[] regions;
    private long length;
    private boolean chunked;

    /** @param serverLine the {@code Server} field line, CRLF included, or {@code null} for none */
    ResponseWriter(DateCache dates, byte[] serverLine, long connection) {
        this.dates = dates;
        this.serverLine = serverLine;
        this.connection = connection;
    }

    /**
     * Writes {@code r} as the answer to a request of shape {@code to}: a HEAD gets the head only,
     * with the length a GET would get. A stream body is produced as it is sent ({@link StreamBody}):
     * chunked to HTTP/1.1, and to HTTP/1.0 raw, ended by the close.
     *
     * @param persistence whether the connection stays open; {@code CLOSE} sends {@code Connection: close}
     * @return {@code persistence}, or {@code CLOSE} for a stream to HTTP/1.0
     */
    Persistence write(HttpResponse r, RequestShape to, Persistence persistence, Output out) {
        boolean bodyless = r.status() == 204 || r.status() == 304;
        try {
            openBody(r, to, bodyless);
        } catch (IOException e) {
            clearBody();
            boolean missing = e instanceof NoSuchFileException;
            LOG.log(missing ? Level.DEBUG : Level.WARNING,
                    "conn={0} response_body_failed: {1}", connection, e.toString());
            return write(missing ? NOT_FOUND : SERVER_ERROR, to, persistence, out);
        } finally {
            if ((bodyless || to.head()) && r.stream() != null) {
                closeQuietly(r.stream());
            }
        }
        if (stream != null && to.http10()) {
            persistence = Persistence.CLOSE; // no chunked coding in HTTP/1.0: the close ends the body
        }
        writeHead(r, to, bodyless, persistence, out);
        if (to.head() || bodyless) {
            clearBody();
            return persistence;
        }
        return writeBody(out, to) ? persistence : Persistence.CLOSE;
    }

    /** Sets the body fields for {@code r}: what to send and its length (-1: chunked). */
    private void openBody(HttpResponse r, RequestShape to, boolean bodyless) throws IOException {
        bytes = r.body();
        stream = bodyless || to.head() ? null : r.stream();
        segments = bodyless ? null : r.segments();
        length = bytes == null ? -1 : bytes.length;
        chunked = stream != null || (to.head() && r.stream() != null);
        if (segments != null) {
            length = SegmentChannels.totalLength(segments);
            if (!to.head()) {
                regions = SegmentChannels.open(segments);
            }
        } else if (r.file() != null && !bodyless) {
            if (to.head()) {
                length = Files.size(r.file());
            } else {
                file = FileChannel.open(r.file());
                length = file.size();
            }
        } else if (stream != null && to.http10()) {
            chunked = false; // and no length: the close ends it
        }
    }

    private void writeHead(HttpResponse r, RequestShape to, boolean bodyless, Persistence persistence, Output out) {
        len = 0;
        append(StatusLines.of(r.status()));
        HttpResponse.EncodedFields fields = r.encodedFields();
        if (!fields.hasDate()) {
            append(dates.line());
        }
        if (serverLine != null && !fields.hasServer()) {
            append(serverLine);
        }
        append(fields.lines());
        if (bodyless) {
            // RFC 9110 8.6: no Content-Length in a 204; a 304's would describe another response.
        } else if (chunked) {
            if (!to.head()) {
                field("Transfer-Encoding", "chunked");
            }
        } else if (stream == null) {
            append("Content-Length: ");
            appendDecimal(length);
            append(CRLF);
        }
        if (!persistence.kept()) {
            field("Connection", "close");
        } else if (to.http10()) {
            field("Connection", "keep-alive");
        }
        append(CRLF);
        flushHead(out);
    }

    /**
     * Writes the body the fields hold (a stream: hands it to the engine to produce), then forgets
     * it; false when an Output that runs the producer itself saw it fail.
     */
    private boolean writeBody(Output out, RequestShape to) {
        try {
            if (regions != null) {
                writeSegments(segments, regions, out);
            } else if (file != null) {
                if (length > 0) {
                    out.transfer(file, 0, length);
                } else {
                    closeQuietly(file);
                }
            } else if (stream != null) {
                out.produce(new StreamBody(stream, !to.http10()));
            } else if (bytes.length > 0) {
                out.write(bytes);
            }
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "conn={0} response_stream_failed: {1}", connection, e.toString());
            return false;
        } finally {
            clearBody();
        }
    }

    /** Drops the references to the last body, so the writer holds no response between requests. */
    private void clearBody() {
        bytes = null;
        stream = null;
        file = null;
        segments = null;
        regions = null;
    }

    /** Writes an error answer: {@code status}, the fixed {@code reason} as body, and close. */
    void writeError(int status, String reason, Output out) {
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        len = 0;
        append(StatusLines.of(status));
        append(dates.line());
        if (serverLine != null) {
            append(serverLine);
        }
        field("Content-Type", "text/plain; charset=utf-8");
        field("Content-Length", Integer.toString(body.length));
        field("Connection", "close");
        append(CRLF);
        append(body);
        flushHead(out);
    }

    /**
     * The answer to a client turned away at the connection limit: static bytes, so no Date.
     *
     * @param serverLine the {@code Server} field line, or {@code null} for none
     */
    static byte[] rejection(long retryAfterSeconds, byte[] serverLine) {
        return closingAnswer("503 Service Unavailable", "Retry-After: " + retryAfterSeconds + "\r\n",
                "Server busy, retry later\n", serverLine);
    }

    /**
     * The answer, in clear, to a plain HTTP request sent to an HTTPS port, as nginx gives it: 400,
     * a body that says to use https, and the close.
     */
    static byte[] plainHttpToTls(byte[] serverLine) {
        return closingAnswer("400 Bad Request", "",
                "This port speaks HTTPS: send the request with https:// instead of http://.\n", serverLine);
    }

    /** A whole plain-text response made before any request is read, closing the connection. */
    private static byte[] closingAnswer(String status, String extraFields, String body, byte[] serverLine) {
        String server = serverLine == null ? "" : new String(serverLine, StandardCharsets.US_ASCII);
        return ("HTTP/1.1 " + status + "\r\n"
                + server
                + extraFields
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Writes each segment in order: bytes as they are, file regions by transfer. */
    private static void writeSegments(BodySegment[] segments, FileChannel[] regions, Output out) {
        for (int i = 0; i < segments.length; i++) {
            if (segments[i] instanceof BodySegment.Bytes b) {
                out.write(b.bytes());
            } else if (segments[i] instanceof BodySegment.FileRegion f) {
                if (f.length() > 0) {
                    out.transfer(regions[i], f.offset(), f.length());
                } else {
                    closeQuietly(regions[i]);
                }
            }
        }
    }

    private void field(String name, String value) {
        append(name);
        append(": ");
        append(value);
        append(CRLF);
    }

    /** Appends the digits of {@code n} >= 0 without making a String. */
    private void appendDecimal(long n) {
        ensure(20);
        int start = len;
        do {
            buf[len++] = (byte) ('0' + n % 10);
            n /= 10;
        } while (n > 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
    }

    /** Appends {@code s}, already checked to be ISO-8859-1, one byte per char. */
    private void append(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(Math.max(FIRST_HEAD_BYTES, buf.length * 2), len + n));
        }
    }

    private void flushHead(Output out) {
        if (len > COPIED_HEAD_BYTES) {
            out.write(Arrays.copyOf(buf, len));
        } else {
            out.write(buf, 0, len);
        }
        buf = NO_BYTES;
        len = 0;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing quietly is the one place an exception may be dropped.
        }
    }
}
