package dev.sluice.cli;

import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpResponse;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice respond [TEXT]}: an HTTP/1.1 server that answers every request with 200 and
 * {@code TEXT} as {@code text/plain}, once it has read the request's body to the end. Benchmarks and
 * smoke tests use it. The handler never blocks, so {@code event-loop} runs it on the loop threads
 * (a request whose body is still on its way, on a virtual thread that reads it as it streams); the
 * response is built once and reused.
 */
@Command(name = "respond", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = FlagDefaults.class, showDefaultValues = true, sortOptions = false,
        sortSynopsis = false, abbreviateSynopsis = true, footer = {"", FlagDefaults.FOOTER},
        description = {
            "An HTTP/1.1 server that answers every request with 200 and TEXT as text/plain.",
            "Prints the startup report and 'listening on http://HOST:PORT' on stdout, logs on "
                    + "stderr, and runs until SIGTERM or SIGINT, then shuts down gracefully and "
                    + "exits 0. Exits 2 on a bad flag or an address it cannot listen on."
        })
final class RespondCommand implements Callable<Integer> {
    static final String DEFAULT_TEXT = "Hello, World!";
    private static final OutputStream DISCARD = OutputStream.nullOutputStream();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "TEXT", defaultValue = DEFAULT_TEXT,
            description = "The body of every response.")
    String text;

    @Mixin
    ServerOptions server;

    @Mixin
    HttpOptions http;

    @Mixin
    AdminOptions admin;

    @Mixin
    AccessLogOptions accessLog;

    @Mixin
    TlsOptions tls;

    @Mixin
    HttpsOptions https;

    @Mixin
    LogOptions logging;

    @Override
    public Integer call() {
        logging.apply();
        HttpConfig httpConfig;
        try {
            httpConfig = http.toConfig();
        } catch (IllegalArgumentException e) {
            return Main.badValue(spec.commandLine(), e.getMessage());
        }
        HttpResponse response = HttpResponse.ok(text);
        HttpHandler handler = HttpHandler.nonBlocking(request -> {
            // Read to the end, so a client's upload completes: a body still on its way is read
            // off the loop as it streams, and never held.
            if (request.bodyArriving()) {
                request.bodyStream().transferTo(DISCARD);
            }
            return response;
        });
        return ServeSupport.run(new ServerRunner(spec.commandLine(), "http").tls(tls), spec.commandLine(),
                () -> tls.apply(server.toConfig()), httpConfig, handler, admin, accessLog, https);
    }
}
