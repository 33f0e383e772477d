package dev.sluice.cli;

import dev.sluice.core.ServerConfig;
import dev.sluice.core.TrustedProxies;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * {@code --proxy-protocol} and {@code --trusted-proxies} ({@code @Mixin} of {@link ServerOptions}):
 * together they make {@link ServerConfig#proxyProtocol()}. The list is also the proxies whose
 * forwarding fields the HTTP commands believe with {@code --trust-forwarded-headers}
 * ({@link HttpOptions}). {@code --proxy-protocol} needs the list: a PROXY header believed from
 * anyone is the classic spoofing hole; and the list needs one of the two, since a list that
 * nothing reads is a setting that does nothing.
 */
final class ProxyOptions {
    @Option(names = "--proxy-protocol", paramLabel = "<bool>", arity = "0..1", fallbackValue = "true",
            defaultValue = "false", showDefaultValue = Visibility.ALWAYS,
            description = "Every connection begins with a PROXY protocol header (v1 or v2) from a load "
                    + "balancer, due within --header-timeout; the client it names is the one logged, "
                    + "limited per IP and shown to handlers. Needs --trusted-proxies.")
    boolean enabled;

    @Option(names = "--trusted-proxies", paramLabel = "<cidr>", split = ",", showDefaultValue = Visibility.NEVER,
            description = "The load balancers, as CIDR blocks or addresses (10.0.0.0/8,2001:db8::7): "
                    + "only they may send a PROXY header (any other peer is closed unread) and, with "
                    + "--trust-forwarded-headers, Forwarded or X-Forwarded-* fields that are believed.")
    List<String> trusted = new ArrayList<>();

    /**
     * The {@code --trusted-proxies} list {@code networks}, for {@code --trust-forwarded-headers}.
     *
     * @throws IllegalArgumentException naming the flag, when there is no list or it is not one
     */
    static TrustedProxies forForwardedHeaders(List<String> networks) {
        if (networks == null || networks.isEmpty()) {
            throw new IllegalArgumentException("trust-forwarded-headers must come with --trusted-proxies "
                    + "CIDR[,CIDR...]: the proxies whose Forwarded and X-Forwarded-* fields are believed");
        }
        return TrustedProxies.parse(String.join(",", networks));
    }

    /**
     * {@code config} with the PROXY protocol on, when it was asked for.
     *
     * @param readByHttp whether {@code --trust-forwarded-headers} reads the list too, so it may
     *     come without {@code --proxy-protocol}
     * @throws IllegalArgumentException naming the flag, when one comes without the other or a
     *     network is not one
     */
    ServerConfig apply(ServerConfig config, boolean readByHttp) {
        if (enabled && trusted.isEmpty()) {
            throw new IllegalArgumentException("proxy-protocol must come with --trusted-proxies CIDR[,CIDR...]: "
                    + "the proxies whose header is believed");
        }
        if (!enabled && !trusted.isEmpty() && !readByHttp) {
            throw new IllegalArgumentException("trusted-proxies is given but --proxy-protocol is off; "
                    + "add --proxy-protocol (or, on serve and respond, --trust-forwarded-headers), "
                    + "or drop --trusted-proxies");
        }
        return enabled ? config.withProxyProtocol(TrustedProxies.parse(String.join(",", trusted))) : config;
    }
}
