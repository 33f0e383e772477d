package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SelfSignedCertificateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void servesLocalhostAndBothLoopbackAddressesWithP256() {
        X509Certificate cert = SelfSignedCertificate.generate(CLOCK, Duration.ofDays(90)).certificate();
        assertThat(HostNames.subjectAltNames(cert)).containsExactly("DNS:localhost", "IP:127.0.0.1",
                "IP:0:0:0:0:0:0:0:1");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(((ECPublicKey) cert.getPublicKey()).getParams().getOrder().bitLength()).isEqualTo(256);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void isValidFromAnHourAgoForTheGivenDays() {
        X509Certificate cert = SelfSignedCertificate.generate(CLOCK, Duration.ofDays(90)).certificate();
        assertThat(cert.getNotBefore().toInstant()).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(Instant.parse("2026-08-30T10:00:00Z"));
    }

    @Test
    void fingerprintIsTheSha256OfTheDerAsColonSeparatedUpperCaseHex() throws Exception {
        X509Certificate cert = SelfSignedCertificate.generate(CLOCK, Duration.ofDays(1)).certificate();
        String fingerprint = SelfSignedCertificate.fingerprint(cert);
        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        assertThat(HexFormat.of().parseHex(fingerprint.replace(":", ""))).isEqualTo(digest);
    }

    @Test
    void eachStartMakesANewKey() {
        assertThat(SelfSignedCertificate.generate(CLOCK, Duration.ofDays(1)).key())
                .isNotEqualTo(SelfSignedCertificate.generate(CLOCK, Duration.ofDays(1)).key());
    }

    @Test
    void servesHandshakesFromASelfSignedConfig() throws Exception {
        CertificateReloader reloader = CertificateReloader.load(TlsConfig.ofSelfSigned(), Clock.systemUTC());
        SSLEngine client = Handshakes.client("localhost");
        Handshakes.run(client, reloader.newEngine());
        assertThat(HostNames.subjectAltNames(Handshakes.serverCertificate(client))).contains("DNS:localhost");
        assertThat(reloader.files()).isEmpty();
        assertThat(reloader.reload()).isTrue();
        assertThat(reloader.stats().successes()).isZero();
    }
}
