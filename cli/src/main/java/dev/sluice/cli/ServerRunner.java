package dev.sluice.cli;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs one server for a command, the same way for every protocol: build it, catch SIGTERM and
 * SIGINT, start it, print the startup report and {@code listening on SCHEME://HOST:PORT} on stdout,
 * wait for a signal, shut down gracefully, return exit code 0.
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
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final CommandLine command;
    private final String scheme;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<String> signal = new AtomicReference<>();

    /** @param scheme for the listening line: {@code tcp}, {@code http} */
    ServerRunner(CommandLine command, String scheme) {
        this.command = command;
        this.scheme = scheme;
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
        try {
            server = factory.get();
        } catch (IllegalArgumentException e) {
            return Main.badValue(command, e.getMessage());
        }
        onSignal("TERM", server);
        onSignal("INT", server);
        try {
            server.start();
        } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
            ServerConfig c = server.config();
            return Main.usageError(command.getErr(), "cannot listen on " + scheme + "://"
                    + hostPort(c.host(), c.port()) + ": " + reason(e));
        }
        try (server) { // close() is a no-op after shutdown, and a safety net if it throws
            for (String line : server.report()) {
                out.println(line);
            }
            out.println("listening on " + scheme + "://" + hostPort(listeningHost(server),
                    server.port()));
            out.flush();
            awaitSignal();
            LOG.log(Level.INFO, "shutdown_started signal={0} timeout={1}", signal.get(),
                    DurationConverter.format(server.config().shutdownTimeout()));
            long started = System.nanoTime();
            boolean clean = server.shutdown();
            LOG.log(Level.INFO, "shutdown_finished clean={0} elapsed={1}ms {2}", clean,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), server.stats());
        }
        return ExitCode.OK;
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

    /**
     * The bound address as a literal: the configured host when it is a literal of that address
     * (so {@code ::1} stays {@code ::1}, and a wildcard stays {@code 0.0.0.0} rather than the
     * {@code ::} the JDK may report for a dual-stack socket bound to it), else the bound address.
     */
    private static String listeningHost(Server server) {
        InetSocketAddress bound = server.address();
        InetAddress ip = bound.getAddress();
        if (ip == null) {
            return bound.getHostString();
        }
        String configured = server.config().host().replaceAll("^\\[(.*)]$", "$1");
        if (ip.isAnyLocalAddress()) {
            return configured;
        }
        // Only a literal is parsed here: a name would mean another DNS look-up.
        if (configured.indexOf(':') >= 0 || IPV4.matcher(configured).matches()) {
            try {
                if (InetAddress.getByName(configured).equals(ip)) {
                    return configured;
                }
            } catch (UnknownHostException e) {
                // not a literal after all: fall through to the bound address
            }
        }
        return ip.getHostAddress();
    }

    /** {@code host:port}, with an IPv6 literal in brackets as in a URL: {@code [::1]:7}. */
    static String hostPort(String host, int port) {
        boolean bare = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (bare ? "[" + host + "]" : host) + ":" + port;
    }

    private static String reason(Exception e) {
        if (e instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        if (e instanceof UnsupportedAddressTypeException) {
            return "unsupported address type";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
