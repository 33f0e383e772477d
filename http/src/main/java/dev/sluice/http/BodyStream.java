package dev.sluice.http;

import dev.sluice.core.RequestStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A request body read as it arrives, through the engine's {@link RequestStream}: the handler's
 * reads pull bytes from the socket, no more than it asks for, so the body never gathers in memory.
 * Frames by {@code Content-Length} or chunked, with the body limit checked on each chunk size.
 * Sends {@code 100 Continue} on the first read when the client waits for it, so a handler that
 * answers without reading tells the client not to send the body at all.
 *
 * <p>Used by the handler's thread; the codec looks at it again once the handler has returned
 * ({@link #drainable()}), to drain or give up what the handler left.
 */
final class BodyStream extends InputStream {
    private final RequestStream source;
    /** Null for a {@code Content-Length} body. */
    private final ChunkedParser chunked;
    /** The {@code Content-Length} bytes still to come. */
    private long remaining;
    /** {@code 100 Continue}, until it is sent at the first read; null if the client did not ask. */
    private byte[] interim;
    private boolean done;
    /** Why the body cannot be read on: the client's error (400, 413), answered instead. */
    private HttpException refusal;
    /** The client's stream ended or failed mid-body: nothing more can come. */
    private boolean broken;
    /** Body bytes handed to the reader so far. */
    private long consumed;
    /** The body read whole by {@link #whole()}; null until then. */
    private byte[] whole;
    /** The handler answered: a {@link BodyPublisher}'s late task reads nothing more. */
    private boolean over;
    private BodyPublisher publisher;

    /**
     * @param chunked a parser reset for this body, or null to read {@code length} bytes
     * @param interim sent before the first read, or null
     */
    BodyStream(RequestStream source, ChunkedParser chunked, long length, byte[] interim) {
        this.source = source;
        this.chunked = chunked;
        this.remaining = length;
        this.interim = interim;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        check();
        sendInterimIfDue();
        while (true) {
            int n = take(source.buffered(), b, off, len);
            consumed += n;
            if (n > 0 || done) {
                return done && n == 0 ? -1 : n;
            }
            boolean more;
            try {
                more = source.fill();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
            if (!more) {
                broken = true;
                throw new EOFException("the client ended its stream before the end of the body");
            }
        }
    }

    /**
     * Non-blocking, for {@link BodyPublisher}: takes up to {@code max} bytes of the body that are
     * already read, sending {@code 100 Continue} first if it is due.
     *
     * @return the bytes; an empty buffer when more must be read first ({@link #fillLater}); null
     *     at the body's end
     * @throws IOException when the body cannot be read on (refused, cut short, or the exchange over)
     */
    ByteBuffer poll(int max) throws IOException {
        if (done) {
            return null;
        }
        check();
        if (over) {
            throw new IOException("the exchange is over: its answer was sent");
        }
        sendInterimIfDue();
        ByteBuffer in = source.buffered();
        byte[] b = new byte[Math.min(max, Math.max(in.remaining(), 1))];
        int n = take(in, b, 0, b.length);
        consumed += n;
        if (n == 0) {
            return done ? null : ByteBuffer.allocate(0);
        }
        return ByteBuffer.wrap(b, 0, n);
    }

    /** Asks the engine for more bytes without waiting; {@code then} hears, on its thread. */
    void fillLater(RequestStream.Filled then) {
        source.fillLater(then);
    }

    /** What a {@link #fillLater} that found no more bytes means: throws as {@link #read} would. */
    void unfilled(IOException failure) throws IOException {
        broken = true;
        throw failure != null ? failure
                : new EOFException("the client ended its stream before the end of the body");
    }

    /** The codec: the handler's answer is being sent; the body is no longer the handler's to read. */
    void over() {
        over = true;
    }

    /** This body's one publisher, made at the first call. */
    synchronized BodyPublisher publisher() {
        if (publisher == null) {
            publisher = new BodyPublisher(this);
        }
        return publisher;
    }

    /** The engine's stream, for the tasks of a {@link BodyPublisher}. */
    RequestStream source() {
        return source;
    }

    private void sendInterimIfDue() throws IOException {
        if (interim != null) {
            byte[] continuing = interim;
            interim = null;
            source.sendInterim(continuing);
        }
    }

    @Override
    public int available() {
        if (done || refusal != null || broken) {
            return 0;
        }
        int buffered = source.buffered().remaining();
        return chunked == null ? (int) Math.min(remaining, buffered) : 0;
    }

    /** Takes what is buffered of the body into {@code b}; 0 when more bytes must be read first. */
    private int take(ByteBuffer in, byte[] b, int off, int len) throws IOException {
        if (chunked == null) {
            int n = (int) Math.min(Math.min(remaining, in.remaining()), len);
            in.get(b, off, n);
            remaining -= n;
            done = remaining == 0;
            return n;
        }
        long available;
        try {
            available = chunked.data(in);
        } catch (HttpException e) {
            refusal = e;
            throw refused();
        }
        if (available <= 0) {
            done = available < 0;
            return 0;
        }
        int n = (int) Math.min(available, len);
        in.get(b, off, n);
        chunked.took(n);
        return n;
    }

    private void check() throws IOException {
        if (refusal != null) {
            throw refused();
        }
        if (broken) {
            throw new EOFException("the request body cannot be read any further");
        }
    }

    private IOException refused() {
        return new IOException("request body refused: " + refusal.status() + " " + refusal.reason(), refusal);
    }

    /**
     * The whole body, read now unless it was already: what {@link HttpRequest#body()} returns.
     *
     * @throws IllegalStateException if part of it was read as a stream
     * @throws UncheckedIOException if it cannot be read, or is too large for one array (then
     *     answered 413 and the connection closed)
     */
    byte[] whole() {
        if (whole != null) {
            return whole;
        }
        if (consumed > 0) {
            throw new IllegalStateException("the body was partly read as a stream already");
        }
        try {
            if (chunked == null && remaining > HttpConfig.MAX_ARRAY_BYTES) {
                throw tooLargeForAnArray();
            }
            byte[] all = readNBytes(chunked == null ? (int) remaining : HttpConfig.MAX_ARRAY_BYTES);
            if (!done && read() >= 0) {
                throw tooLargeForAnArray();
            }
            whole = all;
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body if {@link #whole()} read it, else null. */
    byte[] wholeIfRead() {
        return whole;
    }

    private IOException tooLargeForAnArray() {
        refusal = new HttpException(413, "Content too large");
        return refused();
    }

    /** Refuses the body from here on with {@code e}: the answer and the close the codec sends. */
    void refuse(HttpException e) {
        refusal = e;
    }

    /** Whether the whole body was read. */
    boolean done() {
        return done;
    }

    /** The client's error that stopped the body, or null. */
    HttpException refusal() {
        return refusal;
    }

    /**
     * The bytes the codec may discard to keep the connection, now the handler has returned:
     * what is left of a {@code Content-Length} body the client was free to send; -1 when it
     * cannot be drained (chunked, broken, refused, or the client still waits for
     * {@code 100 Continue}).
     */
    long drainable() {
        if (done) {
            return 0;
        }
        return chunked != null || broken || refusal != null || interim != null ? -1 : remaining;
    }

    /** The trailer fields of a chunked body read whole; empty before that. */
    Headers trailers() {
        return done && chunked != null ? chunked.trailers() : Headers.EMPTY;
    }
}
