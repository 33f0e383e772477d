package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/** Applies the {@link NativeSocketOptions} a configuration asks for to a bound listening socket. */
final class ListenerOptions {
    private static final System.Logger LOG = System.getLogger(ListenerOptions.class.getName());

    private ListenerOptions() {
    }

    /**
     * Sets {@link ServerConfig#tcpNotsentLowatBytes()} on {@code listener} where a provider can.
     *
     * @return the startup report's line: what was set, or why not
     */
    static String apply(ServerSocketChannel listener, ServerConfig config) {
        int bytes = config.tcpNotsentLowatBytes();
        if (bytes == 0) {
            return "socket: tcp-notsent-lowat=off (the kernel's default)";
        }
        String why;
        try {
            Optional<NativeSocketOptions> provider = Provider.INSTANCE;
            if (provider.isPresent()) {
                provider.get().setNotSentLowat(listener, bytes);
                return "socket: tcp-notsent-lowat=" + bytes;
            }
            why = "needs the sluice-ffm module on JDK 22 or later";
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: the provider could not link its native calls (native access denied).
            Throwable t = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
            why = t.getMessage() != null ? t.getMessage() : t.toString();
        }
        LOG.log(Level.DEBUG, "tcp_notsent_lowat_unavailable reason={0}", why);
        return "socket: tcp-notsent-lowat not set: " + why;
    }

    /** The provider, looked up once, with the class loader {@link ServiceLoader#load(Class)} uses. */
    private static final class Provider {
        static final Optional<NativeSocketOptions> INSTANCE =
                find(Thread.currentThread().getContextClassLoader());
    }

    /** The first provider {@code loader} finds, or none when there is none or it is unusable. */
    static Optional<NativeSocketOptions> find(ClassLoader loader) {
        try {
            return ServiceLoader.load(NativeSocketOptions.class, loader).findFirst();
        } catch (ServiceConfigurationError | LinkageError e) {
            // LinkageError: a provider built for a newer JDK than this one
            // (UnsupportedClassVersionError), which ServiceLoader does not wrap.
            LOG.log(Level.DEBUG, "native_socket_options_unusable reason={0}", e.toString());
            return Optional.empty();
        }
    }
}
