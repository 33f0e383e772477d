package dev.sluice.tls;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a TLS listener authenticates itself and what it negotiates. Immutable and validated on
 * construction. There is no {@code defaults()}: a certificate has no safe default, so start from
 * {@link #of(List)} (certificate files) or {@link #ofSelfSigned()} (development) and change
 * components with the {@code with} methods. Every other component's default is fit for a public
 * network.
 *
 * @param keys the certificate and key pairs, in order. Each serves the names in its certificate's
 *     subject alternative names (wildcards included); the first also serves clients that send no
 *     server name or one no certificate has. Empty only with {@code selfSigned}.
 * @param protocols the TLS versions offered, a subset of {@code TLSv1.3} and {@code TLSv1.2};
 *     older versions are refused with a {@code protocol_version} alert. Not empty. Default
 *     {@link #DEFAULT_PROTOCOLS}.
 * @param cipherSuites the cipher suites offered, JSSE names, in the server's order of preference
 *     (the server's order wins over the client's). Suites of a version not in {@code protocols}
 *     are ignored; a name the JDK does not know is refused when the material is loaded. Not
 *     empty. Default {@link #DEFAULT_CIPHER_SUITES}: TLS 1.3's three, and for TLS 1.2 only ECDHE
 *     with AES-GCM or ChaCha20-Poly1305 (forward secrecy and AEAD).
 * @param clientAuth whether clients are asked for a certificate. Default {@link ClientAuth#NONE}.
 * @param clientCaFile a PEM file of the CA certificates that client certificates must chain to;
 *     required when {@code clientAuth} is not {@code NONE}, ignored otherwise ({@code null}
 *     then). Reloaded with the keys.
 * @param alpnProtocols the application protocols offered through ALPN (RFC 7301), in the server's
 *     order of preference; a client that offers none of them fails the handshake with
 *     {@code no_application_protocol}, one that sends no ALPN is served. Empty turns ALPN off.
 *     Each 1 to 255 bytes. Default {@link #DEFAULT_ALPN_PROTOCOLS}; {@code h2} is added here
 *     once HTTP/2 exists.
 * @param selfSigned serve a certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}
 *     made at start (development only: clients do not trust it). Excludes {@code keys}.
 *     Default off.
 * @param selfSignedValidity how long the self-signed certificate is valid from start. Positive.
 *     Default {@value #DEFAULT_SELF_SIGNED_VALIDITY_DAYS} days.
 * @param sessionCacheSize the most TLS sessions the server keeps for resumption by session id
 *     (TLS 1.2 without tickets); {@code 0} means no limit. Stateless tickets need no cache.
 *     Default {@value #DEFAULT_SESSION_CACHE_SIZE} (the JDK's).
 * @param sessionTimeout how long a session (cached or in a ticket) may be resumed. At most 7 days
 *     (RFC 8446 4.6.1); {@link Duration#ZERO} means the JDK's longest. Default
 *     {@value #DEFAULT_SESSION_TIMEOUT_SECONDS}s (the JDK's).
 * @param provider whose TLS implementation makes the engines: {@value #DEFAULT_PROVIDER} (the
 *     JDK's own, SunJSSE), the name of a {@link TlsImplementation} on the class path ({@code
 *     tcnative}: BoringSSL through Netty, module {@code sluice-tls-tcnative}), or the name of a JCA
 *     provider, matched without regard to case, that is installed ({@link
 *     java.security.Security#addProvider}) or is {@code Conscrypt} (BoringSSL through {@code
 *     org.conscrypt:conscrypt-openjdk-uber}) on the class path. A name nobody provides is refused
 *     when the material is loaded. Default {@value #DEFAULT_PROVIDER}.
 */
public record TlsConfig(List<KeySource> keys, List<String> protocols, List<String> cipherSuites,
                        ClientAuth clientAuth, Path clientCaFile, List<String> alpnProtocols,
                        boolean selfSigned, Duration selfSignedValidity,
                        int sessionCacheSize, Duration sessionTimeout, String provider) {
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> DEFAULT_CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final List<String> DEFAULT_ALPN_PROTOCOLS = List.of("http/1.1");
    public static final long DEFAULT_SELF_SIGNED_VALIDITY_DAYS = 90;
    public static final String DEFAULT_PROVIDER = "jdk";
    public static final int DEFAULT_SESSION_CACHE_SIZE = 20480;
    public static final long DEFAULT_SESSION_TIMEOUT_SECONDS = 86400;
    /** The longest {@link #sessionTimeout()}: RFC 8446 4.6.1 caps ticket lifetimes at 7 days. */
    public static final Duration MAX_SESSION_TIMEOUT = Duration.ofDays(7);
    private static final List<String> KNOWN_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * @throws NullPointerException if a list, {@code clientAuth}, a duration or {@code provider} is null,
     *     or a list holds null
     * @throws IllegalArgumentException if a component is out of range (see its description)
     */
    public TlsConfig {
        keys = List.copyOf(keys);
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        alpnProtocols = List.copyOf(alpnProtocols);
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(selfSignedValidity, "selfSignedValidity");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (provider.isBlank()) {
            throw new IllegalArgumentException("provider is blank");
        }
        if (selfSigned == !keys.isEmpty()) {
            throw new IllegalArgumentException(selfSigned
                    ? "selfSigned excludes keys: give certificate files or selfSigned, not both"
                    : "keys is empty: give at least one certificate and key, or selfSigned");
        }
        requireSubset("protocols", protocols);
        if (cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("cipherSuites is empty");
        }
        alpnProtocols.forEach(TlsConfig::requireAlpnName);
        if (clientAuth != ClientAuth.NONE && clientCaFile == null) {
            throw new IllegalArgumentException("clientAuth " + clientAuth + " needs clientCaFile");
        }
        if (selfSignedValidity.isNegative() || selfSignedValidity.isZero()) {
            throw new IllegalArgumentException("selfSignedValidity must be positive, got " + selfSignedValidity);
        }
        if (sessionCacheSize < 0) {
            throw new IllegalArgumentException("sessionCacheSize must be >= 0, got " + sessionCacheSize);
        }
        requireNotNegative("sessionTimeout", sessionTimeout);
        if (sessionTimeout.compareTo(MAX_SESSION_TIMEOUT) > 0) {
            throw new IllegalArgumentException("sessionTimeout must be at most " + MAX_SESSION_TIMEOUT
                    + ", got " + sessionTimeout);
        }
    }

    /** Serves {@code keys} with every other component at its default. */
    public static TlsConfig of(List<KeySource> keys) {
        return new TlsConfig(keys, DEFAULT_PROTOCOLS, DEFAULT_CIPHER_SUITES, ClientAuth.NONE, null,
                DEFAULT_ALPN_PROTOCOLS, false,
                Duration.ofDays(DEFAULT_SELF_SIGNED_VALIDITY_DAYS), DEFAULT_SESSION_CACHE_SIZE,
                Duration.ofSeconds(DEFAULT_SESSION_TIMEOUT_SECONDS), DEFAULT_PROVIDER);
    }

    /** Serves a development certificate made at start, every other component at its default. */
    public static TlsConfig ofSelfSigned() {
        return new TlsConfig(List.of(), DEFAULT_PROTOCOLS, DEFAULT_CIPHER_SUITES, ClientAuth.NONE, null,
                DEFAULT_ALPN_PROTOCOLS, true,
                Duration.ofDays(DEFAULT_SELF_SIGNED_VALIDITY_DAYS), DEFAULT_SESSION_CACHE_SIZE,
                Duration.ofSeconds(DEFAULT_SESSION_TIMEOUT_SECONDS), DEFAULT_PROVIDER);
    }

    public TlsConfig withKeys(List<KeySource> keys) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withProtocols(List<String> protocols) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withCipherSuites(List<String> cipherSuites) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withClientAuth(ClientAuth clientAuth) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withClientCaFile(Path clientCaFile) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withAlpnProtocols(List<String> alpnProtocols) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withSelfSigned(boolean selfSigned) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withSelfSignedValidity(Duration selfSignedValidity) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withSessionCacheSize(int sessionCacheSize) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withSessionTimeout(Duration sessionTimeout) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    public TlsConfig withProvider(String provider) {
        return new TlsConfig(keys, protocols, cipherSuites, clientAuth, clientCaFile,
                alpnProtocols, selfSigned, selfSignedValidity, sessionCacheSize, sessionTimeout, provider);
    }

    private static void requireSubset(String name, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " is empty");
        }
        for (String v : values) {
            if (!KNOWN_PROTOCOLS.contains(v)) {
                throw new IllegalArgumentException(name + ": unsupported " + v + "; use " + KNOWN_PROTOCOLS);
            }
        }
    }

    private static void requireAlpnName(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < 1 || bytes > 255) {
            throw new IllegalArgumentException("alpnProtocols: each must be 1 to 255 bytes, got " + bytes);
        }
    }

    private static void requireNotNegative(String name, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + d);
        }
    }
}
