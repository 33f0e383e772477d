package dev.sluice.tls;

import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * A TLS implementation that is not a JCA provider, found by {@link java.util.ServiceLoader} under
 * the name {@link TlsConfig#provider()} gives: {@code tcnative} (BoringSSL through Netty's
 * {@code netty-tcnative}, module {@code sluice-tls-tcnative}). Unlike a JCA provider it is told
 * the application protocols when its context is made, since its engines take ALPN from the
 * context, not from each engine's parameters.
 */
public interface TlsImplementation {
    /** The name {@code --tls-provider} takes, in lower case. */
    String name();

    /**
     * An initialized server context.
     *
     * @param keys chooses the certificate for each handshake (SNI)
     * @param trust verifies client certificates; {@code null} when none are asked for
     * @param applicationProtocols what ALPN offers, in order of preference; empty for no ALPN
     * @throws GeneralSecurityException if the implementation cannot run here or refuses the material
     */
    SSLContext serverContext(KeyManager keys, TrustManager[] trust, List<String> applicationProtocols)
            throws GeneralSecurityException;
}
