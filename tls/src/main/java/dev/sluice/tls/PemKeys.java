package dev.sluice.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Turns one parsed PEM block into a JDK private key: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 and SEC1
 * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}, which the parser returns as key pairs), and
 * encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}) or OpenSSL's legacy encrypted PEM.
 */
final class PemKeys {
    /**
     * Decrypts only: a provider instance, never registered, so the JVM's providers stay the JDK's.
     * It knows the older PBE schemes (3DES, RC2) the JDK lacks.
     */
    private static final BouncyCastleProvider DECRYPTION = new BouncyCastleProvider();

    private PemKeys() {
    }

    /**
     * The private key in {@code block}, or null when the block is not a key (a certificate, EC
     * parameters).
     *
     * @param password the key's password, or null when none was given
     */
    static PrivateKey toPrivateKey(Object block, char[] password, Path file, Path passwordFile)
            throws KeyMaterialException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            return switch (block) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMKeyPair pair -> privateKey(converter, pair);
                case PKCS8EncryptedPrivateKeyInfo encrypted ->
                        converter.getPrivateKey(decrypt(encrypted, need(password, file), file, passwordFile));
                case PEMEncryptedKeyPair encrypted ->
                        privateKey(converter, decrypt(encrypted, need(password, file), file, passwordFile));
                default -> null;
            };
        } catch (PEMException e) {
            throw new KeyMaterialException(file + ": unsupported or malformed key: " + e.getMessage(), e);
        }
    }

    /** SEC1 may leave out the public key (it is optional there): the private part is all we need. */
    private static PrivateKey privateKey(JcaPEMKeyConverter converter, PEMKeyPair pair) throws PEMException {
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
    }

    private static char[] need(char[] password, Path file) throws KeyMaterialException {
        if (password == null) {
            throw new KeyMaterialException(file + ": key is encrypted; give its password file");
        }
        return password;
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, char[] password, Path file,
                                          Path passwordFile) throws KeyMaterialException {
        try {
            return encrypted.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(DECRYPTION).build(password));
        } catch (PKCSException | OperatorCreationException | RuntimeException e) {
            // A wrong password shows as bad padding or as garbage that is not a key: one message.
            throw new KeyMaterialException(file + ": cannot decrypt key: wrong password (from "
                    + passwordFile + ") or corrupt key", e);
        }
    }

    private static PEMKeyPair decrypt(PEMEncryptedKeyPair encrypted, char[] password, Path file,
                                      Path passwordFile) throws KeyMaterialException {
        try {
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(DECRYPTION)
                    .build(password));
        } catch (java.io.IOException | RuntimeException e) {
            throw new KeyMaterialException(file + ": cannot decrypt key: wrong password (from "
                    + passwordFile + ") or corrupt key", e);
        }
    }
}
