package dev.sluice.tls;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The TLS material in service, and its replacement without a restart. What a transport uses to
 * make server engines: {@link #newEngine()} (or {@link #context()} and {@link #configure}).
 *
 * <p>Each load builds a complete new {@link SSLContext} from the files, and only a load that
 * succeeded (every pair read, every key matching its certificate, the client CAs read) replaces
 * the one in service, in one atomic step. Engines made before keep their context: a connection
 * open or mid-handshake is untouched, and new handshakes get the new material. A failed reload
 * keeps the old material in service, logs {@code tls_reload_failed} and is counted in
 * {@link #stats()}. Session tickets and cached sessions belong to a context, so after a reload
 * clients do one full handshake.
 *
 * <p>Thread-safe: {@link #reload()} may be called from any thread (a file watcher, a signal
 * handler, an admin endpoint); reloads run one at a time, and readers never block.
 */
public final class CertificateReloader {
    private static final System.Logger LOG = System.getLogger(CertificateReloader.class.getName());

    private record Material(SSLContext context, List<CertifiedKey> keys, Instant loadedAt) {
    }

    private final TlsConfig config;
    private final Clock clock;
    private final List<Consumer<ReloadStats>> listeners = new CopyOnWriteArrayList<>();
    private final Object reloading = new Object();
    private volatile Material current;
    private volatile long successes;
    private volatile long failures;
    private volatile String lastError;

    private CertificateReloader(TlsConfig config, Clock clock, Material first) {
        this.config = config;
        this.clock = clock;
        this.current = first;
    }

    /**
     * Loads {@code config}'s material (or makes the self-signed certificate, valid from
     * {@code clock}'s now).
     *
     * @throws KeyMaterialException if a file cannot be loaded; the message names it
     * @throws IllegalArgumentException if the JDK does not support a configured cipher suite
     */
    public static CertificateReloader load(TlsConfig config, Clock clock) throws KeyMaterialException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        return new CertificateReloader(config, clock, build(config, clock));
    }

    public TlsConfig config() {
        return config;
    }

    /** The context in service now; hold it only for one engine: a reload replaces it. */
    public SSLContext context() {
        return current.context();
    }

    /** A server engine from the context in service, configured by {@link #configure}. */
    public SSLEngine newEngine() {
        SSLEngine engine = context().createSSLEngine();
        configure(engine);
        return engine;
    }

    /**
     * As {@link #newEngine()}, with the client's address for the engine's session
     * ({@link javax.net.ssl.SSLSession#getPeerHost()}, for logs; the server never resolves it).
     */
    public SSLEngine newEngine(String peerHost, int peerPort) {
        SSLEngine engine = context().createSSLEngine(peerHost, peerPort);
        configure(engine);
        return engine;
    }

    /**
     * Makes {@code engine} a server engine with the configured protocols, cipher suites (server
     * order), client authentication and ALPN protocols.
     */
    public void configure(SSLEngine engine) {
        EngineSettings.apply(config, engine);
    }

    /**
     * Loads the files again and, when everything loads, puts the new material in service. The
     * self-signed certificate is never replaced: this returns true and counts nothing.
     *
     * @return whether new material is in service; false leaves the previous one
     */
    public boolean reload() {
        if (config.selfSigned()) {
            return true;
        }
        synchronized (reloading) {
            boolean ok;
            try {
                Material fresh = build(config, clock);
                successes++; // counted before it shows, so whoever sees the new material sees the count
                lastError = null;
                current = fresh;
                ok = true;
                LOG.log(Level.INFO, "tls_reloaded certificates={0}", certificates().size());
            } catch (KeyMaterialException | RuntimeException e) {
                failures++;
                lastError = e.getMessage();
                ok = false;
                LOG.log(Level.WARNING, "tls_reload_failed reason={0}; the previous certificates stay in service",
                        e.getMessage());
            }
            ReloadStats stats = stats();
            listeners.forEach(l -> l.accept(stats));
            return ok;
        }
    }

    /** Calls {@code listener} after each reload, on the reloading thread, with the stats then. */
    public void onReload(Consumer<ReloadStats> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public ReloadStats stats() {
        Material m = current;
        return new ReloadStats(successes, failures, lastError, m.loadedAt(), describe(m));
    }

    /** The certificates in service, one per key pair, in configuration order. */
    public List<CertificateInfo> certificates() {
        return describe(current);
    }

    /** The certificates in service, each pair's own (not its chain's), in configuration order. */
    public List<X509Certificate> leafCertificates() {
        return current.keys().stream().map(CertifiedKey::certificate).toList();
    }

    /** The files a reload reads, each once, in configuration order: what a watcher watches. */
    public List<Path> files() {
        LinkedHashSet<Path> files = new LinkedHashSet<>();
        config.keys().forEach(k -> files.addAll(k.files()));
        if (config.clientCaFile() != null && config.clientAuth() != ClientAuth.NONE) {
            files.add(config.clientCaFile());
        }
        return List.copyOf(files);
    }

    private static List<CertificateInfo> describe(Material m) {
        return m.keys().stream().map(k -> CertificateInfo.of(k.certificate(), k.source())).toList();
    }

    private static Material build(TlsConfig config, Clock clock) throws KeyMaterialException {
        List<CertifiedKey> keys = new ArrayList<>();
        if (config.selfSigned()) {
            keys.add(SelfSignedCertificate.generate(clock, config.selfSignedValidity()));
        }
        for (KeySource source : config.keys()) {
            keys.add(KeyMaterialReader.read(source));
        }
        List<X509Certificate> clientCas = config.clientAuth() == ClientAuth.NONE ? List.of()
                : KeyMaterialReader.readCertificates(config.clientCaFile());
        try {
            return new Material(EngineSettings.context(config, keys, clientCas), List.copyOf(keys), clock.instant());
        } catch (GeneralSecurityException e) {
            throw new KeyMaterialException("cannot build the TLS context: " + e.getMessage(), e);
        }
    }
}
