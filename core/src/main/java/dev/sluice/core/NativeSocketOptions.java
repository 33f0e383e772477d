package dev.sluice.core;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Socket options the JDK does not expose, set with a native call by an optional provider. A
 * {@link Server} finds one with {@link java.util.ServiceLoader} when it starts: the
 * {@code sluice-ffm} module provides it for Linux on JDK 22+ (through the FFM API, no JNI).
 * Without a provider, or when it fails, the options keep the kernel's defaults, the server starts
 * all the same, and {@link Server#report()} says why.
 *
 * <p>{@link #setNotSentLowat} is called once per server, on the thread that runs
 * {@link Server#start()}, after the listening socket is bound and before it accepts anything;
 * {@link #ackCounter} once per server, when it is made.
 */
public interface NativeSocketOptions {
    /**
     * Sets {@code TCP_NOTSENT_LOWAT} on a bound listening socket; the sockets it accepts inherit it.
     *
     * @param bytes at least 1
     * @throws IOException with the reason when it cannot be set here (not Linux, the descriptor
     *     not found, the call refused)
     */
    void setNotSentLowat(ServerSocketChannel listener, int bytes) throws IOException;

    /**
     * A reader of how many bytes a connection's peer has acknowledged, by which the minimum
     * response rate judges a client ({@link ServerConfig#minResponseRate()}): what the client
     * took, not what the kernel accepted from the server.
     *
     * @throws IOException with the reason when it cannot be read here (not Linux, the JDK's
     *     socket internals not reachable)
     */
    default AckCounter ackCounter() throws IOException {
        throw new IOException("this provider does not read acknowledged bytes");
    }

    /** Reads a connected socket's count of acknowledged bytes; may be called from any thread. */
    @FunctionalInterface
    interface AckCounter {
        /**
         * The bytes sent on {@code connection} that its peer has acknowledged so far (Linux:
         * {@code tcpi_bytes_acked} of {@code TCP_INFO}); only differences between two reads count.
         *
         * @throws IOException when the kernel does not say (the socket closed meanwhile)
         */
        long bytesAcknowledged(SocketChannel connection) throws IOException;
    }
}
