package dev.sluice.core;

import java.util.concurrent.Future;

/**
 * The thread running a connection's handler, or the answer a handler that answers later owes,
 * while there is one, for the request timeout to interrupt or cancel.
 */
final class HandlerThread {
    private Thread thread;
    private Future<?> answer;

    /** Owner: a handler is about to run on {@code t}, which the request timeout may interrupt. */
    synchronized void enter(Thread t) {
        thread = t;
    }

    /** Owner: a handler owes {@code pending}, which the request timeout may cancel. */
    synchronized void owe(Future<?> pending) {
        answer = pending;
    }

    /** Owner: the handler returned; no interrupt for it arrives after this. */
    synchronized void leave() {
        thread = null;
        answer = null;
    }

    /** Timer or loop: interrupts the handler of a timed-out request, if it still runs. */
    synchronized void interrupt() {
        if (thread != null) {
            thread.interrupt();
        }
        if (answer != null) {
            answer.cancel(true);
        }
    }
}
