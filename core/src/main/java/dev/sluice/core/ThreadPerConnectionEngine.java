package dev.sluice.core;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A new platform thread ({@code sluice-conn-ID}) per connection, at most
 * {@link ServerConfig#effectiveThreads()} alive. At the bound the acceptor waits for a thread to
 * end and the kernel's backlog holds newcomers.
 */
final class ThreadPerConnectionEngine extends ConnectionEngine {
    private final Semaphore threads;

    ThreadPerConnectionEngine(Server server) {
        super(server);
        this.threads = new Semaphore(server.config().effectiveThreads());
    }

    @Override
    void dispatch(Conn c) {
        try {
            while (!threads.tryAcquire(Acceptor.POLL_MS, TimeUnit.MILLISECONDS)) {
                if (server.isClosing()) {
                    server.closeConn(c, CloseReason.SHUTDOWN);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.closeConn(c, CloseReason.SHUTDOWN);
            return;
        }
        try {
            Thread.ofPlatform().name("sluice-conn-" + c.info.id()).start(() -> {
                try {
                    serve(c);
                } finally {
                    threads.release();
                }
            });
        } catch (OutOfMemoryError | RuntimeException e) { // the machine refused a thread
            threads.release();
            Server.LOG.log(System.Logger.Level.WARNING, "conn={0,number,#} thread_start_failed: {1}",
                    c.info.id(), e.toString());
            server.closeConn(c, CloseReason.ERROR);
        }
    }
}
