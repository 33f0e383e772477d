package dev.sluice.core;

import java.io.IOException;

/**
 * Non-blocking NIO: {@link ServerConfig#effectiveThreads()} event loops ({@code sluice-loop-N}),
 * each a selector thread that owns its connections outright (codec, buffers, deadlines). The
 * first loop also accepts: the listener sits in its selector, and it deals new connections to the
 * loops in turn (no acceptor thread, no hand-off for the connections it keeps).
 *
 * <p>Handlers: one declared {@link Handler#nonBlocking non-blocking} runs inline on the loop
 * thread, which is fastest; any other runs on a virtual thread of its own while the loop serves
 * the other connections, and its response is handed back to the loop to be written. Either way a
 * connection has at most one request in a handler at a time, so pipelined responses stay in
 * order; while a handler runs or a response waits for the client to read, the connection is not
 * read (backpressure).
 */
final class EventLoopEngine extends ConnectionEngine {
    private final EventLoop[] loops;
    private int next;

    EventLoopEngine(EngineContext context) {
        super(context);
        this.loops = new EventLoop[context.config.effectiveThreads()];
    }

    @Override
    void start() throws IOException {
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(context, i);
        }
        loops[0].listen(context.listener, context.acceptor);
        for (EventLoop loop : loops) {
            loop.start();
        }
    }

    @Override
    void dispatch(ConnectionState c) {
        EventLoop loop = loops[next];
        next = next + 1 == loops.length ? 0 : next + 1;
        loop.add(c);
    }

    @Override
    boolean acceptsOnLoop() {
        return true;
    }

    @Override
    void wake(ConnectionState c, CloseReason reason) {
        EventLoop.closeTerminated(c);
    }

    @Override
    void drain() {
        for (EventLoop loop : loops) {
            loop.drain();
        }
    }

    @Override
    void stop() {
        for (EventLoop loop : loops) {
            loop.stop();
        }
        for (EventLoop loop : loops) {
            loop.join();
        }
    }
}
