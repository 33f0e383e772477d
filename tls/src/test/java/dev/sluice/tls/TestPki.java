package dev.sluice.tls;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.PKCS8Generator;

/**
 * Test certificates and key files, made at test time: no private key is committed, and validity
 * spans far around any date the tests may run on, so no test depends on the clock.
 */
final class TestPki {
    static final Instant FAR_PAST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant FAR_FUTURE = Instant.parse("2999-12-31T00:00:00Z");
    private static KeyPair cachedRsa;

    private TestPki() {
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    /** One RSA pair shared by the tests that do not care which (RSA generation is slow). */
    static synchronized KeyPair sharedRsa() throws Exception {
        if (cachedRsa == null) {
            cachedRsa = rsa();
        }
        return cachedRsa;
    }

    /** A self-signed certificate, valid far around now. */
    static X509Certificate certificate(KeyPair pair, long serial, String... sans) throws Exception {
        return certificate(pair, pair, "CN=test", serial, FAR_PAST, FAR_FUTURE, false, sans);
    }

    /** A certificate of {@code subjectKeys} signed by {@code issuerKeys} (CN=test-ca when different). */
    static X509Certificate certificate(KeyPair subjectKeys, KeyPair issuerKeys, String subject, long serial,
                                       Instant notBefore, Instant notAfter, boolean ca, String... sans)
            throws Exception {
        X500Name issuer = new X500Name(subjectKeys == issuerKeys ? subject : "CN=test-ca");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial),
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), subjectKeys.getPublic());
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
            names.add(san.startsWith("IP:")
                    ? new GeneralName(GeneralName.iPAddress,
                            new DEROctetString(HostNames.ipLiteral(san.substring(3)).getAddress()))
                    : new GeneralName(GeneralName.dNSName, san.substring(4)));
        }
        if (!names.isEmpty()) {
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    }

    /** Writes {@code objects} as PEM: certificates, keys (PKCS#1/SEC1), or PKCS#8 generators. */
    static Path pem(Path file, Object... objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                writer.writeObject(o instanceof JcaPKCS8Generator g ? g.generate() : o);
            }
        }
        Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        return file;
    }

    /**
     * An {@code EC PRIVATE KEY} (SEC1) block as OpenSSL writes it, with the curve and the public
     * key. (BouncyCastle's writer, given a JDK key, leaves the curve out.)
     */
    static PemObject sec1(KeyPair pair) throws Exception {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) pair.getPrivate();
        return new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(),
                spki.getPublicKeyData(), spki.getAlgorithm().getParameters()).getEncoded());
    }

    /** A PKCS#8 {@code PRIVATE KEY} block for {@link #pem}. */
    static JcaPKCS8Generator pkcs8(PrivateKey key) throws Exception {
        return new JcaPKCS8Generator(key, null);
    }

    /** An {@code ENCRYPTED PRIVATE KEY} block (PBES2, AES-256-CBC) for {@link #pem}. */
    static JcaPKCS8Generator encryptedPkcs8(PrivateKey key, String password) throws Exception {
        return new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword(password.toCharArray()).build());
    }

    static Path pkcs12(Path file, PrivateKey key, X509Certificate certificate, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, password.toCharArray(), new Certificate[] {certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
        return file;
    }

    /** Certificate and PKCS#8 key files {@code name.crt} and {@code name.key} in {@code dir}. */
    static KeySource.Pem pemPair(Path dir, String name, KeyPair pair, X509Certificate certificate)
            throws Exception {
        return KeySource.pem(pem(dir.resolve(name + ".crt"), certificate),
                pem(dir.resolve(name + ".key"), pkcs8(pair.getPrivate())));
    }
}
