package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * A running concurrency strategy (one of {@link Engine}): how accepted connections get a thread.
 * {@link #dispatch} runs on the acceptor thread; {@link #wake} on whichever thread terminated a
 * connection (timer, acceptor, shutdown). The blocking engines share {@link #serve}, which serves
 * one connection with straight-line blocking code on the calling thread.
 */
abstract class ConnectionEngine {
    final EngineContext context;

    ConnectionEngine(EngineContext context) {
        this.context = context;
    }

    static ConnectionEngine create(EngineContext context) {
        return switch (context.config.engine()) {
            case SEQUENTIAL -> new SequentialEngine(context);
            case THREAD_PER_CONNECTION -> new ThreadPerConnectionEngine(context);
            case POOL -> new PoolEngine(context);
            case VIRTUAL -> new VirtualEngine(context);
            case EVENT_LOOP -> new EventLoopEngine(context);
        };
    }

    /** Starts the engine's own threads, if any. */
    void start() throws IOException {
    }

    /** Hands an admitted connection to a thread. Acceptor thread; may wait for capacity. */
    abstract void dispatch(ConnectionState c);

    /** Whether the engine's own threads accept ({@link Acceptor#acceptPending}); else the acceptor thread runs. */
    boolean acceptsOnLoop() {
        return false;
    }

    /**
     * Gets the owner of a connection that another thread terminated for {@code reason} to
     * notice and close it. Blocking engines: a blocked read is ended by shutting the socket's
     * input (the owner sees end of stream and may still answer, as with HTTP's 408); a blocked
     * write, or a connection shed for the least progress, by resetting the socket; a handler over
     * the request timeout is answered for and interrupted (see {@link BlockingConnection#requestTimedOut}).
     */
    void wake(ConnectionState c, CloseReason reason) {
        if (reason == CloseReason.REQUEST_TIMEOUT && c.attachment instanceof BlockingConnection<?, ?> bc) {
            bc.requestTimedOut();
            return;
        }
        try {
            if (reason.resets()) {
                Quietly.resetOnClose(c.channel);
                c.channel.close();
            } else {
                c.channel.shutdownInput();
            }
        } catch (IOException | RuntimeException e) {
            Quietly.close(c.channel);
        }
    }

    /** Shutdown has begun: idle connections were terminated; let the rest finish. */
    void drain() {
    }

    /** Stops the engine's threads; every connection has been closed. */
    void stop() {
    }

    /** Accepted connections waiting for a thread. */
    int queueDepth() {
        return 0;
    }

    /** A wait that gives up after a while, such as {@code Semaphore::tryAcquire}. */
    @FunctionalInterface
    interface TimedWait {
        boolean tryFor(long time, TimeUnit unit) throws InterruptedException;
    }

    /**
     * Acceptor: waits for capacity ({@code wait} succeeding) a poll at a time, so that shutdown
     * is noticed without interrupting the acceptor. When the server closes first, {@code c} is
     * closed and false returned.
     */
    final boolean awaitCapacity(ConnectionState c, TimedWait wait) {
        try {
            while (!wait.tryFor(Acceptor.POLL_MS, TimeUnit.MILLISECONDS)) {
                if (context.draining()) {
                    context.connections.close(c, CloseReason.SHUTDOWN);
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            context.connections.close(c, CloseReason.SHUTDOWN);
            return false;
        }
    }

    /**
     * Serves {@code c} on the calling thread until it closes: its PROXY header first when the
     * listener takes one ({@link ProxyHeaderReader}), then its protocol with a
     * {@link BlockingConnection}, or the server's {@link ConnectionHandler} with a
     * {@link StreamConnection}. Counted as a busy thread meanwhile.
     */
    final void serve(ConnectionState c) {
        Stats stats = context.stats;
        stats.addBusy(1);
        CloseReason reason = CloseReason.ERROR;
        try {
            CloseReason refused = context.config.proxyProtocol() == null ? null
                    : ProxyHeaderReader.readBlocking(context, c);
            reason = refused != null ? refused : context.rawHandler != null ? StreamConnection.serve(context, c)
                    : BlockingConnection.serve(context, c, context.protocol);
        } catch (IOException | BlockingConnection.TerminatedException e) {
            reason = afterFailure(c, e);
        } catch (RuntimeException | Error e) {
            Log.CORE.log(Level.WARNING, "conn=" + c.info.id() + " connection_failed", e);
        } finally {
            stats.addBusy(-1);
            if (c.tls != null && (reason == CloseReason.NORMAL || reason == CloseReason.SHUTDOWN)) {
                c.tls.closeNotify();
            }
            context.connections.close(c, reason);
        }
    }

    private CloseReason afterFailure(ConnectionState c, Exception e) {
        CloseReason terminal = c.terminalReason();
        if (terminal != null) {
            return terminal;
        }
        if (context.draining()) {
            return CloseReason.SHUTDOWN;
        }
        // Resets and broken pipes are the client's business: DEBUG.
        Log.CORE.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", c.info.id(), e.toString());
        return CloseReason.ERROR;
    }
}
