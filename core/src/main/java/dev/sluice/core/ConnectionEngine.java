package dev.sluice.core;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A concurrency strategy: how accepted connections get a thread. {@link #dispatch} runs on the
 * acceptor thread; {@link #wake} on whichever thread terminated a connection (timer, acceptor,
 * shutdown). The blocking engines share {@link BlockingConnection}, which serves one connection
 * with straight-line blocking code.
 */
abstract class ConnectionEngine {
    final Server server;

    ConnectionEngine(Server server) {
        this.server = server;
    }

    static ConnectionEngine create(Server server) {
        return switch (server.config().engine()) {
            case SEQUENTIAL -> new SequentialEngine(server);
            case THREAD_PER_CONNECTION -> new ThreadPerConnectionEngine(server);
            case POOL -> new PoolEngine(server);
            case VIRTUAL -> new VirtualEngine(server);
            case EVENT_LOOP -> new EventLoopEngine(server);
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
     * Gets the owner of a connection that another thread terminated while in {@code phase} to
     * notice and close it. Blocking engines: a blocked read is ended by shutting the socket's
     * input (the owner sees end of stream and may still answer, as with HTTP's 408); a blocked
     * write by closing the socket; a handler over the request timeout is answered for and
     * interrupted (see {@link BlockingConnection#requestTimedOut}).
     */
    void wake(ConnectionState c, int phase) {
        if (phase == ConnectionState.HANDLING && c.attachment instanceof BlockingConnection bc) {
            bc.requestTimedOut();
            return;
        }
        try {
            if (phase == ConnectionState.WRITING) {
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
                if (server.isClosing()) {
                    server.closeConn(c, CloseReason.SHUTDOWN);
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.closeConn(c, CloseReason.SHUTDOWN);
            return false;
        }
    }

    /**
     * Encodes a handler's answer, or its failure (logged), into {@code out}.
     *
     * @return whether the connection stays open
     */
    static <Q, R> boolean encodeAnswer(Codec<Q, R> codec, ConnectionState c, R response, Throwable failure,
                                       Output out, boolean closing) {
        if (failure == null) {
            return codec.encode(response, out, closing);
        }
        Server.logHandlerFailure(c, failure);
        return codec.encodeFailure(failure, out, closing);
    }

    /** Serves {@code c} on the calling thread until it closes. */
    final void serve(ConnectionState c) {
        new BlockingConnection(server, c).run();
    }
}
