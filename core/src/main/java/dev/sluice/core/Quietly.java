package dev.sluice.core;

/** The one place an exception may be dropped: closing what is being given up anyway. */
final class Quietly {
    private Quietly() {
    }

    /** Closes {@code c}, ignoring any failure; a null is ignored too. */
    static void close(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // The resource is being abandoned: its close failing changes nothing.
        }
    }
}
