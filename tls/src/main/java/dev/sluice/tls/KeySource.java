package dev.sluice.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where one certificate and its private key come from: PEM files or a PKCS#12 keystore. The files
 * are read when the material is loaded and again on each reload; paths may be symbolic links.
 */
public sealed interface KeySource permits KeySource.Pem, KeySource.Pkcs12 {

    /** The files this source reads, in the order they are read: what a reload watches. */
    List<Path> files();

    /** A certificate chain PEM file and an unencrypted key PEM file. */
    static Pem pem(Path certificateChain, Path key) {
        return new Pem(certificateChain, key, null);
    }

    /** A PKCS#12 keystore holding one key entry, and the file holding its password. */
    static Pkcs12 pkcs12(Path keystore, Path passwordFile) {
        return new Pkcs12(keystore, passwordFile);
    }

    /**
     * PEM files.
     *
     * @param certificateChain the server's certificate first, then the intermediates, as
     *     {@code CERTIFICATE} blocks. Required.
     * @param key the private key: {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1),
     *     {@code EC PRIVATE KEY} (SEC1) or {@code ENCRYPTED PRIVATE KEY} (PKCS#8, needs
     *     {@code keyPasswordFile}). May be the same file as {@code certificateChain}. Required.
     * @param keyPasswordFile the file holding the password of an encrypted key, UTF-8, one trailing
     *     newline ignored; {@code null} when the key is not encrypted.
     */
    record Pem(Path certificateChain, Path key, Path keyPasswordFile) implements KeySource {
        /** @throws NullPointerException if {@code certificateChain} or {@code key} is null */
        public Pem {
            Objects.requireNonNull(certificateChain, "certificateChain");
            Objects.requireNonNull(key, "key");
        }

        public Pem withKeyPasswordFile(Path keyPasswordFile) {
            return new Pem(certificateChain, key, keyPasswordFile);
        }

        @Override
        public List<Path> files() {
            return keyPasswordFile == null ? List.of(certificateChain, key)
                    : List.of(certificateChain, key, keyPasswordFile);
        }
    }

    /**
     * A PKCS#12 keystore.
     *
     * @param keystore the keystore: exactly one key entry, with its certificate chain. Required.
     * @param passwordFile the file holding the keystore's password (also the key's), UTF-8, one
     *     trailing newline ignored. Required: a PKCS#12 file without a password is refused by
     *     many tools, and an empty file means the empty password.
     */
    record Pkcs12(Path keystore, Path passwordFile) implements KeySource {
        /** @throws NullPointerException if a component is null */
        public Pkcs12 {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(passwordFile, "passwordFile");
        }

        @Override
        public List<Path> files() {
            return List.of(keystore, passwordFile);
        }
    }
}
