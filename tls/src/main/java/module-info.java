/**
 * Sluice TLS: what a transport needs to make server {@code SSLEngine}s. Certificates and keys
 * loaded from PEM or PKCS#12 files, picked per client by SNI, reloaded without a restart, checked
 * for expiry; a development certificate made at start; the settings applied to each engine.
 * Depends on the JDK and BouncyCastle only; another TLS implementation (Conscrypt) is found at run
 * time as a {@code java.security.Provider} service.
 */
module dev.sluice.tls {
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    exports dev.sluice.tls;
    uses java.security.Provider;
}
