package dev.sluice.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The development certificate: ECDSA P-256 for {@code localhost}, {@code 127.0.0.1} and
 * {@code ::1}, made in memory, never written to disk. Clients do not trust it; they can pin its
 * {@link #fingerprint fingerprint} or skip verification.
 */
public final class SelfSignedCertificate {
    /** How far before now it is valid from: a client whose clock is a little behind still accepts it. */
    public static final Duration BACKDATE = Duration.ofHours(1);
    /** The names it serves, as SANs in this order. */
    public static final List<String> NAMES = List.of("localhost", "127.0.0.1", "::1");

    private SelfSignedCertificate() {
    }

    /** A new key pair and certificate valid from {@code now - }{@link #BACKDATE} to {@code now + validity}. */
    public static CertifiedKey generate(Clock clock, Duration validity) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name name = new X500Name("CN=localhost,O=Sluice development certificate");
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, NAMES.get(0)),
                ipName(NAMES.get(1)), ipName(NAMES.get(2))}));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return new CertifiedKey(List.of(certificate), pair.getPrivate(), "self-signed");
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            // Every JDK has P-256 and SHA256withECDSA: this is a broken runtime, not bad input.
            throw new IllegalStateException("cannot make the self-signed certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The SHA-256 fingerprint of {@code certificate}'s DER encoding as upper-case hex pairs joined by
     * colons, as {@code openssl x509 -noout -fingerprint -sha256} prints after its
     * {@code sha256 Fingerprint=}.
     */
    public static String fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot fingerprint a certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralName ipName(String literal) {
        return new GeneralName(GeneralName.iPAddress, new DEROctetString(HostNames.ipLiteral(literal).getAddress()));
    }
}
