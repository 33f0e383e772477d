package dev.sluice.metrics;

import dev.sluice.core.CloseReason;
import dev.sluice.core.Stats;
import dev.sluice.core.TlsStats;
import dev.sluice.http.Exchange;
import dev.sluice.http.HttpObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The {@code sluice_*} metrics of one HTTP server, in a Micrometer Prometheus registry, served as
 * {@code /metrics} by the {@link AdminServer} or by {@link #scrape()} wherever you like:
 *
 * <pre>{@code
 * ServerMetrics metrics = new ServerMetrics();
 * Server server = Server.create(ServerConfig.defaults(), HttpProtocol.create(HttpConfig.defaults(), app, metrics));
 * metrics.bind(server.stats());
 * server.start();
 * }</pre>
 * Per exchange ({@link #onExchange}, on the request
 * path): a counter by status class, the duration histogram, and the {@link LatencyHistogram}
 * behind the status page's recent percentiles. Everything else is read from the core's
 * {@link Stats} when scraped ({@link #bind}), so it costs the request path nothing.
 *
 * <p>Names, as Prometheus sees them (README: "Metrics"): {@code sluice_requests_total{class}},
 * {@code sluice_request_duration_seconds} (histogram, with {@code _max}),
 * {@code sluice_connections_open}, {@code sluice_connections_idle},
 * {@code sluice_connections_accepted_total}, {@code sluice_connections_rejected_total},
 * {@code sluice_connections_rejected_per_ip_total},
 * {@code sluice_connections_closed_total{reason}}, {@code sluice_received_bytes_total},
 * {@code sluice_sent_bytes_total}, {@code sluice_threads_busy}, {@code sluice_queue_depth},
 * with an access log {@code sluice_access_log_dropped_total}, and with TLS the
 * {@code sluice_tls_*} metrics ({@link #bindTls}, {@link #bindCertificates}).
 *
 * <p>Threads: {@link #onExchange} on the server's connection threads, concurrently; a daemon
 * thread {@code sluice-metrics} samples the latency histogram once a second; {@link #scrape} and
 * {@link #recent} on the admin server's threads.
 */
public final class ServerMetrics implements HttpObserver, AutoCloseable {
    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How far back {@link #recent()} looks. */
    public static final int WINDOW_SECONDS = 10;
    /** The upper bounds of {@code sluice_request_duration_seconds}'s buckets ({@code +Inf} added). */
    static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** By status / 100; 2xx to 5xx made up front, any other class on first use. */
    private final AtomicReferenceArray<Counter> byClass = new AtomicReferenceArray<>(10);
    private final Timer duration;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final RecentWindow window = new RecentWindow(WINDOW_SECONDS);
    private final LongSupplier nanos;
    private final TlsMetrics tls = new TlsMetrics(registry);
    private Thread sampler;

    /** Metrics in a registry of their own; nothing is bound yet. */
    public ServerMetrics() {
        this(System::nanoTime);
    }

    /** With {@code nanos} as the clock of the recent window. */
    ServerMetrics(LongSupplier nanos) {
        this.nanos = nanos;
        for (int c = 2; c <= 5; c++) {
            counter(c);
        }
        duration = Timer.builder("sluice.request.duration")
                .description("Time from a request's first byte read to its response encoded")
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    @Override
    public void onExchange(Exchange e) {
        counter(e.status() / 100).increment();
        duration.record(e.durationNanos(), TimeUnit.NANOSECONDS);
        latency.record(e.durationNanos());
    }

    private Counter counter(int statusClass) {
        Counter c = byClass.get(statusClass);
        if (c == null) {
            c = Counter.builder("sluice.requests")
                    .description("Responses sent, by status class (error responses included)")
                    .tag("class", statusClass + "xx")
                    .register(registry); // idempotent: a racing thread gets the same counter
            byClass.set(statusClass, c);
        }
        return c;
    }

    /** Responses of status class {@code statusClass} (2 for 2xx) so far. */
    public long requests(int statusClass) {
        Counter c = byClass.get(statusClass);
        return c == null ? 0 : (long) c.count();
    }

    /**
     * Registers the gauges and counters that read {@code stats} ({@code server.stats()}) when
     * scraped. Once per server.
     */
    public void bind(Stats stats) {
        gauge("sluice.connections.open", "Connections open now", stats, Stats::open);
        gauge("sluice.connections.idle", "Open connections waiting for a next request", stats,
                Stats::idle);
        gauge("sluice.threads.busy", "Threads serving a connection now", stats, Stats::busyThreads);
        gauge("sluice.queue.depth", "Accepted connections waiting for a thread (pool engine)",
                stats, Stats::queueDepth);
        count("sluice.connections.accepted", "Connections accepted, rejected ones included", stats,
                Stats::accepted, null);
        count("sluice.connections.rejected", "Connections turned away at the connection limit",
                stats, Stats::rejected, null);
        count("sluice.connections.rejected.per.ip", "Connections turned away at the per-IP limit",
                stats, Stats::rejectedPerIp, null);
        count("sluice.received", "Bytes read from clients", stats, Stats::bytesIn, BaseUnits.BYTES);
        count("sluice.sent", "Bytes written to clients", stats, Stats::bytesOut, BaseUnits.BYTES);
        for (CloseReason r : CloseReason.values()) {
            FunctionCounter.builder("sluice.connections.closed", stats, s -> s.closes(r))
                    .description("Connections closed, by reason")
                    .tag("reason", r.logName())
                    .register(registry);
        }
    }

    /**
     * Registers the {@code sluice_tls_*} handshake metrics, read from {@code tls}
     * ({@code server.stats().tls()} of a TLS listener): {@code sluice_tls_handshakes_total{protocol,cipher}},
     * {@code sluice_tls_handshakes_resumed_total}, {@code sluice_tls_handshake_failures_total{reason}},
     * {@code sluice_tls_renegotiations_refused_total}, {@code sluice_tls_buffered_bytes}. Once per server.
     */
    public void bindTls(TlsStats tls) {
        this.tls.bind(tls);
    }

    /**
     * Registers {@code sluice_tls_certificate_expiry_timestamp_seconds{subject,serial}}, one per
     * certificate {@code served} gives when scraped (the leaf of each pair in service, so a reload
     * shows at once), and {@code sluice_tls_reloads_total{result="ok"|"failed"}} from
     * {@code reloads} and {@code failedReloads}.
     */
    public void bindCertificates(Supplier<List<X509Certificate>> served, LongSupplier reloads,
                                 LongSupplier failedReloads) {
        tls.bindCertificates(served, reloads, failedReloads);
    }

    /** Registers {@code sluice_access_log_dropped_total}, read from {@code log}. */
    public void bind(AccessLog log) {
        count("sluice.access.log.dropped", "Access log lines dropped because the queue was full",
                log, AccessLog::dropped, null);
    }

    private <T> void gauge(String name, String help, T source, ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(help).strongReference(true).register(registry);
    }

    private <T> void count(String name, String help, T source, ToDoubleFunction<T> value,
                           String unit) {
        FunctionCounter.builder(name, source, value).description(help).baseUnit(unit)
                .register(registry);
    }

    /**
     * Every metric in the Prometheus text format ({@link #CONTENT_TYPE}), numbers written plain
     * ({@link PrometheusNumbers}): {@code le="0.0001"}, {@code 10508748}.
     */
    public String scrape() {
        tls.refresh();
        return PrometheusNumbers.plain(registry.scrape(CONTENT_TYPE));
    }

    /** Takes one sample for the recent window; the sampling thread calls it once a second. */
    void sample() {
        window.add(new RecentWindow.Sample(nanos.getAsLong(), latency.snapshot()));
    }

    /** Requests per second and percentiles over the last {@value #WINDOW_SECONDS} seconds. */
    RecentWindow.Summary recent() {
        return window.since(new RecentWindow.Sample(nanos.getAsLong(), latency.snapshot()));
    }

    /**
     * The registry the metrics live in: add meters of your own to it, or add it to a
     * {@code CompositeMeterRegistry}.
     */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Starts the {@code sluice-metrics} thread, which calls {@link #sample()} every second, for
     * {@link #recent()}; {@link AdminServer#start} does. Does nothing when it runs already.
     */
    synchronized void startSampling() {
        if (sampler != null) {
            return;
        }
        sample();
        sampler = Thread.ofPlatform().daemon().name("sluice-metrics").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(1_000);
                    sample();
                }
            } catch (InterruptedException e) {
                // close(): stop sampling
            }
        });
    }

    /** Stops the sampling thread and closes the registry. */
    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.interrupt();
            sampler = null;
        }
        registry.close();
    }
}
