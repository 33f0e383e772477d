package dev.sluice.tls;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a served certificate says about itself: for the startup report, the expiry warning and
 * metrics.
 *
 * @param subject the subject's distinguished name (RFC 2253)
 * @param subjectAltNames its SANs, each {@code DNS:name} or {@code IP:address}, in certificate order
 * @param serial the serial number, lower-case hexadecimal
 * @param notBefore the start of its validity
 * @param notAfter the end of its validity (inclusive, RFC 5280 4.1.2.5)
 * @param source where it was loaded from
 */
public record CertificateInfo(String subject, List<String> subjectAltNames, String serial, Instant notBefore,
                              Instant notAfter, String source) {
    /** How far ahead {@link #expiresSoon} looks: the startup warning's window. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    /** @throws NullPointerException if a component is null */
    public CertificateInfo {
        Objects.requireNonNull(subject, "subject");
        subjectAltNames = List.copyOf(subjectAltNames);
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(source, "source");
    }

    /** Describes {@code certificate}, loaded from {@code source}. */
    public static CertificateInfo of(X509Certificate certificate, String source) {
        return new CertificateInfo(certificate.getSubjectX500Principal().getName(),
                HostNames.subjectAltNames(certificate), certificate.getSerialNumber().toString(16),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), source);
    }

    /** Whether it is no longer valid at {@code now + window}: expired already, or expiring by then. */
    public boolean expiresWithin(Duration window, Clock clock) {
        return !notAfter.isAfter(clock.instant().plus(window));
    }

    /** Whether it expires within {@link #EXPIRY_WARNING} of {@code clock}'s now. */
    public boolean expiresSoon(Clock clock) {
        return expiresWithin(EXPIRY_WARNING, clock);
    }
}
