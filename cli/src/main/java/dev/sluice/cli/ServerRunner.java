package dev.sluice.cli;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.core.internal.Spelling;
import dev.sluice.tls.CertificateReloader;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs one server for a command, the same way for every protocol: build it, catch SIGTERM and
 * SIGINT, start it, print the startup report and {@code listening on SCHEME://HOST:PORT} on stdout,
 * wait for a signal, shut down gracefully, return exit code 0. With a socket passed by systemd
 * ({@link SystemdSocket}) it serves on that one instead of binding, and the line ends
 * {@code (inherited from systemd)}.
 *
 * <p>Signals are caught with {@code sun.misc.Signal} rather than a shutdown hook: in a hook the JVM
 * is already exiting and the exit code is 128 + the signal (143 for SIGTERM); here the main thread
 * does the shutdown and returns 0. The shutdown is bounded by {@code --shutdown-timeout}; a second
 * signal during it closes every connection at once.
 *
 * <p>Threads: {@link #run} on the main thread; the handlers on the JVM's signal thread, which only
 * records the signal and wakes the main thread.
 */
final class ServerRunner {
    private static final System.Logger LOG = System.getLogger("dev.sluice.cli");

    private final CommandLine command;
    private final String scheme;
    private final CountDownLatch stop = new CountDownLatch(1);
    private Function<Server, List<String>> afterBanner = s -> List.of();
    private TlsOptions tls;
    private final AtomicReference<String> signal = new AtomicReference<>();

    /** @param scheme for the listening line: {@code tcp}, {@code http} */
    ServerRunner(CommandLine command, String scheme) {
        this.command = command;
        this.scheme = scheme;
    }

    /** The certificates in service, once the configuration is made; null without TLS. */
    CertificateReloader reloader() {
        return tls == null ? null : tls.reloader();
    }

    /**
     * With TLS on ({@link TlsOptions#enabled}), the listening line says {@code https} for
     * {@code http} and {@code tls} for {@code tcp}, the certificates follow it, and the files are
     * watched for reloads while the server runs.
     */
    ServerRunner tls(TlsOptions options) {
        this.tls = options;
        return this;
    }

    /** The scheme of the listening line. */
    String scheme() {
        if (tls == null || !tls.enabled()) {
            return scheme;
        }
        return "http".equals(scheme) ? "https" : "tls";
    }

    /** Prints {@code lines} of the started server after the {@code listening on} line. */
    ServerRunner afterBanner(Function<Server, List<String>> lines) {
        this.afterBanner = lines;
        return this;
    }

    private void closeTls() {
        if (tls != null) {
            tls.close();
        }
    }

    /**
     * Builds the server with {@code factory}, runs it until SIGTERM or SIGINT and shuts it down.
     *
     * @return 0 after a shutdown; 2 when {@code factory} rejects the configuration
     *     ({@link IllegalArgumentException}) or the server cannot listen, after one line on stderr
     */
    int run(Supplier<Server> factory) {
        PrintWriter out = command.getOut();
        Server server;
        ServerSocketChannel inherited;
        try {
            server = factory.get();
            inherited = SystemdSocket.inherited().orElse(null);
        } catch (ListenFailure e) {
            closeTls(); // its watcher started with the configuration
            return Main.usageError(command.getErr(), e.getMessage());
        } catch (IllegalArgumentException e) {
            closeTls();
            return Main.badValue(command, e.getMessage());
        }
        onSignal("TERM", server);
        onSignal("INT", server);
        int failed = start(server, inherited);
        if (failed != ExitCode.OK) {
            closeTls();
            return failed;
        }
        try (server; TlsOptions watching = tls) { // close() is a no-op after shutdown, and a safety net
            printReport(out, server, inherited);
            (tls == null ? List.<String>of() : tls.start()).forEach(out::println);
            afterBanner.apply(server).forEach(out::println);
            out.flush();
            awaitSignal();
            logShutdownStarted(server.config());
            long started = System.nanoTime();
            boolean clean = server.shutdown();
            LOG.log(Level.INFO, "shutdown_finished clean={0} elapsed={1}ms {2}", clean,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), server.stats());
        }
        return ExitCode.OK;
    }

    /** The startup report ({@link Server#report()} and this command's own lines), then the listening line. */
    private void printReport(PrintWriter out, Server server, ServerSocketChannel inherited) {
        InetSocketAddress bound = server.address();
        String host = ListenAddress.host(inherited == null ? server.config().host()
                : bound.getAddress().getHostAddress(), bound);
        for (String line : server.report()) {
            out.println(ListenAddress.reportLine(line, host, bound));
        }
        if (HttpOptions.trustsForwardedHeaders(command.getCommandSpec())) {
            List<String> trusted = command.getCommandSpec().findOption("--trusted-proxies").getValue();
            out.println("forwarded-headers: believed from trusted-proxies=" + String.join(",", trusted));
        }
        out.println("listening on " + scheme() + "://" + Spelling.hostPort(host, bound.getPort())
                + ListenAddress.scope(bound) + (inherited == null ? "" : " (inherited from systemd)"));
    }

    /** Starts {@code server}, on {@code inherited} when not null: 0, or the exit code after one line on stderr. */
    private int start(Server server, ServerSocketChannel inherited) {
        try {
            server.start(inherited);
            return ExitCode.OK;
        } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
            ServerConfig c = server.config();
            return Main.usageError(command.getErr(),
                    ListenFailure.of(c.host(), c.port(), e, "--port", "--host").getMessage());
        } catch (IllegalArgumentException e) { // only an inherited socket: not bound, or not TCP/IP
            return Main.usageError(command.getErr(), "the socket systemd passed (LISTEN_FDS): " + e.getMessage());
        }
    }

    /** {@code shutdown_started signal=SIGTERM timeout=30s}, and {@code drain_delay=} when there is one. */
    private void logShutdownStarted(ServerConfig config) {
        Duration delay = config.drainDelay();
        LOG.log(Level.INFO, "shutdown_started signal={0} timeout={1}{2}", signal.get(),
                Spelling.duration(config.shutdownTimeout()),
                delay.isZero() ? "" : " drain_delay=" + Spelling.duration(delay));
    }

    private void onSignal(String name, Server server) {
        try {
            SignalHandler before = Signal.handle(new Signal(name), s -> {
                if (signal.compareAndSet(null, "SIG" + s.getName())) {
                    stop.countDown();
                } else {
                    // A second signal: stop waiting for in-flight exchanges and close now.
                    LOG.log(Level.INFO, "shutdown_forced signal=SIG{0}", s.getName());
                    Thread.ofPlatform().name("sluice-force-close").start(server::close);
                }
            });
            if (before == SignalHandler.SIG_IGN) {
                // Inherited as ignored (a background job of a non-interactive shell, nohup): the
                // JVM leaves it ignored, as Unix programs do.
                LOG.log(Level.DEBUG, "signal_ignored_by_parent signal=SIG{0}", name);
            }
        } catch (IllegalArgumentException e) { // the JVM keeps it (-Xrs), or the OS has none
            LOG.log(Level.WARNING, "signal_unavailable signal=SIG{0}: {1}", name, e.getMessage());
        }
    }

    private void awaitSignal() {
        boolean interrupted = false;
        while (true) {
            try {
                stop.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
