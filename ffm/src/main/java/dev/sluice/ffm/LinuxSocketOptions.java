package dev.sluice.ffm;

import dev.sluice.core.NativeSocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * Sets {@code TCP_NOTSENT_LOWAT} with {@code setsockopt(2)} called through the FFM API. The JDK
 * hides a channel's descriptor, so it is looked up in {@code /proc} by the socket's port
 * ({@link SocketDescriptors}): once per server, on the starting thread.
 */
public final class LinuxSocketOptions implements NativeSocketOptions {
    /** For {@link java.util.ServiceLoader}. */
    public LinuxSocketOptions() {
    }

    @Override
    public void setNotSentLowat(ServerSocketChannel listener, int bytes) throws IOException {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be at least 1, got " + bytes);
        }
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            throw new IOException("TCP_NOTSENT_LOWAT is set on Linux only, this is " + os);
        }
        if (!(listener.getLocalAddress() instanceof InetSocketAddress local)) {
            throw new IOException("the listening socket is not bound");
        }
        int fd = SocketDescriptors.listening(local.getPort());
        Sockopt.setInt(fd, Sockopt.IPPROTO_TCP, Sockopt.TCP_NOTSENT_LOWAT, bytes);
    }
}
