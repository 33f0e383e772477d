package dev.sluice.core;

/**
 * One connection at a time, served by the acceptor thread itself: accept, serve until the
 * connection closes, accept again; the backlog holds everyone else. The baseline that shows why
 * the other engines exist. Timeouts still apply, so a silent client holds the only thread for at
 * most the idle (or header) timeout.
 */
final class SequentialEngine extends ConnectionEngine {
    SequentialEngine(EngineContext context) {
        super(context);
    }

    @Override
    void dispatch(ConnectionState c) {
        serve(c);
    }
}
