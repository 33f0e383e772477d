package dev.sluice.cli;

import dev.sluice.core.EchoProtocol;
import dev.sluice.core.Server;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code sluice echo}: a TCP echo server (RFC 862) on {@link EchoProtocol}. */
@Command(name = "echo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = FlagDefaults.class, showDefaultValues = true, sortOptions = false,
        sortSynopsis = false, abbreviateSynopsis = true, footer = {"", FlagDefaults.FOOTER},
        description = {
            "A TCP echo server (RFC 862): every byte a client sends comes back to it unchanged.",
            "Prints the startup report and 'listening on tcp://HOST:PORT' on stdout, logs on "
                    + "stderr, and runs until SIGTERM or SIGINT, then shuts down gracefully and "
                    + "exits 0. Exits 2 on a bad flag or an address it cannot listen on."
        })
final class EchoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Mixin
    TlsOptions tls;

    @Mixin
    LogOptions logging;

    @Override
    public Integer call() {
        logging.apply();
        return new ServerRunner(spec.commandLine(), "tcp").tls(tls)
                .run(() -> Server.create(tls.apply(server.toConfig()), EchoProtocol.create()));
    }
}
