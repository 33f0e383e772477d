/**
 * Sluice TLS: what a transport needs to make server {@code SSLEngine}s. Certificates and keys
 * loaded from PEM or PKCS#12 files, picked per client by SNI, reloaded without a restart, checked
 * for expiry; a development certificate made at start; the settings applied to each engine.
 * Depends on the JDK and BouncyCastle only; other TLS implementations are found at run time:
 * Conscrypt as a {@code java.security.Provider}, tcnative ({@code sluice-tls-tcnative}) as a
 * {@link dev.sluice.tls.TlsImplementation}.
 */
module dev.sluice.tls {
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    exports dev.sluice.tls;
    uses java.security.Provider;
    uses dev.sluice.tls.TlsImplementation;
}
