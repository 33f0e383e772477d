package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyMaterialReaderTest {
    @TempDir
    Path dir;

    private CertifiedKey loadPem(KeyPair pair, Object keyBlock) throws Exception {
        X509Certificate cert = TestPki.certificate(pair, 7, "DNS:a.example");
        return KeyMaterialReader.read(KeySource.pem(TestPki.pem(dir.resolve("c.pem"), cert),
                TestPki.pem(dir.resolve("k.pem"), keyBlock)));
    }

    @Test
    void readsRsaKeyInPkcs8() throws Exception {
        KeyPair pair = TestPki.sharedRsa();
        assertThat(loadPem(pair, TestPki.pkcs8(pair.getPrivate())).key()).isEqualTo(pair.getPrivate());
    }

    @Test
    void readsRsaKeyInPkcs1() throws Exception {
        KeyPair pair = TestPki.sharedRsa();
        CertifiedKey loaded = loadPem(pair, pair.getPrivate());
        assertThat(Files.readString(dir.resolve("k.pem"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(loaded.key().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void readsEcKeyInSec1() throws Exception {
        KeyPair pair = TestPki.ec();
        CertifiedKey loaded = loadPem(pair, TestPki.sec1(pair));
        assertThat(Files.readString(dir.resolve("k.pem"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(loaded.key().getAlgorithm()).isEqualTo("EC");
        assertThat(loaded.certificate().getSerialNumber().longValue()).isEqualTo(7);
    }

    @Test
    void readsEcKeyAfterAnEcParametersBlock() throws Exception {
        // What openssl ecparam -genkey writes without -noout.
        KeyPair pair = TestPki.ec();
        org.bouncycastle.util.io.pem.PemObject parameters = new org.bouncycastle.util.io.pem.PemObject(
                "EC PARAMETERS", org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1.getEncoded());
        X509Certificate cert = TestPki.certificate(pair, 7, "DNS:a.example");
        CertifiedKey loaded = KeyMaterialReader.read(KeySource.pem(TestPki.pem(dir.resolve("c.pem"), cert),
                TestPki.pem(dir.resolve("k.pem"), parameters, TestPki.sec1(pair))));
        assertThat(loaded.key().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsLegacyOpenSslEncryptedRsaKey() throws Exception {
        KeyPair pair = TestPki.sharedRsa();
        X509Certificate cert = TestPki.certificate(pair, 8, "DNS:a.example");
        Path key = TestPki.pem(dir.resolve("k.pem"), new org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator(
                pair.getPrivate(), new org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).build("pw".toCharArray())));
        CertifiedKey loaded = KeyMaterialReader.read(KeySource.pem(TestPki.pem(dir.resolve("c.pem"), cert), key)
                .withKeyPasswordFile(Files.writeString(dir.resolve("pw"), "pw")));
        assertThat(Files.readString(key)).contains("Proc-Type: 4,ENCRYPTED");
        assertThat(loaded.key().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void readsEcKeyInPkcs8() throws Exception {
        KeyPair pair = TestPki.ec();
        assertThat(loadPem(pair, TestPki.pkcs8(pair.getPrivate())).key().getAlgorithm()).isEqualTo("EC");
    }

    /** A certificate and its key encrypted with {@code password}, with no password file yet. */
    private KeySource.Pem encrypted(KeyPair pair, String password) throws Exception {
        X509Certificate cert = TestPki.certificate(pair, 8, "DNS:a.example");
        return KeySource.pem(TestPki.pem(dir.resolve("c.pem"), cert),
                TestPki.pem(dir.resolve("k.pem"), TestPki.encryptedPkcs8(pair.getPrivate(), password)));
    }

    @Test
    void readsEncryptedPkcs8WithPasswordFileEndingInNewline() throws Exception {
        KeyPair pair = TestPki.ec();
        KeySource.Pem source = encrypted(pair, "s3cret")
                .withKeyPasswordFile(Files.writeString(dir.resolve("pw"), "s3cret\n"));
        CertifiedKey loaded = KeyMaterialReader.read(source);
        assertThat(Files.readString(source.key())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(loaded.key().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void refusesEncryptedKeyWithWrongPassword() throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "wrong\n");
        KeySource.Pem source = encrypted(TestPki.ec(), "right").withKeyPasswordFile(password);
        assertThatThrownBy(() -> KeyMaterialReader.read(source)).hasMessage(source.key()
                + ": cannot decrypt key: wrong password (from " + password + ") or corrupt key");
    }

    @Test
    void refusesEncryptedKeyWithoutPasswordFile() throws Exception {
        KeySource.Pem source = encrypted(TestPki.ec(), "pw");
        assertThatThrownBy(() -> KeyMaterialReader.read(source))
                .hasMessage(source.key() + ": key is encrypted; give its password file");
    }

    @Test
    void readsCertificateAndKeyFromOneFile() throws Exception {
        KeyPair pair = TestPki.ec();
        Path both = TestPki.pem(dir.resolve("both.pem"), TestPki.certificate(pair, 9, "DNS:a.example"),
                TestPki.pkcs8(pair.getPrivate()));
        assertThat(KeyMaterialReader.read(KeySource.pem(both, both)).certificate().getSerialNumber().intValue())
                .isEqualTo(9);
    }

    @Test
    void keepsTheChainInFileOrder() throws Exception {
        KeyPair ca = TestPki.ec();
        KeyPair leaf = TestPki.ec();
        X509Certificate caCert = TestPki.certificate(ca, ca, "CN=test-ca", 1, TestPki.FAR_PAST,
                TestPki.FAR_FUTURE, true);
        X509Certificate leafCert = TestPki.certificate(leaf, ca, "CN=leaf", 2, TestPki.FAR_PAST,
                TestPki.FAR_FUTURE, false, "DNS:a.example");
        CertifiedKey loaded = KeyMaterialReader.read(KeySource.pem(TestPki.pem(dir.resolve("chain.pem"),
                leafCert, caCert), TestPki.pem(dir.resolve("k.pem"), TestPki.pkcs8(leaf.getPrivate()))));
        assertThat(loaded.chain()).containsExactly(leafCert, caCert);
    }

    @Test
    void readsPkcs12Keystore() throws Exception {
        KeyPair pair = TestPki.sharedRsa();
        X509Certificate cert = TestPki.certificate(pair, 10, "DNS:a.example");
        Path store = TestPki.pkcs12(dir.resolve("s.p12"), pair.getPrivate(), cert, "storepw");
        Path password = Files.writeString(dir.resolve("pw"), "storepw\r\n");
        CertifiedKey loaded = KeyMaterialReader.read(KeySource.pkcs12(store, password));
        assertThat(loaded.certificate()).isEqualTo(cert);
        assertThat(loaded.key().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void refusesPkcs12WithWrongPassword() throws Exception {
        KeyPair pair = TestPki.ec();
        Path store = TestPki.pkcs12(dir.resolve("s.p12"), pair.getPrivate(),
                TestPki.certificate(pair, 10, "DNS:a.example"), "storepw");
        Path password = Files.writeString(dir.resolve("pw"), "nope");
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pkcs12(store, password)))
                .hasMessage(store + ": wrong password (from " + password + ")");
    }

    @Test
    void refusesKeyOfAnotherCertificateNamingTheFile() throws Exception {
        KeyPair pair = TestPki.ec();
        KeyPair other = TestPki.ec();
        Path cert = TestPki.pem(dir.resolve("c.pem"), TestPki.certificate(pair, 1, "DNS:a.example"));
        Path key = TestPki.pem(dir.resolve("k.pem"), TestPki.pkcs8(other.getPrivate()));
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(cert, key)))
                .hasMessageStartingWith(cert + ": the private key does not match the certificate");
    }

    @Test
    void refusesRsaKeyForEcCertificate() throws Exception {
        KeyPair pair = TestPki.ec();
        Path cert = TestPki.pem(dir.resolve("c.pem"), TestPki.certificate(pair, 1, "DNS:a.example"));
        Path key = TestPki.pem(dir.resolve("k.pem"), TestPki.pkcs8(TestPki.sharedRsa().getPrivate()));
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(cert, key)))
                .hasMessageContaining("does not match").hasMessageContaining("RSA key for an EC certificate");
    }

    @Test
    void namesMissingFile() {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(missing, missing)))
                .hasMessage(missing + ": file not found");
    }

    @Test
    void namesUnreadableFile() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        cert.toFile().setReadable(false);
        // Root reads anything: then there is nothing to check here.
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(cert), "running as root");
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(cert, cert)))
                .hasMessage(cert + ": file not readable (permission denied)");
    }

    @Test
    void refusesFileThatIsNotPem() throws Exception {
        Path der = Files.write(dir.resolve("c.der"), TestPki.certificate(TestPki.ec(), 1).getEncoded());
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(der, der)))
                .hasMessage(der + ": not PEM (no -----BEGIN block)");
    }

    @Test
    void refusesMalformedPemBlock() throws Exception {
        Path bad = Files.writeString(dir.resolve("c.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(bad, bad)))
                .hasMessageStartingWith(bad + ": malformed PEM");
    }

    @Test
    void refusesCertificateFileWithoutCertificate() throws Exception {
        KeyPair pair = TestPki.ec();
        Path key = TestPki.pem(dir.resolve("k.pem"), TestPki.pkcs8(pair.getPrivate()));
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(key, key)))
                .hasMessage(key + ": no CERTIFICATE block");
    }

    @Test
    void refusesKeyFileWithoutKey() throws Exception {
        Path cert = TestPki.pem(dir.resolve("c.pem"), TestPki.certificate(TestPki.ec(), 1));
        assertThatThrownBy(() -> KeyMaterialReader.read(KeySource.pem(cert, cert)))
                .hasMessageStartingWith(cert + ": no private key block");
    }
}
