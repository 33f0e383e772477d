package dev.sluice.cli;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpFilter;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpRequest;
import dev.sluice.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * {@code --https-redirect-port} and {@code --hsts} ({@code @Mixin} of the HTTP commands): what an
 * HTTPS site adds for clients that arrive over plain HTTP. Both need TLS on.
 */
final class HttpsOptions {
    @Option(names = "--https-redirect-port", paramLabel = "<port>", showDefaultValue = Visibility.NEVER,
            description = "With TLS on: also listen on this port in plain HTTP, answering every "
                    + "request with 308 to the same URL over https. Off unless set.")
    Integer redirectPort;

    @Option(names = "--hsts", paramLabel = "<duration>", converter = DurationConverter.class, defaultValue = "0",
            description = "With TLS on: send Strict-Transport-Security with this max-age on every "
                    + "https response, so browsers use https only. 0: none.")
    Duration hsts;

    /** @throws IllegalArgumentException naming the flag, for one given without TLS or out of range */
    void validate(boolean tls) {
        if (redirectPort != null && (redirectPort < 0 || redirectPort > 65_535)) {
            throw new IllegalArgumentException("--https-redirect-port must be 0..65535, got " + redirectPort);
        }
        if (!tls && (redirectPort != null || !hsts.isZero())) {
            throw new IllegalArgumentException((redirectPort != null ? "--https-redirect-port" : "--hsts")
                    + " needs TLS on: give --tls-cert and --tls-key, --tls-keystore or --tls-self-signed");
        }
    }

    /** {@code handler}, with Strict-Transport-Security on its https responses when {@code --hsts} is set. */
    HttpHandler around(HttpHandler handler) {
        if (hsts.isZero()) {
            return handler;
        }
        String value = "max-age=" + hsts.toSeconds();
        return HttpFilter.nonBlocking((request, next) -> {
            HttpResponse response = next.handle(request);
            return request.connection().secure() ? response.withHeader("Strict-Transport-Security", value)
                    : response;
        }).around(handler);
    }

    /** The plain listener of {@code --https-redirect-port} on {@code main}'s host, not started; null when off. */
    Server redirectServer(Server main) {
        if (redirectPort == null) {
            return null;
        }
        ServerConfig config = ServerConfig.defaults().withHost(main.config().host()).withPort(redirectPort)
                .withEngine(Engine.EVENT_LOOP).withThreads(1);
        return Server.create(config, HttpProtocol.create(redirect(main::port)));
    }

    /**
     * Answers 308 to the request's URL over https on {@code httpsPort} (no port written when it is
     * 443): the host the client asked for, without its port, else the address it reached.
     */
    static HttpHandler redirect(IntSupplier httpsPort) {
        return HttpHandler.nonBlocking(request -> {
            int port = httpsPort.getAsInt();
            String location = "https://" + hostOf(request) + (port == 443 ? "" : ":" + port) + request.rawPath()
                    + (request.query().isEmpty() ? "" : "?" + request.query());
            return HttpResponse.status(308).withHeader("Location", location);
        });
    }

    private static String hostOf(HttpRequest request) {
        String host = request.host();
        if (host == null || host.isEmpty()) {
            String local = request.connection().local().getAddress().getHostAddress();
            return local.contains(":") ? "[" + local + "]" : local;
        }
        int end = host.startsWith("[") ? host.indexOf(']') + 1 : host.indexOf(':');
        return end > 0 ? host.substring(0, end) : host;
    }
}
