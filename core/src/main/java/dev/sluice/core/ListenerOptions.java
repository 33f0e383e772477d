package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Applies the {@link NativeSocketOptions} a configuration asks for to a bound listening socket,
 * and hands out the provider's {@link NativeSocketOptions.AckCounter}.
 */
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

    /** The provider's reader of acknowledged bytes, made once; null when there is none. */
    static NativeSocketOptions.AckCounter ackCounter() {
        return Acks.COUNTER;
    }

    /**
     * The startup report's line: by what the minimum response rate judges a client. Where the
     * kernel does not say, a blocking write's worth is credited in flight.
     */
    static String responseRateRule(ServerConfig config) {
        if (config.minResponseRate().isOff()) {
            return "min-response-rate judges: nothing (off)";
        }
        return Acks.COUNTER != null ? "min-response-rate judges: bytes the client acknowledged (TCP_INFO)"
                : "min-response-rate judges: bytes written, " + ServerConfig.RESPONSE_RATE_CREDIT_BYTES
                        + " credited in flight (the kernel's acknowledged bytes unavailable: " + Acks.WHY + ")";
    }

    /** The reader of acknowledged bytes, or why there is none. */
    private static final class Acks {
        static final NativeSocketOptions.AckCounter COUNTER;
        static final String WHY;

        static {
            NativeSocketOptions.AckCounter counter = null;
            String why = "needs the sluice-ffm module on JDK 22 or later";
            try {
                if (Provider.INSTANCE.isPresent()) {
                    counter = Provider.INSTANCE.get().ackCounter();
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                why = e.getMessage() != null ? e.getMessage() : e.toString();
                LOG.log(Level.DEBUG, "ack_counter_unavailable reason={0}", why);
            }
            COUNTER = counter;
            WHY = why;
        }
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
