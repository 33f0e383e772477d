package dev.sluice.core;

import javax.net.ssl.SSLEngine;

/**
 * Makes the server side of TLS for each connection a listener accepts. Set on
 * {@link ServerConfig#tls()}, it turns the listener into a TLS one, on every engine: the
 * handshake runs under {@link ServerConfig#tlsHandshakeTimeout()}, then the protocol reads and
 * writes plain text as before. The {@code sluice-tls} module's
 * {@code CertificateReloader::newEngine} is one (certificates from PEM or PKCS#12 files, SNI,
 * reload without a restart); an {@code SSLContext} of your own is another:
 *
 * <pre>{@code
 * TlsEngineFactory tls = (host, port) -> {
 *     SSLEngine engine = sslContext.createSSLEngine(host, port);
 *     engine.setUseClientMode(false);
 *     return engine;
 * };
 * }</pre>
 */
@FunctionalInterface
public interface TlsEngineFactory {
    /**
     * A new engine in server mode for a client at {@code peerHost}:{@code peerPort}; called once
     * per accepted connection, on the thread that accepts or serves it.
     */
    SSLEngine newEngine(String peerHost, int peerPort);
}
