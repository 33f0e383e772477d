package dev.sluice.metrics;

import dev.sluice.core.TlsStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code sluice_tls_*} metrics of a TLS listener: handshakes by protocol and cipher suite,
 * resumed ones, failures by reason, refused renegotiations, and each served certificate's expiry
 * and the reloads. Protocols, suites, reasons and certificates appear as they do, so the meters
 * for them are registered when scraped ({@link #refresh}); the counts themselves are read from
 * the core's {@link TlsStats}, which costs a handshake nothing more.
 */
final class TlsMetrics {
    /** Failure reasons shown from the start, at 0, so that a rate over them has a base. */
    private static final List<String> USUAL_FAILURES = List.of(TlsStats.PLAINTEXT, TlsStats.TIMEOUT,
            TlsStats.CLOSED, TlsStats.ERROR, "protocol_version", "handshake_failure", "bad_certificate");

    private final PrometheusMeterRegistry registry;
    private volatile TlsStats stats;
    private volatile Supplier<List<X509Certificate>> certificates;
    private volatile MultiGauge expiry;
    /** Held here: a function counter holds its source weakly, and a lambda has no other owner. */
    private LongSupplier reloads;
    private LongSupplier failedReloads;

    TlsMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    void bind(TlsStats tls) {
        stats = tls;
        FunctionCounter.builder("sluice.tls.handshakes.resumed", tls, TlsStats::resumed)
                .description("TLS handshakes that resumed an earlier session").register(registry);
        FunctionCounter.builder("sluice.tls.renegotiations.refused", tls, TlsStats::renegotiationsRefused)
                .description("TLS 1.2 renegotiations started by a client, refused").register(registry);
        Gauge.builder("sluice.tls.buffered", tls, TlsStats::bufferedBytes).baseUnit(BaseUnits.BYTES)
                .description("Bytes of TLS buffers the open connections hold now (none while idle)")
                .strongReference(true)
                .register(registry);
        USUAL_FAILURES.forEach(this::failureCounter);
    }

    void bindCertificates(Supplier<List<X509Certificate>> served, LongSupplier ok, LongSupplier failed) {
        certificates = served;
        reloads = ok;
        failedReloads = failed;
        expiry = MultiGauge.builder("sluice.tls.certificate.expiry.timestamp").baseUnit("seconds")
                .description("When each certificate in service expires, in seconds since the Unix epoch")
                .register(registry);
        FunctionCounter.builder("sluice.tls.reloads", ok, LongSupplier::getAsLong).tag("result", "ok")
                .description("Certificate reloads, by result (a failed one keeps the previous pair)")
                .register(registry);
        FunctionCounter.builder("sluice.tls.reloads", failed, LongSupplier::getAsLong).tag("result", "failed")
                .description("Certificate reloads, by result (a failed one keeps the previous pair)")
                .register(registry);
    }

    /** Registers the meters of what appeared since the last scrape; reads the certificates in service. */
    void refresh() {
        TlsStats tls = stats;
        if (tls != null) {
            for (TlsStats.Negotiated n : tls.handshakes().keySet()) {
                FunctionCounter.builder("sluice.tls.handshakes", tls, s -> s.handshakes().getOrDefault(n, 0L))
                        .description("TLS handshakes completed, by protocol and cipher suite")
                        .tags("protocol", n.protocol(), "cipher", n.cipherSuite())
                        .register(registry); // idempotent for a name and tags seen before
            }
            tls.failures().keySet().forEach(this::failureCounter);
        }
        MultiGauge gauge = expiry;
        if (gauge != null) {
            gauge.register(certificates.get().stream().map(c -> MultiGauge.Row.of(
                    Tags.of("subject", c.getSubjectX500Principal().getName(),
                            "serial", c.getSerialNumber().toString(16)),
                    c.getNotAfter().getTime() / 1000.0)).toList(), true);
        }
    }

    private void failureCounter(String reason) {
        FunctionCounter.builder("sluice.tls.handshake.failures", stats,
                        s -> s.failures().getOrDefault(reason, 0L))
                .description("TLS handshakes that did not complete, by reason").tag("reason", reason)
                .register(registry);
    }
}
