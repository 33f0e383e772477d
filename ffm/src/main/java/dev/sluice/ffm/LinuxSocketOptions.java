package dev.sluice.ffm;

import dev.sluice.core.NativeSocketOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * Sets {@code TCP_NOTSENT_LOWAT} with {@code setsockopt(2)}, and reads a connection's
 * acknowledged bytes from {@code TCP_INFO} with {@code getsockopt(2)}, both called through the
 * FFM API. The JDK hides a channel's descriptor: the listener's is looked up in {@code /proc} by
 * its port ({@link SocketDescriptors}), once per server; a connection's is read from the channel
 * ({@link ChannelDescriptors}), which needs the JDK's socket package exported to this module.
 */
public final class LinuxSocketOptions implements NativeSocketOptions {
    /** For {@link java.util.ServiceLoader}. */
    public LinuxSocketOptions() {
    }

    @Override
    public AckCounter ackCounter() throws IOException {
        requireLinux("TCP_INFO");
        ChannelDescriptors descriptors = ChannelDescriptors.find();
        return ch -> Sockopt.bytesAcked(descriptors.of(ch));
    }

    private static void requireLinux(String what) throws IOException {
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            throw new IOException(what + " is available on Linux only, this is " + os);
        }
    }

    @Override
    public void setNotSentLowat(ServerSocketChannel listener, int bytes) throws IOException {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be at least 1, got " + bytes);
        }
        requireLinux("TCP_NOTSENT_LOWAT");
        if (!(listener.getLocalAddress() instanceof InetSocketAddress local)) {
            throw new IOException("the listening socket is not bound");
        }
        int fd = SocketDescriptors.listening(local.getPort());
        Sockopt.setInt(fd, Sockopt.IPPROTO_TCP, Sockopt.TCP_NOTSENT_LOWAT, bytes);
    }
}
