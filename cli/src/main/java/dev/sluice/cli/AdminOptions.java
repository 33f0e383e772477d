package dev.sluice.cli;

import picocli.CommandLine.Option;

/**
 * {@code --admin-port} and {@code --admin-host} ({@code @Mixin}): where the {@link AdminServer}
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
}
