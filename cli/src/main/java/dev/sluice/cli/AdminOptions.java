package dev.sluice.cli;

import dev.sluice.core.ServerConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/**
 * {@code --admin-port} and {@code --admin-host} ({@code @Mixin}): where the {@link dev.sluice.metrics.AdminServer}
 * listens, if anywhere. Off unless a port is given; on loopback unless a host is. Each flag
 * falls back to its {@code SLUICE_*} variable through {@link FlagDefaults}, like every server flag.
 */
final class AdminOptions {
    static final String DEFAULT_HOST = "127.0.0.1";

    @Option(names = "--admin-port", paramLabel = "<port>", description = "Serve /health, /ready, "
            + "/metrics and /status on this port, 0-65535; 0 picks a free one (the 'admin on' line "
            + "shows it). Off unless set.")
    Integer port;

    @Option(names = "--admin-host", paramLabel = "<host>", defaultValue = DEFAULT_HOST,
            description = "Interface of the admin port. Loopback by default: the metrics and "
                    + "the status page are for operators, not the public.")
    String host;

    /** Whether an admin port was asked for. */
    boolean enabled() {
        return port != null;
    }

    /** @throws IllegalArgumentException naming the flag, for a port out of range */
    void validate() {
        if (port != null && (port < 0 || port > 65_535)) {
            throw new IllegalArgumentException("--admin-port must be 0..65535, got " + port);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--admin-host must not be empty");
        }
    }

    /**
     * {@link #validate()}, and that the admin port cannot clash with {@code main}'s, checked
     * before either binds: the same port (not 0, which picks a free one) on addresses that
     * overlap (equal, or one a wildcard).
     *
     * @throws IllegalArgumentException naming both flags
     */
    void validate(ServerConfig main) {
        validate();
        if (port != null && port != 0 && port == main.port() && overlap(host, main.host())) {
            throw new IllegalArgumentException("--port and --admin-port are both " + port + " (on "
                    + main.host() + " and " + host + "); give the admin port another one");
        }
    }

    /** Whether two hosts may share an address: equal, a wildcard, or resolving alike. */
    static boolean overlap(String a, String b) {
        try {
            InetAddress x = InetAddress.getByName(a.replaceAll("^\\[(.*)]$", "$1"));
            InetAddress y = InetAddress.getByName(b.replaceAll("^\\[(.*)]$", "$1"));
            return x.isAnyLocalAddress() || y.isAnyLocalAddress() || x.equals(y);
        } catch (UnknownHostException e) {
            return a.equalsIgnoreCase(b); // the bind will say what is wrong with the name
        }
    }
}
