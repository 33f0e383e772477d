package dev.sluice.core;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a TLS connection agreed with its client, read once the handshake is done (a handler only
 * runs after it): the protocol version, the cipher suite, the name the client asked for (SNI),
 * the application protocol (ALPN) and the client's verified certificate chain (mutual TLS).
 */
public final class TlsInfo {
    private final SSLEngine engine;

    TlsInfo(SSLEngine engine) {
        this.engine = engine;
    }

    /** The negotiated session, for what this class does not spell out. */
    public SSLSession session() {
        return engine.getSession();
    }

    /** For example {@code TLSv1.3}. */
    public String protocol() {
        return session().getProtocol();
    }

    /** For example {@code TLS_AES_128_GCM_SHA256}. */
    public String cipherSuite() {
        return session().getCipherSuite();
    }

    /** The host name the client sent in SNI, or null when it sent none. */
    public String serverName() {
        if (session() instanceof ExtendedSSLSession s) {
            for (SNIServerName n : s.getRequestedServerNames()) {
                if (n instanceof SNIHostName h) {
                    return h.getAsciiName();
                }
            }
        }
        return null;
    }

    /** The protocol agreed by ALPN (such as {@code http/1.1}), or the empty string when none was. */
    public String applicationProtocol() {
        String p = engine.getApplicationProtocol();
        return p == null ? "" : p;
    }

    /**
     * The client's certificate chain, its own first, verified against the client CA; empty when
     * the client sent none (client authentication off, or {@code want} and the client declined).
     */
    public List<X509Certificate> peerCertificates() {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return protocol() + " " + cipherSuite();
    }
}
