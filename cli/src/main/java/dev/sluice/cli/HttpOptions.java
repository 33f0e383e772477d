package dev.sluice.cli;

import dev.sluice.http.HttpConfig;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The flags of the HTTP commands ({@code serve}, {@code respond}) that set {@link HttpConfig}
 * components ({@code @Mixin}). Each falls back to its {@code SLUICE_*} variable through
 * {@link FlagDefaults}, like every server flag.
 */
final class HttpOptions {
    /** The command these flags are mixed into, for its {@code --trusted-proxies}. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--server-header", paramLabel = "<text>", defaultValue = HttpConfig.DEFAULT_SERVER_NAME,
            description = "The Server field sent on every response; '' sends none.")
    String serverHeader;

    @Option(names = "--max-body-size", paramLabel = "<size>", converter = SizeConverter.class,
            defaultValue = "" + HttpConfig.DEFAULT_MAX_BODY_BYTES,
            description = "The largest request body, in bytes or with k, m or g (512k, 10m, 4g): a larger "
                    + "Content-Length gets 413 before any of the body is read; a chunked body that grows "
                    + "past it, 413 and the close. 0 refuses every body.")
    long maxBodySize;

    @Option(names = "--trust-forwarded-headers", paramLabel = "<bool>", arity = "0..1", fallbackValue = "true",
            defaultValue = "false", showDefaultValue = Visibility.ALWAYS,
            description = "Believe Forwarded and X-Forwarded-For/Proto/Host from peers in --trusted-proxies: "
                    + "the rightmost address there that is not a trusted proxy is the client logged and "
                    + "shown to handlers (not the one limited per IP). Needs --trusted-proxies.")
    boolean trustForwardedHeaders;

    /**
     * {@link HttpConfig#defaults()} with these flags applied; {@code --trust-forwarded-headers}
     * believes the command's {@code --trusted-proxies} ({@link ProxyOptions}).
     *
     * @throws IllegalArgumentException naming a bad flag
     */
    HttpConfig toConfig() {
        HttpConfig config = HttpConfig.defaults().withServerName(serverHeader).withMaxBodyBytes(maxBodySize);
        if (!trustForwardedHeaders) {
            return config;
        }
        OptionSpec trusted = command == null ? null : command.findOption("--trusted-proxies");
        List<String> networks = trusted == null ? null : trusted.getValue();
        return config.withTrustForwardedHeaders(ProxyOptions.forForwardedHeaders(networks));
    }

    /** Whether {@code command} has {@code --trust-forwarded-headers} and it is on. */
    static boolean trustsForwardedHeaders(CommandSpec command) {
        OptionSpec flag = command == null ? null : command.findOption("--trust-forwarded-headers");
        return flag != null && Boolean.TRUE.equals(flag.getValue());
    }
}
