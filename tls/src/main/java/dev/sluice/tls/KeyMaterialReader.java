package dev.sluice.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads certificates and keys from files, with messages that name the file and the fault. PEM
 * blocks are parsed by BouncyCastle's {@link PEMParser}; keys are turned into the JDK's own key
 * types by {@link PemKeys}, so the JDK's TLS provider signs with them as with any other.
 */
final class KeyMaterialReader {
    private KeyMaterialReader() {
    }

    /** Loads one source and checks that its key belongs to its first certificate. */
    static CertifiedKey read(KeySource source) throws KeyMaterialException {
        CertifiedKey loaded = switch (source) {
            case KeySource.Pem pem -> readPem(pem);
            case KeySource.Pkcs12 p12 -> readPkcs12(p12);
        };
        KeyPairCheck.requireMatch(loaded);
        return loaded;
    }

    /** Every certificate in a PEM file, in file order; at least one. */
    static List<X509Certificate> readCertificates(Path file) throws KeyMaterialException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object block : readPemBlocks(file)) {
            if (block instanceof X509CertificateHolder holder) {
                certificates.add(toCertificate(holder, file));
            }
        }
        if (certificates.isEmpty()) {
            throw new KeyMaterialException(file + ": no CERTIFICATE block");
        }
        return certificates;
    }

    /** The password in {@code file}, UTF-8, without one trailing newline ({@code \n} or {@code \r\n}). */
    static char[] readPassword(Path file) throws KeyMaterialException {
        String text = new String(readAll(file, "password file"), StandardCharsets.UTF_8);
        if (text.endsWith("\r\n")) {
            text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.toCharArray();
    }

    private static CertifiedKey readPem(KeySource.Pem pem) throws KeyMaterialException {
        List<X509Certificate> chain = readCertificates(pem.certificateChain());
        char[] password = pem.keyPasswordFile() == null ? null : readPassword(pem.keyPasswordFile());
        PrivateKey key = null;
        for (Object block : readPemBlocks(pem.key())) {
            key = PemKeys.toPrivateKey(block, password, pem.key(), pem.keyPasswordFile());
            if (key != null) {
                break;
            }
        }
        if (key == null) {
            throw new KeyMaterialException(pem.key() + ": no private key block (PRIVATE KEY, RSA PRIVATE KEY,"
                    + " EC PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
        }
        return new CertifiedKey(chain, key, pem.certificateChain().toString());
    }

    private static CertifiedKey readPkcs12(KeySource.Pkcs12 p12) throws KeyMaterialException {
        Path file = p12.keystore();
        char[] password = readPassword(p12.passwordFile());
        KeyStore store;
        try (InputStream in = Files.newInputStream(file)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (NoSuchFileException e) {
            throw new KeyMaterialException(file + ": keystore not found", e);
        } catch (AccessDeniedException e) {
            throw new KeyMaterialException(file + ": keystore not readable (permission denied)", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new KeyMaterialException(file + ": wrong password (from " + p12.passwordFile() + ")", e);
            }
            throw new KeyMaterialException(file + ": not a PKCS#12 keystore: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException(file + ": cannot read keystore: " + e.getMessage(), e);
        }
        return keyEntry(store, password, p12);
    }

    private static CertifiedKey keyEntry(KeyStore store, char[] password, KeySource.Pkcs12 p12)
            throws KeyMaterialException {
        Path file = p12.keystore();
        try {
            List<String> keyAliases = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
            if (keyAliases.size() != 1) {
                throw new KeyMaterialException(file + ": holds " + keyAliases.size()
                        + " key entries; want exactly 1");
            }
            String alias = keyAliases.get(0);
            PrivateKey key = (PrivateKey) store.getKey(alias, password);
            Certificate[] chain = store.getCertificateChain(alias);
            if (chain == null || chain.length == 0) {
                throw new KeyMaterialException(file + ": key entry " + alias + " has no certificate");
            }
            List<X509Certificate> x509 = new ArrayList<>();
            for (Certificate c : chain) {
                x509.add((X509Certificate) c);
            }
            return new CertifiedKey(x509, key, file.toString());
        } catch (UnrecoverableKeyException e) {
            throw new KeyMaterialException(file + ": wrong key password (from " + p12.passwordFile() + ")", e);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new KeyMaterialException(file + ": cannot read key entry: " + e.getMessage(), e);
        }
    }

    /** The PEM objects of {@code file}, in order; at least one. */
    private static List<Object> readPemBlocks(Path file) throws KeyMaterialException {
        byte[] bytes = readAll(file, "file");
        List<Object> blocks = new ArrayList<>();
        try (Reader reader = new java.io.StringReader(new String(bytes, StandardCharsets.US_ASCII));
             PEMParser parser = new PEMParser(reader)) {
            for (Object block = parser.readObject(); block != null; block = parser.readObject()) {
                blocks.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // RuntimeException: BouncyCastle reports bad base64 or ASN.1 inside a block unchecked.
            throw new KeyMaterialException(file + ": malformed PEM: " + e.getMessage(), e);
        }
        if (blocks.isEmpty()) {
            throw new KeyMaterialException(file + ": not PEM (no -----BEGIN block)");
        }
        return blocks;
    }

    private static byte[] readAll(Path file, String what) throws KeyMaterialException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyMaterialException(file + ": " + what + " not found", e);
        } catch (AccessDeniedException e) {
            throw new KeyMaterialException(file + ": " + what + " not readable (permission denied)", e);
        } catch (IOException e) {
            throw new KeyMaterialException(file + ": cannot read " + what + ": " + e, e);
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder, Path file)
            throws KeyMaterialException {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (java.security.cert.CertificateException e) {
            throw new KeyMaterialException(file + ": bad certificate: " + e.getMessage(), e);
        }
    }
}
