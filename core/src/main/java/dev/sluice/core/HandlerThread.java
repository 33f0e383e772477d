package dev.sluice.core;

/** The thread running a connection's handler, while one runs, for the request timeout to interrupt. */
final class HandlerThread {
    private Thread thread;

    /** Owner: a handler is about to run on {@code t}, which the request timeout may interrupt. */
    synchronized void enter(Thread t) {
        thread = t;
    }

    /** Owner: the handler returned; no interrupt for it arrives after this. */
    synchronized void leave() {
        thread = null;
    }

    /** Timer or loop: interrupts the handler of a timed-out request, if it still runs. */
    synchronized void interrupt() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
