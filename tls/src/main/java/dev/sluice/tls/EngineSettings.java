package dev.sluice.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Turns a {@link TlsConfig} into JDK objects: the {@link SSLContext} for a set of loaded keys, and
 * the parameters each server engine gets.
 *
 * <p>What the JDK decides, not this class: TLS 1.3 has no renegotiation; in TLS 1.2 the JDK refuses
 * insecure renegotiation always, and client-initiated renegotiation only when the system property
 * {@code jdk.tls.rejectClientInitiatedRenegotiation=true} is set before the first handshake. The
 * JDK does not implement TLS 1.3 early data (0-RTT). Session tickets (RFC 5077, RFC 8446 4.6.1) are
 * on unless {@code jdk.tls.server.enableSessionTicketExtension=false}; their keys live in each
 * context's session context and rotate every {@code jdk.tls.server.statelessKeyTimeout} seconds
 * (3600 by default). See {@link JdkTlsBehaviour}.
 */
final class EngineSettings {
    private EngineSettings() {
    }

    /** Makes {@code engine} a server engine with {@code config}'s versions, suites, client auth and ALPN. */
    static void apply(TlsConfig config, SSLEngine engine) {
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters(config, engine.getSSLParameters()));
        TlsProviders.configure(engine);
    }

    /** {@code base} with {@code config}'s settings applied. */
    static SSLParameters parameters(TlsConfig config, SSLParameters base) {
        base.setProtocols(config.protocols().toArray(String[]::new));
        base.setCipherSuites(config.cipherSuites().toArray(String[]::new));
        base.setUseCipherSuitesOrder(true);
        // setNeedClientAuth and setWantClientAuth each clear the other.
        switch (config.clientAuth()) {
            case NEED -> base.setNeedClientAuth(true);
            case WANT -> base.setWantClientAuth(true);
            case NONE -> base.setNeedClientAuth(false);
        }
        if (!config.alpnProtocols().isEmpty()) {
            base.setApplicationProtocols(config.alpnProtocols().toArray(String[]::new));
        }
        // No SNI matchers: a matcher would make the JDK refuse unknown names with unrecognized_name,
        // while the first pair is meant to serve them (SniKeySelector).
        return base;
    }

    /**
     * A server context serving {@code keys}, trusting {@code clientCas} for client certificates
     * (empty: none), with {@code config}'s session cache settings.
     *
     * @throws IllegalArgumentException if the provider does not support a configured cipher suite
     */
    static SSLContext context(TlsConfig config, List<CertifiedKey> keys, List<X509Certificate> clientCas)
            throws GeneralSecurityException {
        SSLContext context = TlsProviders.newContext(config.provider(), new SniKeySelector(keys),
                trustManagers(clientCas), config.alpnProtocols());
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        for (String suite : config.cipherSuites()) {
            if (!supported.contains(suite)) {
                throw new IllegalArgumentException("cipherSuites: the TLS provider " + config.provider()
                        + " does not support " + suite);
            }
        }
        SSLSessionContext sessions = context.getServerSessionContext();
        sessions.setSessionCacheSize(config.sessionCacheSize());
        sessions.setSessionTimeout(Math.toIntExact(config.sessionTimeout().toSeconds()));
        return context;
    }

    private static TrustManager[] trustManagers(List<X509Certificate> clientCas) throws GeneralSecurityException {
        if (clientCas.isEmpty()) {
            return null;
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot make an empty keystore", e);
        }
        for (int i = 0; i < clientCas.size(); i++) {
            store.setCertificateEntry("client-ca-" + i, clientCas.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory.getTrustManagers();
    }
}
