package dev.sluice.core;

import dev.sluice.core.internal.Spelling;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The startup report: effective settings, then warnings where the machine undercuts them. */
final class StartupReport {
    private StartupReport() {
    }

    /**
     * @param nativeOptions what {@link ListenerOptions#apply} set, or why it did not
     * @param adopted the listening socket was passed in ({@link Server#start(java.nio.channels.ServerSocketChannel)}),
     *     so its backlog and reuse-port are whatever its maker set
     */
    static List<String> lines(Server server, String nativeOptions, boolean adopted) {
        ServerConfig c = server.config();
        List<String> lines = new ArrayList<>();
        String threads = switch (c.engine()) {
            case SEQUENTIAL -> "one connection at a time";
            case THREAD_PER_CONNECTION -> "at most " + c.effectiveThreads() + " platform threads";
            case POOL -> c.effectiveThreads() + " platform threads, queue " + c.effectiveQueue();
            case VIRTUAL -> "a virtual thread per connection";
            case EVENT_LOOP -> c.effectiveThreads() + " selector threads";
        };
        lines.add("engine: " + c.engine() + " (" + threads + ")");
        lines.add("listen: " + hostPort(server.address())
                + (adopted ? " (a socket passed in, as its maker set it up)"
                        : " backlog=" + c.backlog() + " reuse-port=" + c.reusePort())
                + (c.proxyProtocol() == null ? "" : " proxy-protocol=on trusted-proxies=" + c.proxyProtocol()));
        lines.add("limits: max-connections=" + c.maxConnections() + " overload=" + c.overload()
                + " max-connections-per-ip=" + (c.maxConnectionsPerIp() == 0 ? "off" : c.maxConnectionsPerIp()));
        lines.add("timeouts: idle=" + format(c.idleTimeout()) + " header=" + format(c.headerTimeout())
                + " write=" + format(c.writeTimeout()) + " shutdown=" + format(c.shutdownTimeout())
                + " request=" + format(c.requestTimeout())
                + (c.drainDelay().isZero() ? "" : " drain-delay=" + format(c.drainDelay())));
        lines.add("min-rates: body=" + c.minBodyRate() + " response=" + c.minResponseRate());
        lines.add(ListenerOptions.responseRateRule(c));
        lines.add(nativeOptions);
        long somaxconn = somaxconn();
        if (somaxconn > 0 && somaxconn < c.backlog()) {
            lines.add("warning: backlog " + c.backlog() + " is cut to net.core.somaxconn="
                    + somaxconn + " by the kernel");
        }
        long fds = maxFileDescriptors();
        if (fds > 0 && fds < c.maxConnections() + 64L) {
            lines.add("warning: the open-file limit (ulimit -n) is " + fds + ", below max-connections "
                    + c.maxConnections() + " plus the server's own descriptors; raise it or lower "
                    + "--max-connections");
        }
        return List.copyOf(lines);
    }

    /** {@code 127.0.0.1:8080}, or {@code [::1]:8080} for IPv6. */
    static String hostPort(java.net.InetSocketAddress a) {
        return Spelling.hostPort(a.getAddress().getHostAddress(), a.getPort());
    }

    /** A duration as the CLI spells it: {@code 250ms}, {@code 10s}, {@code 2m}; zero is {@code off}. */
    static String format(Duration d) {
        return d.isZero() ? "off" : Spelling.duration(d);
    }

    /** The kernel's cap on listen backlogs, or -1 where there is no such file. */
    static long somaxconn() {
        try {
            // Not Files.readString: on procfs (files of size 0) it returned "4" for "4096".
            return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    private static long maxFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return unix.getMaxFileDescriptorCount();
        }
        return -1;
    }
}
