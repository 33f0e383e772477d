package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.Exchange;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import java.io.OutputStream;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The metrics' Prometheus names and what they count, fed real exchanges through the codec. */
@Timeout(10)
class ServerMetricsTest {
    private static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (\\S+)");

    private long now = 0;

    @Test
    void exposesEveryDocumentedMetricWithItsType() {
        Server server = Server.create(ServerConfig.defaults(), HttpProtocol.create(r -> HttpResponse.ok("")));
        try (ServerMetrics metrics = new ServerMetrics();
             AccessLog log = new AccessLog(OutputStream.nullOutputStream(), false,
                     AccessLogFormat.COMMON, ZoneOffset.UTC, InstantSource.fixed(Instant.EPOCH), 1)) {
            metrics.bind(server.stats());
            metrics.bind(log);
            Map<String, String> types = new TreeMap<>();
            for (Matcher m = TYPE.matcher(metrics.scrape()); m.find(); ) {
                types.put(m.group(1), m.group(2));
            }
            assertThat(types).as(metrics.scrape()).isEqualTo(new TreeMap<>(Map.ofEntries(
                    Map.entry("sluice_requests_total", "counter"),
                    Map.entry("sluice_request_duration_seconds", "histogram"),
                    Map.entry("sluice_request_duration_seconds_max", "gauge"),
                    Map.entry("sluice_connections_open", "gauge"),
                    Map.entry("sluice_connections_idle", "gauge"),
                    Map.entry("sluice_connections_accepted_total", "counter"),
                    Map.entry("sluice_connections_rejected_total", "counter"),
                    Map.entry("sluice_connections_rejected_per_ip_total", "counter"),
                    Map.entry("sluice_connections_closed_total", "counter"),
                    Map.entry("sluice_received_bytes_total", "counter"),
                    Map.entry("sluice_sent_bytes_total", "counter"),
                    Map.entry("sluice_threads_busy", "gauge"),
                    Map.entry("sluice_queue_depth", "gauge"),
                    Map.entry("sluice_access_log_dropped_total", "counter"))));
            assertThat(metrics.scrape().lines()).as(metrics.scrape())
                    .contains("sluice_connections_closed_total{reason=\"header_timeout\"} 0",
                            "sluice_connections_closed_total{reason=\"shutdown\"} 0",
                            "sluice_connections_closed_total{reason=\"min_body_rate\"} 0",
                            "sluice_connections_closed_total{reason=\"request_timeout\"} 0",
                            "sluice_request_duration_seconds_bucket{le=\"0.001\"} 0",
                            "sluice_request_duration_seconds_bucket{le=\"+Inf\"} 0");
        }
    }

    /** As the Go client and Prometheus itself write them, not Java's Double.toString. */
    @Test
    void writesNumbersPlainWithoutExponentsOrTrailingZeros() {
        Server server = Server.create(ServerConfig.defaults(), HttpProtocol.create(r -> HttpResponse.ok("")));
        try (ServerMetrics metrics = new ServerMetrics()) {
            metrics.bind(server.stats());
            String scrape = metrics.scrape();
            assertThat(scrape.lines()).as(scrape)
                    .contains("sluice_request_duration_seconds_bucket{le=\"0.0001\"} 0",
                            "sluice_request_duration_seconds_bucket{le=\"0.00025\"} 0",
                            "sluice_request_duration_seconds_bucket{le=\"2.5\"} 0",
                            "sluice_request_duration_seconds_bucket{le=\"10\"} 0",
                            "sluice_sent_bytes_total 0")
                    .noneMatch(l -> !l.startsWith("#") && l.matches(".*([0-9]E-?[0-9]|\\.0\\b).*"));
        }
        assertThat(PrometheusNumbers.plain("a_total 1.0508748E7\nb{le=\"1.0E-4\",x=\"1.0\"} 2.5E-7\n"))
                .isEqualTo("a_total 10508748\nb{le=\"0.0001\",x=\"1.0\"} 0.00000025\n");
        assertThat(PrometheusNumbers.plain("c{le=\"+Inf\"} NaN\nd -Infinity 1700000000000"))
                .isEqualTo("c{le=\"+Inf\"} NaN\nd -Inf 1700000000000");
    }

    @Test
    void countsResponsesByStatusClassAndTimesThem() {
        List<Exchange> exchanges = Exchanges.of(Exchanges.CLIENT, r -> switch (r.rawPath()) {
            case "/missing" -> HttpResponse.text(404, "no\n");
            case "/moved" -> HttpResponse.status(301).withHeader("Location", "/");
            case "/bug" -> throw new IllegalStateException("bug");
            default -> HttpResponse.ok("ok");
        }, get("/") + get("/a") + get("/missing") + get("/moved") + get("/bug") + "GET / HTTP/9.9\r\n\r\n");
        try (ServerMetrics metrics = new ServerMetrics()) {
            exchanges.forEach(metrics::onExchange);
            String scrape = metrics.scrape();

            assertThat(scrape.lines()).as(scrape).contains("sluice_requests_total{class=\"2xx\"} 2",
                    "sluice_requests_total{class=\"3xx\"} 1", "sluice_requests_total{class=\"4xx\"} 1",
                    "sluice_requests_total{class=\"5xx\"} 2", "sluice_request_duration_seconds_count 6");
            assertThat(metrics.requests(5)).as("5xx: the handler's 500 and the 505").isEqualTo(2);
            assertThat(metrics.requests(7)).isZero();
        }
    }

    @Test
    void addsAStatusClassOnlyWhenOneIsSent() {
        try (ServerMetrics metrics = new ServerMetrics()) {
            Exchanges.of(Exchanges.CLIENT, r -> HttpResponse.status(799), get("/")).forEach(metrics::onExchange);
            assertThat(metrics.scrape().lines()).as(metrics.scrape())
                    .contains("sluice_requests_total{class=\"7xx\"} 1")
                    .noneMatch(l -> l.contains("class=\"6xx\""));
        }
    }

    @Test
    void reportsRequestsPerSecondAndPercentilesOverTheRecentWindow() {
        try (ServerMetrics metrics = new ServerMetrics(() -> now)) {
            metrics.sample();
            now = 2_000_000_000L;
            Exchanges.of(get("/") + get("/") + get("/") + get("/")).forEach(metrics::onExchange);
            RecentWindow.Summary s = metrics.recent();

            assertThat(s.requests()).isEqualTo(4);
            assertThat(s.seconds()).isEqualTo(2.0);
            assertThat(s.perSecond()).isCloseTo(2.0, within(1e-9));
            assertThat(s.p50()).as("p50 in ms").isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(s.p99());
        }
    }

    @Test
    void answersWithAnEmptyWindowBeforeAnySample() {
        try (ServerMetrics metrics = new ServerMetrics(() -> now)) {
            RecentWindow.Summary s = metrics.recent();
            assertThat(s.requests()).isZero();
            assertThat(s.p99()).isNaN();
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n";
    }
}
