package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;

/**
 * Serves one connection's protocol on the calling thread with straight-line blocking code, on
 * every blocking engine: read, decode each whole request, handle it, encode the answer, write the
 * batch, read again, until the client or the protocol ends it, a timeout fires, or the server
 * shuts down. Before each blocking call the connection enters the phase that sets its deadline
 * ({@link ConnectionState}), so the {@link Timer} can end a call that takes too long.
 *
 * <p>Threads: the connection's own (a worker, a virtual thread, the acceptor on
 * {@code sequential}); {@link #requestTimedOut} alone runs on the timer thread.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
final class BlockingConnection<Q, R> extends Exchange<Q, R> implements RequestStream {
    /** What a connection reads into while it waits for a request: most heads fit; an idle one holds no more. */
    static final int IDLE_READ_BYTES = 1024;
    /** The read buffer borrowed from the server while bytes stream in. */
    static final int READ_BYTES = 8 * 1024;

    private final EngineContext context;
    private final SocketChannel ch;
    private final Stats stats;
    private final BufferPool readBuffers;
    private final OutboundBuffer out;
    private final ByteBuffer small = ByteBuffer.allocate(IDLE_READ_BYTES);
    /** Where bytes are read, in write mode between reads: {@link #small}, or a larger one while they stream. */
    private ByteBuffer in = small;
    /** The bytes of the last read. */
    private int n;
    /** A message has begun, and with it the header deadline, which runs from {@link #headStart}. */
    private boolean inMessage;
    private long headStart;
    private final LongConsumer writeProgress;
    private final AnswerTasks tasks = new AnswerTasks(); // run while a handler's answer is awaited

    private BlockingConnection(EngineContext context, ConnectionState c, Protocol<Q, R> protocol) {
        super(c, protocol, true); // after a PROXY header: the info is the client's
        this.context = context;
        this.ch = c.channel;
        this.stats = context.stats;
        this.readBuffers = context.readBuffers;
        this.out = new OutboundBuffer(context.outputChunks);
        this.writeProgress = written -> {
            if (!c.wrote(written, System.nanoTime())) {
                throw new TerminatedException();
            }
        };
        c.attachment = this;
    }

    /** Serves {@code protocol} on {@code c} until the connection is to close; returns why. */
    static <Q, R> CloseReason serve(EngineContext context, ConnectionState c, Protocol<Q, R> protocol)
            throws IOException {
        BlockingConnection<Q, R> bc = new BlockingConnection<>(context, c, protocol);
        try {
            return bc.serve();
        } finally {
            bc.release();
        }
    }

    /** A timer or shutdown terminated the connection while this thread was about to block. */
    static final class TerminatedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TerminatedException() {
            super(null, null, false, false);
        }
    }

    /**
     * Timer thread: the handler overran the request timeout, and the timer has moved the connection
     * out of the owner's hands ({@link ConnectionState#HANDLING} to terminated), so the codec is free.
     * Sends the codec's answer (HTTP: 503) as far as the socket takes it without waiting, interrupts
     * the handler, and closes. Whatever the handler returns later is discarded.
     */
    void requestTimedOut() {
        Log.CORE.log(Level.DEBUG, "conn={0,number,#} request_timeout", c.info.id());
        OutboundBuffer answer = new OutboundBuffer();
        try {
            codec.encodeRequestTimeout(answer);
            ch.configureBlocking(false);
            stats.addBytesOut(answer.writeTo(c, null));
        } catch (IOException | RuntimeException e) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", c.info.id(), e.toString());
        } finally {
            answer.release();
            // Only now: an interrupted handler returns, and its thread closes the connection too.
            c.handler.interrupt();
            context.connections.close(c, CloseReason.REQUEST_TIMEOUT);
        }
    }

    private CloseReason serve() throws IOException {
        if (c.tls != null) {
            c.tls.handshake(); // under the handshake deadline set at the accept
        }
        while (true) {
            CloseReason end = read();
            if (end != null) {
                return end;
            }
            long readAt = System.nanoTime();
            if (!c.toBusy()) {
                return endOfStream();
            }
            in.flip();
            end = answerAll();
            if (end != null) {
                return end;
            }
            if (!inMessage && (in.hasRemaining() || codec.progress() != Codec.Progress.BETWEEN_MESSAGES)) {
                inMessage = true; // the header deadline runs from this read
                headStart = readAt;
            }
            flush();
            in.compact();
            if (!growIfFull()) {
                return CloseReason.ERROR;
            }
        }
    }

    /**
     * Waits for bytes in the phase the codec's progress names, and reads them.
     *
     * @return why to close, or null once bytes are in
     */
    private CloseReason read() throws IOException {
        Codec.Progress progress = codec.progress();
        if (in != small && in.position() == 0 && n < in.capacity() && progress == Codec.Progress.BETWEEN_MESSAGES) {
            // The client paused between messages: wait for the next one in the small buffer.
            readBuffers.give(in);
            in = small.clear();
        }
        boolean between = progress == Codec.Progress.BETWEEN_MESSAGES && in.position() == 0;
        if (between && context.draining() && c.answered()) {
            // Shutting down: serve only a request that has already arrived.
            n = readAvailable();
            return n > 0 ? null : CloseReason.SHUTDOWN;
        }
        long now = System.nanoTime();
        boolean moved = between ? c.toIdle(now)
                : progress == Codec.Progress.IN_BODY ? c.toBody(now) : c.toHead(headStart);
        if (!moved) {
            return c.terminalReason();
        }
        n = c.read(in);
        if (n < 0) {
            return endOfStream();
        }
        stats.addBytesIn(n);
        if (progress == Codec.Progress.IN_BODY) {
            c.pace.bodyRead(n);
        }
        return null;
    }

    /**
     * Decodes every whole request read and answers each in turn.
     *
     * @return why to close, or null to read on
     */
    private CloseReason answerAll() throws IOException {
        while (true) {
            Q request;
            try {
                request = codec.decode(in, out);
            } catch (ProtocolException e) {
                encodeProtocolError(e, out);
                flush();
                return CloseReason.ERROR;
            }
            if (request == null) {
                return null;
            }
            CloseReason end = answer(request);
            if (end != null) {
                return end;
            }
        }
    }

    /** Runs the handler under the request timeout and encodes its answer; why to close, or null. */
    private CloseReason answer(Q request) throws IOException {
        inMessage = false;
        c.requestDecoded();
        stats.onRequest();
        c.handler.enter(Thread.currentThread());
        if (!c.toHandling(System.nanoTime())) {
            c.handler.leave();
            return c.terminalReason();
        }
        call(request);
        boolean timedOut = !c.toBusy();
        c.handler.leave();
        Thread.interrupted(); // an interrupt meant for the handler must not end this connection's I/O
        if (timedOut) {
            dropAnswer(); // the late response is dropped
            CloseReason r = c.terminalReason();
            return r.cutsARequest() ? endOfStream() : r; // a body read too slowly: 408; else the timer answered
        }
        boolean closing = context.leaving(); // read after the handler: it may have begun meanwhile
        boolean kept = encodeAnswer(out, closing);
        BodyProducer producer = out.takeProducer();
        if (producer != null && !produce(producer)) {
            return CloseReason.ERROR;
        }
        if (!kept || closing) {
            flush();
            return closing ? CloseReason.SHUTDOWN : CloseReason.NORMAL;
        }
        if (out.backlog() >= Buffering.MAX_BUFFERED_OUT_BYTES) {
            flush(); // a pipelining client must read before more is decoded for it
        }
        return null;
    }

    /**
     * Sends a body made while it is sent: each piece is written, under the write timeout and the
     * response rate, before the next is made. False when the producer failed; the connection then
     * closes with the body cut short.
     */
    private boolean produce(BodyProducer producer) throws IOException {
        boolean done = false;
        try {
            while (true) {
                boolean more;
                try {
                    more = producer.next(out);
                } catch (IOException | RuntimeException e) {
                    Log.CORE.log(Level.WARNING, "conn={0,number,#} response_stream_failed: {1}",
                            c.info.id(), e.toString());
                    return false;
                }
                flush();
                if (!more) {
                    done = true;
                    return true;
                }
            }
        } finally {
            if (!done) {
                producer.abandon();
            }
        }
    }

    @Override
    RequestStream requestStream() {
        return this;
    }

    @Override
    public ByteBuffer buffered() {
        return in;
    }

    /** The handler's thread, reading a streamed body: one read, under the body deadlines. */
    @Override
    public boolean fill() throws IOException {
        in.compact();
        int read;
        try {
            if (in == small) { // bytes stream in: a larger buffer
                in = readBuffers.take().put(small.flip());
                small.clear();
            } else if (!in.hasRemaining() && !growIfFull()) {
                throw new IOException("body buffer full");
            }
            if (!c.toBody(System.nanoTime())) {
                throw HandlerWait.cut(c);
            }
            read = c.read(in);
        } catch (IOException e) {
            throw c.terminalReason() != null ? HandlerWait.cut(c) : e;
        } finally {
            in.flip();
        }
        if (read < 0) {
            if (c.terminalReason() != null) {
                throw HandlerWait.cut(c);
            }
            return false;
        }
        stats.addBytesIn(read);
        c.pace.bodyRead(read);
        if (!c.toHandling(System.nanoTime())) {
            throw HandlerWait.cut(c);
        }
        return true;
    }

    @Override
    public void execute(Runnable task) {
        tasks.execute(task);
    }

    @Override
    public void fillLater(Filled then) {
        tasks.fillLater(this, then);
    }

    @Override
    public <T> T awaitAnswer(CompletionStage<T> answer) throws InterruptedException, ExecutionException {
        return tasks.await(answer);
    }

    @Override
    public void sendInterim(byte[] bytes) throws IOException {
        out.write(bytes);
        try {
            flush();
        } catch (TerminatedException e) {
            throw HandlerWait.cut(c);
        }
        if (!c.toHandling(System.nanoTime())) {
            throw HandlerWait.cut(c);
        }
    }

    /**
     * The read buffer is full, or bytes are streaming in: read into a larger buffer from now on.
     *
     * @return false when the codec left {@link Buffering#MAX_UNDECODED_BYTES} undecided (broken)
     */
    private boolean growIfFull() {
        if (in.hasRemaining() && !(in == small && n == small.capacity())) {
            return true;
        }
        if (in.capacity() >= Buffering.MAX_UNDECODED_BYTES) {
            Log.CORE.log(Level.WARNING, "conn={0,number,#} codec_stalled: {1,number,#} bytes unconsumed",
                    c.info.id(), in.capacity());
            return false;
        }
        ByteBuffer larger = in == small ? readBuffers.take() : ByteBuffer.allocate(in.capacity() * 2);
        larger.put(in.flip());
        if (in != small) {
            readBuffers.give(in);
        }
        in = larger;
        return true;
    }

    /** The read saw end of stream: the client left, or a timer or shutdown ended the read. */
    private CloseReason endOfStream() throws IOException {
        CloseReason terminal = c.terminalReason();
        if (terminal != null && terminal.cutsARequest()) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} {1}", c.info.id(), terminal.logName());
            codec.encodeTimeout(out);
            stats.addBytesOut(out.writeTo(c, written -> { }));
        }
        return terminal != null ? terminal : CloseReason.NORMAL;
    }

    /** Reads what has already arrived without waiting; -1 at end of stream. */
    private int readAvailable() throws IOException {
        ch.configureBlocking(false);
        try {
            int read = c.read(in);
            if (read > 0) {
                stats.addBytesIn(read);
            }
            return read;
        } finally {
            ch.configureBlocking(true);
        }
    }

    /** Writes the batch encoded so far, under the write timeout and the minimum response rate. */
    private void flush() throws IOException {
        if (out.isEmpty()) {
            return;
        }
        c.pace.caughtUp(); // the response rate is measured per batch
        writeProgress.accept(0);
        stats.addBytesOut(out.writeTo(c, writeProgress));
        if (!c.toBusy()) {
            throw new TerminatedException();
        }
    }

    /** Gives back what the connection borrowed. */
    private void release() {
        out.release();
        if (in != small) {
            readBuffers.give(in.clear());
        }
    }
}
