package dev.sluice.cli;

import dev.sluice.http.HttpConfig;
import picocli.CommandLine.Option;

/**
 * The flags of the HTTP commands ({@code serve}, {@code respond}) that set {@link HttpConfig}
 * components ({@code @Mixin}). Each falls back to its {@code SLUICE_*} variable through
 * {@link FlagDefaults}, like every server flag.
 */
final class HttpOptions {
    @Option(names = "--server-header", paramLabel = "<text>", defaultValue = HttpConfig.DEFAULT_SERVER_NAME,
            description = "The Server field sent on every response; '' sends none.")
    String serverHeader;

    /** {@link HttpConfig#defaults()} with these flags applied. */
    HttpConfig toConfig() {
        return HttpConfig.defaults().withServerName(serverHeader);
    }
}
