package dev.sluice.cli;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test certificate authority made at test time (ECDSA P-256; no key is committed), issuing
 * server and client certificates valid from 2000 to 2999, so no test depends on the date.
 */
final class TestCa {
    private static final Date FROM = Date.from(Instant.parse("2000-01-01T00:00:00Z"));
    private static final Date UNTIL = Date.from(Instant.parse("2999-12-31T00:00:00Z"));

    private final KeyPair keys = ecKeys();
    final X509Certificate certificate;
    private long serial = 100;

    TestCa() throws Exception {
        certificate = sign("CN=sluice-test-ca", keys, 1, true, List.of());
    }

    /** The CA certificate as a PEM file in {@code dir}. */
    Path write(Path dir) throws Exception {
        return pem(dir.resolve("ca.crt"), certificate);
    }

    /** A certificate for {@code names} ("localhost", "127.0.0.1") as {@code name.crt} and {@code name.key}. */
    Issued issue(Path dir, String name, String... names) throws Exception {
        KeyPair pair = ecKeys();
        X509Certificate cert = sign("CN=" + name, pair, ++serial, false, List.of(names));
        return new Issued(pem(dir.resolve(name + ".crt"), cert, certificate),
                pem(dir.resolve(name + ".key"), new JcaPKCS8Generator(pair.getPrivate(), null).generate()),
                cert.getSerialNumber());
    }

    /** A certificate and its key files, and its serial number. */
    record Issued(Path certificate, Path key, BigInteger serial) {
    }

    /** A client context that trusts this CA only. */
    SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private X509Certificate sign(String subject, KeyPair subjectKeys, long number, boolean ca, List<String> names)
            throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=sluice-test-ca"), BigInteger.valueOf(number),
                FROM, UNTIL, new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (!names.isEmpty()) {
            GeneralName[] sans = names.stream().map(n -> Character.isDigit(n.charAt(0))
                    ? new GeneralName(GeneralName.iPAddress, new DEROctetString(address(n)))
                    : new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path pem(Path file, Object... objects) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        }
        return Files.writeString(file, text.toString());
    }
}
