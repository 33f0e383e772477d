package dev.sluice.core;

import java.io.IOException;

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
    abstract void dispatch(Conn c);

    /**
     * Gets the owner of a connection that another thread terminated while in {@code phase} to
     * notice and close it. Blocking engines: a blocked read is ended by shutting the socket's
     * input (the owner sees end of stream and may still answer, as with HTTP's 408); a blocked
     * write by closing the socket.
     */
    void wake(Conn c, int phase) {
        try {
            if (phase == Conn.WRITING) {
                c.channel.close();
            } else {
                c.channel.shutdownInput();
            }
        } catch (IOException | RuntimeException e) {
            OutboundBuffer.closeQuietly(c.channel);
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

    /** Serves {@code c} on the calling thread until it closes. */
    final void serve(Conn c) {
        new BlockingConnection(server, c).run();
    }
}
