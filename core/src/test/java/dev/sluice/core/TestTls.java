package dev.sluice.core;

import dev.sluice.tls.CertifiedKey;
import dev.sluice.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the core tests: one development certificate (made once, valid from an hour before the
 * run for a year, so no date matters), a server engine factory with TLS 1.3 and 1.2, and clients
 * that trust it.
 */
final class TestTls {
    private static final char[] PASSWORD = "test".toCharArray();
    private static final CertifiedKey KEY =
            SelfSignedCertificate.generate(Clock.systemUTC(), Duration.ofDays(365));
    private static final SSLContext SERVER = context(true, null);
    private static final SSLContext CLIENT = context(false, null);

    private TestTls() {
    }

    /** The server side: TLS 1.3 and 1.2, as the tls module's defaults. */
    static TlsEngineFactory engines() {
        return engines(SERVER);
    }

    /** As {@link #engines()}, with engines from {@code provider} (another TLS implementation). */
    static TlsEngineFactory engines(java.security.Provider provider) {
        return engines(context(true, provider));
    }

    /** As {@link #engines()}, with the engines of {@code --tls-provider tcnative} (BoringSSL through Netty). */
    static TlsEngineFactory tcnativeEngines() {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys(), PASSWORD);
            return engines(new dev.sluice.tls.tcnative.TcnativeTls().serverContext(kmf.getKeyManagers()[0], null,
                    java.util.List.of("http/1.1")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keys() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", KEY.key(), PASSWORD, KEY.chain().toArray(new Certificate[0]));
        return ks;
    }

    private static TlsEngineFactory engines(SSLContext server) {
        return (host, port) -> {
            SSLEngine e = server.createSSLEngine(host, port);
            SSLParameters p = e.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            p.setApplicationProtocols(new String[] {"http/1.1"});
            e.setSSLParameters(p);
            return e;
        };
    }

    static ServerConfig config(Engine engine) {
        return EngineIT.config(engine).withTls(engines());
    }

    /** A client that trusts the test certificate and has finished its handshake. */
    static SSLSocket connect(Server server, String... protocols) throws IOException {
        return connect(CLIENT, server, protocols);
    }

    /** A client context of its own: its sessions are resumed by its own connections only. */
    static SSLContext newClient() {
        return context(false, null);
    }

    /** A client of {@code client} (see {@link #newClient}) that has finished its handshake. */
    static SSLSocket connect(SSLContext client, Server server, String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
        s.setSoTimeout(Clients.READ_TIMEOUT_MS);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), Clients.READ_TIMEOUT_MS);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.startHandshake();
        return s;
    }

    /** A client that has finished its handshake over {@code plain}, a socket already connected to {@code server}. */
    static SSLSocket over(Socket plain, Server server) throws IOException {
        SSLSocket s = (SSLSocket) CLIENT.getSocketFactory().createSocket(plain, "127.0.0.1", server.port(), true);
        s.setSoTimeout(Clients.READ_TIMEOUT_MS);
        s.startHandshake();
        return s;
    }

    /** A server or client context; the server's from {@code provider} unless null (the JDK's). */
    private static SSLContext context(boolean server, java.security.Provider provider) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", KEY.certificate());
            SSLContext ctx = provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
            if (server) {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys(), PASSWORD);
                ctx.init(kmf.getKeyManagers(), null, null);
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                ctx.init(null, tmf.getTrustManagers(), null);
            }
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
