package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineSettingsTest {
    @TempDir
    Path dir;

    /** The TLS provider under test: the JDK's here, another in a subclass. */
    String provider() {
        return TlsConfig.DEFAULT_PROVIDER;
    }

    /** The name that provider's contexts report. */
    String providerName() {
        return "SunJSSE";
    }

    TlsConfig config() throws Exception {
        KeyPair pair = TestPki.ec();
        return TlsConfig.of(List.of(TestPki.pemPair(dir, "s", pair, TestPki.certificate(pair, 1, "DNS:a.example"))))
                .withProvider(provider());
    }

    @Test
    void enginesComeFromTheConfiguredProvider() throws Exception {
        assertThat(CertificateReloader.load(config(), Clock.systemUTC()).context().getProvider().getName())
                .isEqualTo(providerName());
    }

    @Test
    void refusesAProviderNobodyProvides() throws Exception {
        TlsConfig config = config().withProvider("NoSuchTls");
        assertThatThrownBy(() -> CertificateReloader.load(config, Clock.systemUTC()))
                .isInstanceOf(KeyMaterialException.class)
                .hasMessageContaining("no TLS provider named NoSuchTls");
    }

    @Test
    void configuresServerModeVersionsSuitesOrderAndAlpn() throws Exception {
        TlsConfig config = config();
        SSLEngine engine = CertificateReloader.load(config, Clock.systemUTC()).newEngine();
        assertThat(engine.getUseClientMode()).isFalse();
        assertVersions(engine);
        assertSuites(engine, config);
        assertThat(engine.getSSLParameters().getUseCipherSuitesOrder()).isTrue();
        assertAlpn(engine);
        assertThat(engine.getNeedClientAuth()).isFalse();
        assertThat(engine.getWantClientAuth()).isFalse();
    }

    @Test
    void engineForAPeerCarriesItsAddressAndTheSameSettings() throws Exception {
        TlsConfig config = config();
        SSLEngine engine = CertificateReloader.load(config, Clock.systemUTC()).newEngine("192.0.2.9", 40000);
        assertThat(engine.getPeerHost()).isEqualTo("192.0.2.9");
        assertThat(engine.getPeerPort()).isEqualTo(40000);
        assertThat(engine.getUseClientMode()).isFalse();
        assertSuites(engine, config);
    }

    /** The engine enables TLS 1.3 and 1.2, and no other version. */
    void assertVersions(SSLEngine engine) {
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    /** The engine enables the configured suites, in the configured order. */
    void assertSuites(SSLEngine engine, TlsConfig config) {
        assertThat(engine.getEnabledCipherSuites()).containsExactlyElementsOf(config.cipherSuites());
    }

    /** The engine offers ALPN's {@code http/1.1}. */
    void assertAlpn(SSLEngine engine) {
        assertThat(engine.getSSLParameters().getApplicationProtocols()).containsExactly("http/1.1");
    }

    @Test
    void refusesACipherSuiteTheJdkDoesNotKnow() throws Exception {
        TlsConfig config = config().withCipherSuites(List.of("TLS_NOT_A_SUITE"));
        assertThatThrownBy(() -> CertificateReloader.load(config, Clock.systemUTC()))
                .hasMessage("cipherSuites: the TLS provider " + provider() + " does not support TLS_NOT_A_SUITE");
    }

    @Test
    void mutualTlsAcceptsAClientOfTheCaAndRefusesOneWithout() throws Exception {
        KeyPair ca = TestPki.ec();
        X509Certificate caCert = TestPki.certificate(ca, ca, "CN=test-ca", 1, TestPki.FAR_PAST, TestPki.FAR_FUTURE, true);
        TlsConfig config = config().withClientCaFile(TestPki.pem(dir.resolve("ca.pem"), caCert))
                .withClientAuth(ClientAuth.NEED);
        CertificateReloader reloader = CertificateReloader.load(config, Clock.systemUTC());
        assertThat(reloader.newEngine().getNeedClientAuth()).isTrue();

        KeyPair clientKeys = TestPki.ec();
        X509Certificate clientCert = TestPki.certificate(clientKeys, ca, "CN=client", 2, TestPki.FAR_PAST,
                TestPki.FAR_FUTURE, false);
        SSLEngine withCert = clientWithCertificate(clientKeys, clientCert);
        SSLEngine server = reloader.newEngine();
        Handshakes.run(withCert, server);
        assertThat(((X509Certificate) server.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                .getName()).isEqualTo("CN=client");

        assertThatThrownBy(() -> Handshakes.run(Handshakes.client("a.example"), reloader.newEngine()))
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static SSLEngine clientWithCertificate(KeyPair keys, X509Certificate cert) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", keys.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        SSLEngine template = Handshakes.client("a.example");
        context.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {new Handshakes.TrustingAnything()}, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        engine.setSSLParameters(template.getSSLParameters());
        return engine;
    }
}
