package dev.sluice.core;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;

/**
 * Socket options the JDK does not expose, set with a native call by an optional provider. A
 * {@link Server} finds one with {@link java.util.ServiceLoader} when it starts: the
 * {@code sluice-ffm} module provides it for Linux on JDK 22+ (through the FFM API, no JNI).
 * Without a provider, or when it fails, the options keep the kernel's defaults, the server starts
 * all the same, and {@link Server#report()} says why.
 *
 * <p>Called once per server, on the thread that runs {@link Server#start()}, after the listening
 * socket is bound and before it accepts anything.
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
}
