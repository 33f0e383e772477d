package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which certificate a client receives, over in-memory handshakes between two SSLEngines. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SniKeySelectorTest {
    private static final String EC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String RSA_SUITE = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

    @TempDir
    Path dir;
    private CertificateReloader reloader;

    /** Serial 1: a.example (EC, first); 2: *.b.example (EC); 3 and 4: c.example in EC and RSA; 5: IP. */
    @BeforeEach
    void load() throws Exception {
        KeyPair rsa = TestPki.sharedRsa();
        KeyPair ec = TestPki.ec();
        reloader = CertificateReloader.load(TlsConfig.of(List.of(
                TestPki.pemPair(dir, "a", ec, TestPki.certificate(ec, 1, "DNS:a.example")),
                TestPki.pemPair(dir, "b", ec, TestPki.certificate(ec, 2, "DNS:*.b.example")),
                TestPki.pemPair(dir, "c-ec", ec, TestPki.certificate(ec, 3, "DNS:c.example")),
                TestPki.pemPair(dir, "c-rsa", rsa, TestPki.certificate(rsa, 4, "DNS:c.example")),
                TestPki.pemPair(dir, "ip", ec, TestPki.certificate(ec, 5, "IP:192.0.2.1"))))
                .withProvider(provider()), Clock.systemUTC());
    }

    /** The TLS provider under test: the JDK's here, another in a subclass. */
    String provider() {
        return TlsConfig.DEFAULT_PROVIDER;
    }

    long serialFor(SSLEngine client) throws Exception {
        Handshakes.run(client, reloader.newEngine());
        return Handshakes.serverCertificate(client).getSerialNumber().longValue();
    }

    @Test
    void servesThePairWhoseNameMatches() throws Exception {
        assertThat(serialFor(Handshakes.client("A.EXAMPLE"))).as("a.example").isEqualTo(1);
        assertThat(serialFor(Handshakes.client("www.b.example"))).as("www.b.example").isEqualTo(2);
    }

    @Test
    void servesTheFirstPairWithoutNameOrWithUnknownName() throws Exception {
        assertThat(serialFor(Handshakes.client(null))).as("no SNI").isEqualTo(1);
        assertThat(serialFor(Handshakes.client("unknown.example"))).as("unknown").isEqualTo(1);
        assertThat(serialFor(Handshakes.client("x.y.b.example"))).as("two labels under a wildcard").isEqualTo(1);
    }

    @Test
    void servesTheKeyTypeTheClientCanUseWhenANameHasBoth() throws Exception {
        assertThat(serialFor(Handshakes.client("c.example", EC_SUITE))).as("ECDSA client").isEqualTo(3);
        assertThat(serialFor(Handshakes.client("c.example", RSA_SUITE))).as("RSA-only client").isEqualTo(4);
    }

    @Test
    void refusesAClientWithoutNameThatCannotUseTheFirstPairsKeyType() {
        // As nginx's default server: another site's certificate is never the fallback.
        assertThatThrownBy(() -> serialFor(Handshakes.client(null, RSA_SUITE)))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void servesTheFirstPairsTwinOfAnotherKeyTypeToAClientWithoutName() throws Exception {
        KeyPair rsa = TestPki.sharedRsa();
        KeyPair ec = TestPki.ec();
        reloader = CertificateReloader.load(TlsConfig.of(List.of(
                TestPki.pemPair(dir, "d-ec", ec, TestPki.certificate(ec, 6, "DNS:d.example")),
                TestPki.pemPair(dir, "a", ec, TestPki.certificate(ec, 1, "DNS:a.example")),
                TestPki.pemPair(dir, "d-rsa", rsa, TestPki.certificate(rsa, 7, "DNS:d.example")))),
                Clock.systemUTC());
        assertThat(serialFor(Handshakes.client(null, RSA_SUITE))).as("RSA-only client").isEqualTo(7);
        assertThat(serialFor(Handshakes.client(null, EC_SUITE))).as("ECDSA client").isEqualTo(6);
        assertThat(serialFor(Handshakes.client(null))).as("TLS 1.3 client").isEqualTo(6);
    }

    @Test
    void servesThePairWithTheIpAddressEntryForAnIpLiteralName() throws Exception {
        // RFC 6066 3 forbids literals in SNI, but some clients send them.
        assertThat(serialFor(Handshakes.client("192.0.2.1"))).isEqualTo(5);
    }

    @Test
    void negotiatesTls13AndHttp11ByDefault() throws Exception {
        SSLEngine client = Handshakes.client("a.example");
        javax.net.ssl.SSLParameters p = client.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        client.setSSLParameters(p);
        Handshakes.run(client, reloader.newEngine());
        assertThat(client.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(client.getApplicationProtocol()).isEqualTo("http/1.1");
    }
}
