package dev.sluice.ffm;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SocketChannel;

/**
 * A connected {@link SocketChannel}'s descriptor, read from the JDK's own channel class
 * ({@code sun.nio.ch.SelChImpl.getFDVal()}), which only a JVM started with
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (class path; {@code =dev.sluice.ffm} on
 * the module path) lets this module call. Cheap enough for every read: a field of the channel.
 * Unlike {@link SocketDescriptors}, which searches {@code /proc} once for a listening socket.
 */
final class ChannelDescriptors {
    private final MethodHandle fdVal;

    private ChannelDescriptors(MethodHandle fdVal) {
        this.fdVal = fdVal;
    }

    /** The reader, or why this JVM does not allow one. */
    static ChannelDescriptors find() throws IOException {
        try {
            Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl");
            MethodHandle h = MethodHandles.lookup()
                    .findVirtual(selectable, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SocketChannel.class));
            return new ChannelDescriptors(h);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("the JDK's socket descriptors are not exported to sluice-ffm "
                    + "(start java with --add-exports java.base/sun.nio.ch=ALL-UNNAMED): " + e, e);
        }
    }

    /** The descriptor of {@code ch}; it may be closed and reused once {@code ch} is closed. */
    int of(SocketChannel ch) throws IOException {
        if (!ch.isOpen()) {
            throw new IOException("the channel is closed");
        }
        try {
            return (int) fdVal.invokeExact(ch);
        } catch (ClassCastException e) {
            throw new IOException("not one of the JDK's socket channels: " + ch.getClass().getName(), e);
        } catch (Throwable t) {
            throw new IllegalStateException("getFDVal", t);
        }
    }
}
