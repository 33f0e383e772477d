package dev.sluice.cli;

import dev.sluice.core.Protocol;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.core.internal.Spelling;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpObserver;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpRequest;
import dev.sluice.http.HttpResponse;
import dev.sluice.metrics.AccessLog;
import dev.sluice.metrics.AdminServer;
import dev.sluice.metrics.ServerMetrics;
import dev.sluice.tls.CertificateReloader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * What an HTTP command runs beside its server: the {@link ServerMetrics} and {@link AdminServer} of
 * {@code --admin-port}, the {@link AccessLog} of {@code --access-log}, and the one
 * {@link HttpObserver} that feeds both (none when neither is on, so the codec pays nothing).
 *
 * <p>For a command, {@link #run} does it all through {@link ServerRunner}:
 * <pre>{@code
 * return ServeSupport.run(new ServerRunner(cli, "http"), cli, server::toConfig, httpConfig, handler,
 *         admin, accessLog, https);
 * }</pre>
 * Step by step: open the access log; make the main server with the observer; start the admin
 * server for it and print {@code admin on http://HOST:PORT} (its {@code /ready} says 503 until the
 * main server listens); then {@link ServerRunner} starts the main server, waits for a signal and
 * shuts it down gracefully ({@code /ready} says 503 while it drains); last, the admin server is
 * closed and the access log written out.
 *
 * <p>For code that wants the pieces started without signals, {@link #start} returns the bundle
 * with everything listening; {@link #shutdown()} or {@link #close()} stops it all.
 */
final class ServeSupport implements AutoCloseable {
    private final AdminOptions adminOptions;
    private final PrintWriter out;
    private final ServerMetrics metrics;
    private final AccessLog accessLog;
    private final HttpObserver observer;
    private Server server;
    private AdminServer admin;
    /** {@code --https-redirect-port} and {@code --hsts}; null when the command has none. */
    private HttpsOptions https;
    private CertificateReloader reloader;
    private Server redirect;

    private ServeSupport(AdminOptions adminOptions, AccessLog accessLog, PrintWriter out) {
        this.adminOptions = adminOptions;
        this.out = out;
        this.metrics = adminOptions.enabled() ? new ServerMetrics() : null;
        this.accessLog = accessLog;
        if (metrics != null && accessLog != null) {
            metrics.bind(accessLog);
            observer = e -> {
                metrics.onExchange(e);
                accessLog.onExchange(e);
            };
        } else {
            observer = metrics != null ? metrics : accessLog;
        }
    }

    /**
     * Checks the options, the admin port against {@code main}'s, and opens the access log;
     * nothing listens yet.
     *
     * @param out where the {@code admin on} line goes
     * @throws IllegalArgumentException for a bad option or an access log that cannot be opened
     */
    static ServeSupport open(ServerConfig main, AdminOptions admin, AccessLogOptions accessLog,
                             PrintWriter out) {
        admin.validate(main);
        return new ServeSupport(admin, accessLog.enabled() ? accessLog.open() : null, out);
    }

    /** The HTTP protocol for the main server: {@code handler}, observed when anything observes. */
    Protocol<HttpRequest, HttpResponse> protocol(HttpConfig config, HttpHandler handler) {
        return observer == null ? HttpProtocol.create(config, handler)
                : HttpProtocol.create(config, handler, observer);
    }

    /**
     * Adopts {@code main} (made with {@link #protocol}, not started) and starts the admin server
     * for it, if asked for, printing {@code admin on URL}.
     *
     * @return {@code main}
     * @throws ListenFailure when the admin server cannot listen, saying where, why and which flag
     */
    Server attach(Server main) {
        server = main;
        startRedirect(main);
        if (metrics == null) {
            return main;
        }
        metrics.bind(main.stats());
        if (main.config().tls() != null) {
            metrics.bindTls(main.stats().tls());
        }
        if (reloader != null) {
            metrics.bindCertificates(reloader::leafCertificates, () -> reloader.stats().successes(),
                    () -> reloader.stats().failures());
        }
        try {
            admin = AdminServer.start(adminOptions.host, adminOptions.port, main, metrics, accessLog);
        } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
            throw ListenFailure.of(adminOptions.host, adminOptions.port, e, "--admin-port", "--admin-host");
        }
        out.println("admin on " + admin.url());
        out.flush();
        return main;
    }

    /** Starts the plain listener of {@code --https-redirect-port}, if asked for, printing where. */
    private void startRedirect(Server main) {
        redirect = https == null ? null : https.redirectServer(main);
        if (redirect == null) {
            return;
        }
        try {
            redirect.start();
        } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
            throw ListenFailure.of(redirect.config().host(), redirect.config().port(), e, "--https-redirect-port",
                    "--host");
        }
        out.println("redirecting to https from http://"
                + Spelling.hostPort(redirect.config().host(), redirect.port()));
        out.flush();
    }

    /**
     * Runs an HTTP command: {@link #open}, then {@code runner}'s {@link ServerRunner#run} with a
     * main server made from {@code config} and {@code handler} and {@link #attach attached}, then
     * {@link #close}. Nothing listens before every option, the ports' clash included, is checked.
     *
     * @return the exit code: 0 after a shutdown, 2 for a bad option or an address in use
     */
    static int run(ServerRunner runner, CommandLine command, Supplier<ServerConfig> config,
                   HttpConfig http, HttpHandler handler, AdminOptions admin,
                   AccessLogOptions accessLog, HttpsOptions https) {
        ServerConfig main;
        ServeSupport support;
        try {
            main = config.get();
            https.validate(main.tls() != null);
            support = open(main, admin, accessLog, command.getOut());
        } catch (IllegalArgumentException e) {
            return Main.badValue(command, e.getMessage());
        }
        support.https = https;
        support.reloader = runner.reloader();
        HttpHandler served = https.around(handler);
        try (support) {
            return runner.run(() -> support.attach(Server.create(main, support.protocol(http, served))));
        }
    }

    /**
     * Everything started: the access log open, the main server listening on {@code config}, the
     * admin server beside it.
     *
     * @throws IOException when the main server cannot listen; nothing is left running
     * @throws IllegalArgumentException for a bad option, an access log or an admin port that
     *     cannot be opened
     */
    static ServeSupport start(ServerConfig config, HttpConfig http, HttpHandler handler,
                              AdminOptions admin, AccessLogOptions accessLog, PrintWriter out)
            throws IOException {
        ServeSupport support = open(config, admin, accessLog, out);
        try {
            support.attach(Server.create(config, support.protocol(http, handler))).start();
            return support;
        } catch (IOException | RuntimeException e) {
            support.close();
            throw e;
        }
    }

    /** The main server; null before {@link #attach}. */
    Server server() {
        return server;
    }

    /** The admin server's {@code http://HOST:PORT}, or null when it is off. */
    String adminUrl() {
        return admin == null ? null : admin.url();
    }

    /**
     * Graceful: shuts the main server down ({@link Server#shutdown()}, while {@code /ready} says
     * 503), then {@link #close()}s the rest.
     *
     * @return whether every exchange finished in time
     */
    boolean shutdown() {
        try {
            return server == null || server.shutdown();
        } finally {
            close();
        }
    }

    /** Closes the main server (a no-op after its shutdown), the admin server, then the access log. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (redirect != null) {
            redirect.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (accessLog != null) {
            accessLog.close();
        }
    }
}
