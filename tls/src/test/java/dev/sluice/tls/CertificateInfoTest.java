package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CertificateInfoTest {
    private static CertificateInfo expiringAt(String notAfter) throws Exception {
        KeyPair pair = TestPki.ec();
        return CertificateInfo.of(TestPki.certificate(pair, pair, "CN=site", 0xBEEFL,
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse(notAfter), false,
                "DNS:site.example", "IP:192.0.2.1"), "site.pem");
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void describesSubjectNamesSerialAndValidity() throws Exception {
        CertificateInfo info = expiringAt("2028-03-30T12:00:00Z");
        assertThat(info.subject()).isEqualTo("CN=site");
        assertThat(info.subjectAltNames()).containsExactly("DNS:site.example", "IP:192.0.2.1");
        assertThat(info.serial()).isEqualTo("beef");
        assertThat(info.notAfter()).isEqualTo(Instant.parse("2028-03-30T12:00:00Z"));
        assertThat(info.source()).isEqualTo("site.pem");
    }

    @Test
    void countsThirtyDaysAcrossALeapDay() throws Exception {
        // 2028-02-29 + 30 days is 2028-03-30; one calendar month would be 2028-03-29.
        CertificateInfo info = expiringAt("2028-03-30T12:00:00Z");
        assertThat(info.expiresSoon(at("2028-02-29T12:00:00Z"))).as("exactly 30 days before").isTrue();
        assertThat(info.expiresSoon(at("2028-02-29T11:59:59Z"))).as("30 days and 1 s before").isFalse();
    }

    @Test
    void countsThirtyDaysAcrossTheYearEnd() throws Exception {
        CertificateInfo info = expiringAt("2027-01-30T00:00:00Z");
        assertThat(info.expiresSoon(at("2026-12-31T00:00:00Z"))).as("exactly 30 days before").isTrue();
        assertThat(info.expiresSoon(at("2026-12-30T23:59:59Z"))).as("30 days and 1 s before").isFalse();
    }

    @Test
    void anExpiredCertificateExpiresSoon() throws Exception {
        assertThat(expiringAt("2027-01-30T00:00:00Z").expiresSoon(at("2027-02-01T00:00:00Z"))).isTrue();
    }
}
