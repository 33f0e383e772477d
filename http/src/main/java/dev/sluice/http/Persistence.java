package dev.sluice.http;

/** Whether a connection stays open after a response ({@code Connection: close} when it does not). */
enum Persistence {
    KEEP_ALIVE,
    CLOSE;

    /** {@link #KEEP_ALIVE} when {@code keep}. */
    static Persistence of(boolean keep) {
        return keep ? KEEP_ALIVE : CLOSE;
    }

    boolean kept() {
        return this == KEEP_ALIVE;
    }
}
