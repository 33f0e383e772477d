package dev.sluice.http;

import dev.sluice.core.BodyProducer;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.Output;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.function.LongSupplier;

/**
 * Measures one connection's exchanges for an {@link HttpObserver}: the request bytes the codec
 * consumes, the first byte's time, and, as an {@link Output} wrapped around the engine's for the
 * length of one response, the bytes encoded, where the head ends and the status sent (read back
 * from the status line, so a status the writer substituted is the one reported). The codec makes
 * one only when there is an observer; without one it has {@link ExchangeMeter#NONE}. Used by the
 * connection's codec thread only.
 */
final class ObservingMeter implements ExchangeMeter, Output {
    private final HttpObserver observer;
    private final ConnectionInfo info;
    private final LongSupplier nanos;
    // The request being read.
    private int mark;
    private long readBytes;
    private boolean timing;
    private long start;
    // The request decoded last, which the next response answers.
    private HttpRequest answering;
    private long answeringBytes;
    private long answeringStart;
    // The response being encoded.
    private Output out;
    private long written;
    private long headBytes;
    private int status;
    private int crlf;
    // A body produced as it is sent ends the response being encoded: reported once it has ended.
    private boolean producing;
    private boolean produced;
    private boolean awaitingBody;

    ObservingMeter(HttpObserver observer, ConnectionInfo info, LongSupplier nanos) {
        this.observer = observer;
        this.info = info;
        this.nanos = nanos;
    }

    /** A decode call begins: count from the buffer's position. */
    @Override
    public void enter(ByteBuffer in) {
        mark = in.position();
    }

    /** Adds what was consumed since the last mark to the current request. */
    @Override
    public void count(ByteBuffer in) {
        readBytes += in.position() - mark;
        mark = in.position();
    }

    /** Bytes consumed since the mark belong to no request (a refused body, discarded). */
    @Override
    public void skip(ByteBuffer in) {
        mark = in.position();
    }

    /** A request's first byte is about to be consumed: start its clock, once. */
    @Override
    public void starting() {
        if (!timing) {
            start = nanos.getAsLong();
            timing = true;
        }
    }

    /** A request is decoded whole: keep its bytes and start for its exchange; ready for the next. */
    @Override
    public void decoded(HttpRequest request, ByteBuffer in) {
        count(in);
        answering = request;
        answeringBytes = readBytes;
        answeringStart = timing ? start : nanos.getAsLong();
        readBytes = 0;
        timing = false;
    }

    /** This meter, recording a response written to {@code target}. */
    @Override
    public Output wrap(Output target) {
        out = target;
        written = 0;
        headBytes = -1;
        status = 0;
        crlf = 0;
        return this;
    }

    /**
     * The response to the request decoded last is encoded: tell the observer, now or, for a body
     * still being produced, once it has been.
     */
    @Override
    public void answered() {
        if (producing && !produced) {
            awaitingBody = true;
            return;
        }
        producing = false;
        produced = false;
        HttpRequest request = answering;
        answering = null; // not kept, body and all, until the next request
        emit(request, answeringBytes, answeringStart);
    }

    /**
     * The request being read got its answer (a refusal, an error, a timeout) before it was decoded
     * whole; {@code request} is {@code null} when its head was not read.
     */
    @Override
    public void answeredEarly(HttpRequest request) {
        long begun = timing ? start : nanos.getAsLong();
        long bytes = readBytes;
        readBytes = 0;
        timing = false;
        emit(request, bytes, begun);
    }

    private void emit(HttpRequest request, long requestBytes, long begun) {
        long body = headBytes < 0 ? 0 : written - headBytes;
        out = null;
        try {
            observer.onExchange(new Exchange(info, request, status, requestBytes, written, body,
                    begun, nanos.getAsLong()));
        } catch (RuntimeException e) {
            ResponseWriter.LOG.log(Level.WARNING, "conn=" + info.id() + " observer_failed", e);
        }
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
        for (int i = 0; i < len && headBytes < 0; i++) {
            scan(bytes[off + i], written + i);
        }
        written += len;
        out.write(bytes, off, len);
    }

    @Override
    public void write(ByteBuffer buffer) {
        int n = buffer.remaining();
        for (int i = 0; i < n && headBytes < 0; i++) {
            scan(buffer.get(buffer.position() + i), written + i);
        }
        written += n;
        out.write(buffer);
    }

    @Override
    public void transfer(FileChannel file, long position, long count) {
        written += count;
        out.transfer(file, position, count);
    }

    /**
     * Passed on to the engine, counting what each piece writes; the exchange is reported when the
     * body has ended (whole, or cut short), on the thread that produced it.
     */
    @Override
    public void produce(BodyProducer producer) throws IOException {
        producing = true;
        out.produce(new BodyProducer() {
            @Override
            public boolean next(Output piece) throws IOException {
                out = piece;
                boolean more = producer.next(ObservingMeter.this);
                if (!more) {
                    bodyEnded();
                }
                return more;
            }

            @Override
            public void abandon() {
                producer.abandon();
                bodyEnded();
            }
        });
    }

    private void bodyEnded() {
        produced = true;
        if (awaitingBody) {
            awaitingBody = false;
            answered();
        }
    }

    /** Reads the status digits ({@code HTTP/1.1 200}: offsets 9 to 11) and finds the head's end. */
    private void scan(byte b, long offset) {
        if (offset >= 9 && offset <= 11 && b >= '0' && b <= '9') {
            status = status * 10 + (b - '0');
        }
        if (b == '\r') {
            crlf = crlf == 2 ? 3 : 1;
        } else if (b == '\n' && (crlf == 1 || crlf == 3)) {
            crlf++;
            if (crlf == 4) {
                headBytes = offset + 1;
            }
        } else {
            crlf = 0;
        }
    }
}
