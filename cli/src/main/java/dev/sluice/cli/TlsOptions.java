package dev.sluice.cli;

import dev.sluice.core.ServerConfig;
import dev.sluice.tls.CertificateInfo;
import dev.sluice.tls.CertificateReloader;
import dev.sluice.tls.CertificateWatcher;
import dev.sluice.tls.ClientAuth;
import dev.sluice.tls.KeyMaterialException;
import dev.sluice.tls.KeySource;
import dev.sluice.tls.SelfSignedCertificate;
import dev.sluice.tls.TlsConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The {@code --tls-*} flags ({@code @Mixin}) of every server command, and the TLS material they
 * load: {@link #apply} makes a {@link ServerConfig} a TLS one, {@link #start} watches the files
 * and SIGHUP for reloads once the server listens, {@link #close} stops watching. Off unless a
 * certificate, a keystore or {@code --tls-self-signed} is given.
 */
final class TlsOptions implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.sluice.cli");
    /** How long the certificate directories must be quiet after a change before the reload. */
    static final Duration RELOAD_DEBOUNCE = Duration.ofSeconds(1);

    @Option(names = "--tls-cert", paramLabel = "<file>", showDefaultValue = Visibility.NEVER,
            description = "PEM certificate chain, the server's own first; repeat with --tls-key for "
                    + "more names (SNI). Turns TLS on.")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--tls-key", paramLabel = "<file>", showDefaultValue = Visibility.NEVER,
            description = "PEM private key of the --tls-cert at the same place: PKCS#8, PKCS#1 "
                    + "(RSA), SEC1 (EC) or encrypted PKCS#8.")
    List<Path> keys = new ArrayList<>();

    @Option(names = "--tls-key-password-file", paramLabel = "<file>", showDefaultValue = Visibility.NEVER,
            description = "File holding the password of encrypted --tls-key files.")
    Path keyPasswordFile;

    @Option(names = "--tls-keystore", paramLabel = "<file>", showDefaultValue = Visibility.NEVER,
            description = "PKCS#12 keystore with one key entry, instead of --tls-cert and --tls-key.")
    Path keystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "<file>", showDefaultValue = Visibility.NEVER,
            description = "File holding the password of --tls-keystore.")
    Path keystorePasswordFile;

    @Option(names = "--tls-protocols", paramLabel = "<list>", split = ",", defaultValue = "TLSv1.3,TLSv1.2",
            description = "TLS versions offered, of TLSv1.3 and TLSv1.2; older ones get a protocol_version alert.")
    List<String> protocols;

    @Option(names = "--tls-client-auth", paramLabel = "<mode>", defaultValue = "none",
            converter = ClientAuthConverter.class,
            description = "Ask clients for a certificate: none, want or need (needs --tls-client-ca).")
    ClientAuth clientAuth;

    @Option(names = "--tls-client-ca", paramLabel = "<file>", showDefaultValue = Visibility.NEVER,
            description = "PEM file of the CA certificates client certificates must chain to.")
    Path clientCa;

    @Option(names = "--tls-self-signed", paramLabel = "<bool>", arity = "0..1", fallbackValue = "true",
            defaultValue = "false", showDefaultValue = Visibility.ALWAYS,
            description = "Serve a certificate made at start for localhost "
                    + "and the loopback addresses, for development; its SHA-256 fingerprint is printed.")
    boolean selfSigned;

    @Option(names = "--tls-provider", paramLabel = "<name>", defaultValue = "jdk", converter = ProviderConverter.class,
            description = "TLS implementation: jdk (the JDK's own), conscrypt or tcnative (both BoringSSL, "
                    + "bundled: cheaper handshakes and records; tcnative also holds less per idle connection). "
                    + "See docs/tls.md.")
    String provider;

    private CertificateReloader reloader;
    private CertificateWatcher watcher;
    private String descriptorWarning;

    /** Whether TLS was asked for. */
    boolean enabled() {
        return selfSigned || !certs.isEmpty() || !keys.isEmpty() || keystore != null;
    }

    /**
     * {@code config} with TLS when it was asked for: loads the certificates now, so a bad file
     * stops the command before anything listens.
     *
     * @throws IllegalArgumentException naming the flag and, for a file, what is wrong with it
     */
    ServerConfig apply(ServerConfig config) {
        if (!enabled()) {
            return config;
        }
        TlsConfig tls = toTlsConfig();
        try {
            reloader = CertificateReloader.load(tls, Clock.systemUTC());
        } catch (KeyMaterialException e) {
            String flag = e.getMessage().contains("TLS provider") ? "--tls-provider: "
                    : keystore != null ? "--tls-keystore: " : "--tls-cert/--tls-key: ";
            throw new IllegalArgumentException(flag + e.getMessage(), e);
        }
        if (!selfSigned) {
            onHangUp(); // before the listening line: a SIGHUP from then on reloads, never ends the JVM
            watch(); // from the load on: a change made before the listening line is not missed
        }
        descriptorWarning = descriptorWarning(config.maxConnections());
        return config.withTls(reloader::newEngine);
    }

    TlsConfig toTlsConfig() {
        if (certs.size() != keys.size()) {
            throw new IllegalArgumentException("--tls-cert and --tls-key come in pairs: got " + certs.size()
                    + " certificate(s) and " + keys.size() + " key(s)");
        }
        if (keystore != null && !certs.isEmpty()) {
            throw new IllegalArgumentException("--tls-keystore excludes --tls-cert and --tls-key: "
                    + "give one or the other");
        }
        if (selfSigned && (keystore != null || !certs.isEmpty())) {
            throw new IllegalArgumentException("--tls-self-signed excludes --tls-cert and --tls-keystore");
        }
        if (keystore != null && keystorePasswordFile == null) {
            throw new IllegalArgumentException("--tls-keystore needs --tls-keystore-password-file");
        }
        if (clientAuth != ClientAuth.NONE && clientCa == null) {
            throw new IllegalArgumentException("--tls-client-auth " + clientAuth + " needs --tls-client-ca");
        }
        for (String p : protocols) {
            if (!TlsConfig.DEFAULT_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException("--tls-protocols: '" + p
                        + "' is not offered; use TLSv1.3, TLSv1.2 or both");
            }
        }
        List<KeySource> sources = new ArrayList<>();
        for (int i = 0; i < certs.size(); i++) {
            KeySource.Pem pem = KeySource.pem(certs.get(i), keys.get(i));
            sources.add(keyPasswordFile == null ? pem : pem.withKeyPasswordFile(keyPasswordFile));
        }
        if (keystore != null) {
            sources.add(KeySource.pkcs12(keystore, keystorePasswordFile));
        }
        TlsConfig base = selfSigned ? TlsConfig.ofSelfSigned() : TlsConfig.of(sources);
        return base.withProtocols(protocols)
                .withProvider(provider)
                .withClientCaFile(clientAuth == ClientAuth.NONE ? null : clientCa)
                .withClientAuth(clientAuth);
    }

    /**
     * Once the server listens: warns of certificates that expire within 30 days (the files are
     * watched, and SIGHUP reloads, from {@link #apply} on).
     *
     * @return the lines to print after the listening line: each certificate, and the self-signed
     *     one's fingerprint
     */
    List<String> start() {
        if (reloader == null) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        java.security.Provider p = reloader.context().getProvider();
        lines.add("tls provider: " + provider + " (" + p.getName() + ")");
        if (descriptorWarning != null) {
            lines.add(descriptorWarning);
        }
        Clock clock = Clock.systemUTC();
        for (CertificateInfo c : reloader.certificates()) {
            lines.add("tls certificate " + String.join(",", c.subjectAltNames()) + " expires " + c.notAfter());
            if (c.expiresSoon(clock)) {
                LOG.log(Level.WARNING, "tls_certificate_expires_soon names={0} not_after={1} source={2}",
                        String.join(",", c.subjectAltNames()), c.notAfter(), c.source());
            }
        }
        if (selfSigned) {
            X509Certificate cert = reloader.leafCertificates().get(0);
            lines.add("tls self-signed certificate, for development only: SHA-256 "
                    + SelfSignedCertificate.fingerprint(cert));
        }
        return lines;
    }

    /**
     * With Conscrypt each connection holds three descriptors: its socket, and a pipe Conscrypt
     * makes for every TLS session. A warning when the open-file limit cannot hold
     * {@code maxConnections} of them; null otherwise.
     */
    private String descriptorWarning(int maxConnections) {
        long fds = ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
        if (!"conscrypt".equals(provider) || fds < 0 || fds >= 3L * maxConnections + 64) {
            return null;
        }
        return "warning: with --tls-provider conscrypt each TLS connection holds 3 file descriptors (its socket"
                + " and a pipe of Conscrypt's): the open-file limit (ulimit -n) " + fds + " allows about "
                + fds / 3 + " connections, below max-connections " + maxConnections
                + "; raise it, lower --max-connections, or use --tls-provider jdk";
    }

    /** Reloads when the files change; without a watcher (none here), SIGHUP still reloads. */
    private void watch() {
        try {
            watcher = CertificateWatcher.start(reloader, RELOAD_DEBOUNCE);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "tls_watch_unavailable reason={0}; reload with SIGHUP", e.toString());
        }
    }

    /** SIGHUP reloads the certificates now, as nginx and Caddy do. */
    private void onHangUp() {
        try {
            SignalHandler before = Signal.handle(new Signal("HUP"), s -> Thread.ofPlatform()
                    .name("sluice-tls-reload").start(reloader::reload));
            if (before == SignalHandler.SIG_IGN) { // the JVM keeps a signal ignored at its start ignored
                LOG.log(Level.WARNING, "signal_ignored signal=SIGHUP: this process was started with SIGHUP "
                        + "ignored (nohup?); certificates reload when their files change, not on SIGHUP");
            }
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "signal_unavailable signal=SIGHUP: {0}", e.getMessage());
        }
    }

    /** The material in service; null when TLS is off or before {@link #apply}. */
    CertificateReloader reloader() {
        return reloader;
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "tls_watcher_close_failed: {0}", e.toString());
            }
            watcher = null;
        }
    }

    /** {@code --tls-provider}: {@code jdk}, {@code conscrypt} or {@code tcnative}, in lower case. */
    static final class ProviderConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String name = value.toLowerCase(Locale.ROOT);
            if (!name.equals("jdk") && !name.equals("conscrypt") && !name.equals("tcnative")) {
                throw new TypeConversionException("'" + value + "' is not one of jdk, conscrypt, tcnative");
            }
            return name;
        }
    }

    /** {@code --tls-client-auth}: {@code none}, {@code want} or {@code need}. */
    static final class ClientAuthConverter implements ITypeConverter<ClientAuth> {
        @Override
        public ClientAuth convert(String value) {
            try {
                return ClientAuth.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not one of none, want, need");
            }
        }
    }
}
