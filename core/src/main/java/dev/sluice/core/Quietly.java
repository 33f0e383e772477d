package dev.sluice.core;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import jdk.net.ExtendedSocketOptions;

/**
 * The one place an exception may be dropped: closing what is being given up anyway, and socket
 * hints whose failure changes nothing but speed.
 */
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

    /** Makes the close of {@code ch} a reset: what the kernel still holds to send is dropped. */
    static void resetOnClose(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException ignored) {
            // Closed already: nothing is held for it.
        }
    }

    /**
     * Sends the ACK the kernel holds for {@code ch} now, where it can (Linux: TCP_QUICKACK): after
     * a handshake the server may have nothing to send (BoringSSL keeps its session tickets for the
     * first answer), and a client that holds its request back until its last flight is acknowledged
     * (Nagle's algorithm, on by default in Python and Java sockets) would wait for the delayed-ACK
     * timer, 40 ms.
     */
    static void ackNow(SocketChannel ch) {
        try {
            ch.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not on this platform, or the socket is closing: the ACK goes out with the timer.
        }
    }
}
