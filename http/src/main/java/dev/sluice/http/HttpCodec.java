package dev.sluice.http;

import dev.sluice.core.Codec;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.Output;
import dev.sluice.core.ProtocolException;
import dev.sluice.core.RequestStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * HTTP/1.1 for one connection, sans I/O (RFC 9112). Driven by the engine from one thread at a time.
 *
 * <pre>
 *   ┌─▶ HEAD ── head complete ──┬── Content-Length, all here ─▶ FIXED ──┐
 *   │   (BETWEEN_MESSAGES until ├── chunked or still to come ──▶ STREAM ─┤ request returned;
 *   │    a byte, then IN_HEAD)  │     (returned at once; encode: HEAD,   │ from STREAM, when
 *   │                           │      DRAIN the rest, or close)         │ encode has run
 *   │                           ├── no body ─────────────────────────────┤
 *   │                           └── refused, drainable ──▶ DRAIN ────────┤ 413/417 already written
 *   └────────────────────────────────────────────────────────────────────┘
 *                            FIXED, CHUNKED, STREAM, DRAIN: IN_BODY
 * </pre>
 *
 * <p>{@link #decode} returns one request and leaves the bytes after it in the buffer, so pipelined
 * requests are decoded one by one and answered in order. With a {@link RequestStream} attached (as
 * every engine does), a body that is not all in the buffer is not waited for: the request is
 * returned after its head and the handler reads the body through a {@link BodyStream}, which
 * sends {@code 100 Continue} at its first read; {@link #encode} then decides what happens to what
 * the handler left. Without one (tests), bodies are read whole first ({@code CHUNKED} too), and
 * {@code 100 Continue} is written as soon as the head is accepted. Any byte
 * stream it cannot trust throws an {@link HttpException}; the engine answers it through
 * {@link #encodeError} with {@code Connection: close} and closes. {@link #encode} answers the
 * request decoded last and says whether the connection persists: not after
 * {@code Connection: close} (either side), HTTP/1.0 without keep-alive, the last request allowed
 * by {@link HttpConfig#maxRequestsPerConnection()}, or shutdown.
 *
 * <p>With an {@link HttpObserver}, an {@link ObservingMeter} counts what {@link #decode} consumes
 * and wraps the {@link Output} of each response, and the observer is told of every response
 * encoded here, errors included, right after it is encoded; without one the meter is
 * {@link ExchangeMeter#NONE}, which does nothing.
 */
final class HttpCodec implements Codec<HttpRequest, HttpResponse> {
    private static final byte[] CONTINUE =
            "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final HttpResponse SERVER_ERROR = HttpResponse.text(500, "Internal Server Error\n");
    private static final byte[] NO_BODY = {};

    private enum State { HEAD, FIXED, CHUNKED, STREAM, DRAIN }

    private final HttpConfig config;
    private final ConnectionInfo info;
    private final HeadParser head;
    private final Framing framing = new Framing();
    /** Made at the first chunked body: its 4 KiB line buffer is not carried by every connection. */
    private ChunkedParser chunked;
    private final BodyBuffer body = new BodyBuffer();
    private final ResponseWriter writer;
    /** {@link ExchangeMeter#NONE} without an observer. */
    private final ExchangeMeter meter;
    /** What a body is read through while the handler runs; null: bodies are read whole first. */
    private RequestStream source;
    /** The body the handler of the request decoded last reads as it arrives; null when none. */
    private BodyStream streaming;
    private State state = State.HEAD;
    /** The current request's head was read whole (and {@link #head} still holds it). */
    private boolean headRead;
    private long remaining;
    private int requests;
    /** The header fields of the request whose body is being read. */
    private Headers pendingFields;
    // The request decoded last, which encode answers.
    private RequestShape lastShape = RequestShape.FULL_1_1;
    private boolean lastPersistent;

    HttpCodec(HttpConfig config, ConnectionInfo info, DateCache dates) {
        this(config, info, dates, null, System::nanoTime);
    }

    /** @param observer told of each exchange, or {@code null}; {@code nanos} times them */
    HttpCodec(HttpConfig config, ConnectionInfo info, DateCache dates, HttpObserver observer,
              LongSupplier nanos) {
        this(config, info, dates, observer, nanos, config.serverLine());
    }

    /** @param serverLine {@link HttpConfig#serverLine()}, encoded once for every connection */
    HttpCodec(HttpConfig config, ConnectionInfo info, DateCache dates, HttpObserver observer,
              LongSupplier nanos, byte[] serverLine) {
        this.meter = observer == null ? ExchangeMeter.NONE : new ObservingMeter(observer, info, nanos);
        this.config = config;
        this.info = info;
        this.head = new HeadParser(config);
        this.writer = new ResponseWriter(dates, serverLine, info.id());
    }

    @Override
    public void attach(RequestStream stream) {
        this.source = stream;
    }

    @Override
    public HttpRequest decode(ByteBuffer in, Output out) throws HttpException {
        meter.enter(in);
        try {
            HttpRequest request = decodeNext(in, out);
            if (request != null) {
                meter.decoded(request, in);
            } else {
                meter.count(in);
            }
            return request;
        } catch (HttpException e) {
            meter.count(in);
            throw e;
        }
    }

    private HttpRequest decodeNext(ByteBuffer in, Output out) throws HttpException {
        while (in.hasRemaining()) {
            switch (state) {
                case HEAD -> {
                    meter.starting();
                    if (!head.read(in)) {
                        return null;
                    }
                    headRead = true;
                    HttpRequest request = onHead(in, out);
                    if (request != null) {
                        return request;
                    }
                }
                case FIXED -> {
                    return readFixed(in);
                }
                case CHUNKED -> {
                    if (!chunked.read(in, body)) {
                        return null;
                    }
                    return complete(chunked.trailers());
                }
                case DRAIN -> drain(in);
                case STREAM -> {
                    return null; // the handler reads the body; encode decides what follows
                }
            }
        }
        return null;
    }

    /** Reads what is here of a Content-Length body; the request once it is whole. */
    private HttpRequest readFixed(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        body.append(in, n);
        remaining -= n;
        return remaining > 0 ? null : complete(Headers.EMPTY);
    }

    /** Discards what is here of a refused body; the next request's head follows it. */
    private void drain(ByteBuffer in) {
        int n = (int) Math.min(remaining, in.remaining());
        in.position(in.position() + n);
        meter.skip(in);
        remaining -= n;
        if (remaining == 0) {
            state = State.HEAD;
        }
    }

    /** The head is complete: refuse it, or get ready for its body; the request when it has none. */
    private HttpRequest onHead(ByteBuffer in, Output out) throws HttpException {
        Headers fields = head.fields().snapshot();
        framing.analyze(fields, head.minor());
        int refusal = 0;
        String reason = null;
        if (framing.contentLength > config.maxBodyBytes()) {
            refusal = 413;
            reason = "Content too large";
        } else if (framing.expectOther) {
            refusal = 417;
            reason = "Expectation not supported";
        }
        if (refusal != 0) {
            refuse(refusal, reason, in, out);
            return null;
        }
        if (source != null && (framing.chunked || in.remaining() < framing.contentLength)) {
            return stream(fields);
        }
        if (framing.chunked || framing.contentLength > 0) {
            readWhole(fields, out);
            return null;
        }
        body.reset(0);
        pendingFields = fields;
        return complete(Headers.EMPTY);
    }

    /** Gets ready to read the body whole before the request is handed over. */
    private void readWhole(Headers fields, Output out) {
        if (framing.expectContinue) {
            out.write(CONTINUE);
        }
        long ceiling = Math.min(config.maxBodyBytes(), HttpConfig.MAX_ARRAY_BYTES);
        body.reset((int) (framing.chunked ? ceiling : framing.contentLength));
        pendingFields = fields;
        if (framing.chunked) {
            if (chunked == null) {
                chunked = new ChunkedParser(config);
            }
            chunked.reset(ceiling);
            state = State.CHUNKED;
        } else {
            remaining = framing.contentLength;
            state = State.FIXED;
        }
    }

    /**
     * The request whose body has not all arrived, handed over now: the handler reads the body as
     * it comes ({@link BodyStream}), and {@code 100 Continue} waits for its first read.
     */
    private HttpRequest stream(Headers fields) {
        ChunkedParser parser = null;
        if (framing.chunked) {
            parser = new ChunkedParser(config); // its own: the trailers outlive the next request's
            parser.reset(config.maxBodyBytes());
        }
        streaming = new BodyStream(source, parser, framing.contentLength,
                framing.expectContinue ? CONTINUE : null);
        body.reset(0);
        pendingFields = fields;
        HttpRequest request = complete(Headers.EMPTY);
        state = State.STREAM;
        return request;
    }

    /**
     * The handler of a streamed body returned: go on to the next request if it read the body
     * whole, else discard the rest when that is cheap and the client sends it, else close.
     *
     * @return the refusal to answer instead of the handler's response, or null
     */
    private HttpException afterStream() {
        BodyStream s = streaming;
        streaming = null;
        s.over();
        if (s.refusal() != null) {
            return s.refusal();
        }
        long left = s.drainable();
        if (left == 0) {
            state = State.HEAD;
        } else if (left > 0 && left <= config.maxDrainBytes() && lastPersistent) {
            remaining = left;
            state = State.DRAIN;
        } else {
            lastPersistent = false; // the rest of the body may be on its way: never read it as a request
        }
        return null;
    }

    /**
     * Answers a request refused before its body was read. Keeps the connection and discards the
     * body when that is safe and cheap (see {@link HttpConfig#maxDrainBytes()}), else closes.
     */
    private void refuse(int status, String reason, ByteBuffer in, Output out) throws HttpException {
        long length = framing.chunked ? -1 : Math.max(framing.contentLength, 0);
        boolean persistent = framing.persistent && !lastAllowed(requests + 1);
        if (!persistent || framing.expectContinue || length < 0 || length > config.maxDrainBytes()) {
            throw new HttpException(status, reason);
        }
        requests++;
        HttpResponse answer = HttpResponse.text(status, reason + "\n");
        HttpRequest refused = headOnly();
        // A refusal has no body to withhold from a HEAD, and the connection stays: the body is drained.
        RequestShape shape = head.minor() == 0 ? RequestShape.FULL_1_0 : RequestShape.FULL_1_1;
        writer.write(answer, shape, Persistence.KEEP_ALIVE, meter.wrap(out));
        meter.count(in);
        meter.answeredEarly(refused);
        head.reset();
        headRead = false;
        remaining = length;
        state = length > 0 ? State.DRAIN : State.HEAD;
    }

    private HttpRequest complete(Headers trailers) {
        requests++;
        HttpRequest request = new HttpRequest(head.method(), head.minor(), head.lineSnapshot(), head.target(),
                pendingFields, trailers, body.take(), info, config.trustForwardedHeaders(), streaming);
        lastShape = RequestShape.of(request.method(), head.minor());
        lastPersistent = framing.persistent && !lastAllowed(requests);
        pendingFields = null;
        head.reset();
        headRead = false;
        state = State.HEAD;
        return request;
    }

    /** The request whose head was read, with no body: for an exchange answered before its end. */
    private HttpRequest headOnly() {
        Headers fields = pendingFields != null ? pendingFields : head.fields().snapshot();
        return new HttpRequest(head.method(), head.minor(), head.lineSnapshot(), head.target(),
                fields, Headers.EMPTY, NO_BODY, info, config.trustForwardedHeaders());
    }

    /** Whether request number {@code n} is the last this connection may carry. */
    private boolean lastAllowed(int n) {
        int max = config.maxRequestsPerConnection();
        return max > 0 && n >= max;
    }

    @Override
    public Progress progress() {
        if (state != State.HEAD) {
            return Progress.IN_BODY;
        }
        return head.started() ? Progress.IN_HEAD : Progress.BETWEEN_MESSAGES;
    }

    @Override
    public boolean encode(HttpResponse response, Output out, boolean closing) {
        HttpException refused = streaming == null ? null : afterStream();
        if (refused != null) { // the body broke the rules as it streamed: its status, and close
            writer.writeError(refused.status(), refused.reason(), meter.wrap(out));
            meter.answered();
            return false;
        }
        Persistence asked = Persistence.of(lastPersistent && !closing && !response.requestsClose());
        Persistence kept = writer.write(response, lastShape, asked, meter.wrap(out));
        meter.answered();
        return kept.kept();
    }

    @Override
    public void encodeError(ProtocolException error, Output out) {
        int status = error.code() >= 400 && error.code() <= 599 ? error.code() : 400;
        answerEarly(status, error.reason(), out, headRead);
    }

    @Override
    public boolean encodeFailure(Throwable failure, Output out, boolean closing) {
        // The request was read whole, so the byte stream is still in step: the connection may stay.
        HttpResponse answer = failure instanceof HttpException e
                ? HttpResponse.text(e.status(), e.reason() + "\n") : SERVER_ERROR;
        return encode(answer, out, closing);
    }

    @Override
    public void encodeTimeout(Output out) {
        answerEarly(408, "Request timeout", out, headRead);
    }

    @Override
    public void encodeRequestTimeout(Output out) {
        // As Go's TimeoutHandler: 503, and the late response never reaches the client. The request
        // was decoded whole, so the observer sees it, its bytes and its time as for any answer.
        writer.writeError(503, "Handler timed out", meter.wrap(out));
        meter.answered();
    }

    /** An error answer that ends the connection; the observer sees the head if {@code withHead}. */
    private void answerEarly(int status, String reason, Output out, boolean withHead) {
        writer.writeError(status, reason, meter.wrap(out));
        meter.answeredEarly(withHead ? headOnly() : null);
    }
}
