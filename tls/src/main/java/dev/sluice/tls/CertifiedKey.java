package dev.sluice.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and the certificate chain it proves, loaded and checked: the key belongs to the
 * first certificate.
 *
 * @param chain the server's certificate first, then its intermediates; not empty
 * @param key the private key of {@code chain.get(0)}
 * @param source where it was loaded from, for messages (a file name, or {@code self-signed})
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key, String source) {
    /**
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if {@code chain} is empty
     */
    public CertifiedKey {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain is empty");
        }
    }

    /** The server's own certificate: the chain's first. */
    public X509Certificate certificate() {
        return chain.get(0);
    }
}
