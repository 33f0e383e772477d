package dev.sluice.core;

import java.io.EOFException;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The protocol side of one connection, shared by every engine: its codec and the handler, one
 * request and answer at a time. {@link #call} is the one place a handler runs; {@link #encodeAnswer}
 * the one place its answer (or failure) is encoded. Each engine's per-connection class extends it
 * and drives the bytes: {@link LoopConnection} on an event loop, {@link BlockingConnection} on a
 * thread of its own; each gives its codec the {@link RequestStream} a streamed body is read through.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
abstract class Exchange<Q, R> {
    final ConnectionState c;
    /** Made from the connection's info as it stands: on a PROXY listener, once the header is in. */
    Codec<Q, R> codec;
    final Handler<Q, R> handler;
    private final Protocol<Q, R> protocol;
    /** What the last {@link #call} returned or threw; handed to the encoder, then cleared. */
    private R response;
    private Throwable failure;

    /** With {@code codecNow} false, {@link #newCodec} makes the codec later. */
    Exchange(ConnectionState c, Protocol<Q, R> protocol, boolean codecNow) {
        this.c = c;
        this.protocol = protocol;
        this.handler = protocol.handler();
        if (codecNow) {
            newCodec();
        }
    }

    /** Makes the codec for the connection as {@link ConnectionState#info} now says it is. */
    final void newCodec() {
        codec = protocol.newCodec(c.info);
        codec.attach(requestStream());
    }

    /** What the codec reads a streamed body through; called once the subclass is made. */
    abstract RequestStream requestStream();

    /**
     * Runs the handler on the calling thread and keeps its response or failure for
     * {@link #encodeAnswer}. Catches even an Error: the client gets an answer and the thread
     * (a loop, a worker) lives on.
     */
    final void call(Q request) {
        try {
            response = handler.answersLater()
                    ? requestStream().awaitAnswer(handler.handleAsync(request)) : handler.handle(request);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /**
     * For a handler that {@linkplain Handler#answersLater() answers later}: starts it on the
     * calling thread (which it must not block) and keeps its answer for {@link #encodeAnswer}.
     *
     * @return true when the answer is in already; else {@code done} runs once it is, on whichever
     *     thread completed the stage
     */
    final boolean callLater(Q request, Runnable done) {
        CompletableFuture<R> answer;
        try {
            answer = handler.handleAsync(request).toCompletableFuture();
        } catch (Throwable e) {
            failure = e;
            return true;
        }
        if (answer.isDone()) {
            answer.whenComplete((r, e) -> keep(e, r)); // complete: runs now, on this thread
            return true;
        }
        c.handler.owe(answer);
        answer.whenComplete((r, e) -> {
            keep(e, r);
            done.run();
        });
        return false;
    }

    private void keep(Throwable e, R r) {
        if (e != null) {
            failure = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        } else {
            response = r;
        }
    }

    /**
     * Encodes the answer of the last {@link #call} into {@code out}, logging a failure.
     *
     * @param closing the server is shutting down: the connection closes after this answer
     * @return whether the connection stays open
     */
    final boolean encodeAnswer(Output out, boolean closing) {
        R r = response;
        Throwable f = failure;
        response = null;
        failure = null;
        if (f == null) {
            return codec.encode(r, out, closing);
        }
        logHandlerFailure(f);
        return codec.encodeFailure(f, out, closing);
    }

    /** Drops the answer of the last {@link #call}: the connection was closed meanwhile. */
    final void dropAnswer() {
        response = null;
        failure = null;
    }

    /**
     * A handler threw: a {@link ProtocolException}, or a failure it caused (a body the codec
     * refused as it streamed), is a deliberate refusal, and an {@link EOFException} a client that
     * left mid-body (DEBUG); anything else is a bug in the handler (WARNING, with the stack).
     */
    private void logHandlerFailure(Throwable f) {
        Throwable cause = f;
        while (cause != null && !(cause instanceof ProtocolException) && !(cause instanceof EOFException)) {
            cause = cause.getCause();
        }
        if (cause instanceof EOFException) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} handler_failed: {1}", c.info.id(), f.toString());
        } else if (cause instanceof ProtocolException p) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} handler_refused code={1,number,#} reason={2}",
                    c.info.id(), p.code(), p.reason());
        } else {
            Log.CORE.log(Level.WARNING, "conn=" + c.info.id() + " handler_failed", f);
        }
    }

    /** A protocol error decoding a request: logged at DEBUG, answered; the connection then closes. */
    final void encodeProtocolError(ProtocolException e, Output out) {
        Log.CORE.log(Level.DEBUG, "conn={0,number,#} protocol_error code={1,number,#} reason={2}",
                c.info.id(), e.code(), e.reason());
        codec.encodeError(e, out);
    }
}
