package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status page and its JSON twin, rendered from a fixed snapshot. */
class StatusPageTest {
    private static StatusPage.Snapshot snapshot(boolean ready, RecentWindow.Summary recent) {
        Map<String, Long> requests = new LinkedHashMap<>();
        requests.put("2xx", 12_345L);
        requests.put("3xx", 0L);
        requests.put("4xx", 7L);
        requests.put("5xx", 1L);
        Map<String, Long> closes = new LinkedHashMap<>();
        closes.put("normal", 40L);
        closes.put("idle", 2L);
        return new StatusPage.Snapshot("0.1.0", "event-loop", "http://0.0.0.0:8080",
                Duration.ofSeconds(3 * 3600 + 125), ready, 42, 30, 1_000, 3, 4, 0, recent, requests,
                closes, 123_456, 7_890_123, 5);
    }

    @Test
    void showsTheNumbersAndReloadsItself() {
        String html = StatusPage.html(snapshot(true,
                new RecentWindow.Summary(10, 15_234, 1523.4, 0.153, 2.5, 17.41)));

        assertThat(html).startsWith("<!doctype html>")
                .contains("<meta http-equiv=\"refresh\" content=\"2\">")
                .contains("serving")
                .contains("engine <b>event-loop</b>", "up <b>3h 2m</b>")
                .contains(">1523.4<", ">0.153<small> ms</small><", ">2.50<small> ms</small><",
                        ">17.4<small> ms</small><")
                .contains("<th>2xx</th><td>12,345</td>", "<th>4xx</th><td>7</td>")
                .contains("<th>idle</th><td>2</td>", "<th>bytes sent</th><td>7,890,123</td>")
                .contains("<th>access log lines dropped</th><td>5</td>")
                .contains(">42<", "30 idle", ">4<", "queue 0")
                .endsWith("</html>\n");
    }

    @Test
    void saysWhenNotReadyAndShowsDashesForUnknownLatency() {
        String html = StatusPage.html(snapshot(false,
                new RecentWindow.Summary(0, 0, 0, Double.NaN, Double.NaN, Double.NaN)));

        assertThat(html).contains("not ready").contains(">–<").doesNotContain("NaN");
    }

    @Test
    void jsonCarriesTheSameNumbers() {
        String json = StatusPage.json(snapshot(true,
                new RecentWindow.Summary(10, 15_234, 1523.4, 0.153, Double.NaN, 17.41)));

        assertThat(json).startsWith("{\"version\":\"0.1.0\",\"engine\":\"event-loop\"")
                .contains("\"uptime_seconds\":10925,\"ready\":true")
                .contains("\"connections\":{\"open\":42,\"idle\":30,\"accepted\":1000,\"rejected\":3}")
                .contains("\"per_second\":1523.400,\"p50_ms\":0.153,\"p90_ms\":null,\"p99_ms\":17.410")
                .contains("\"requests\":{\"2xx\":12345,\"3xx\":0,\"4xx\":7,\"5xx\":1}")
                .contains("\"closes\":{\"normal\":40,\"idle\":2}")
                .contains("\"bytes\":{\"received\":123456,\"sent\":7890123}")
                .endsWith(",\"access_log_dropped\":5}\n");
    }

    @Test
    void formatsDurationsAndCounts() {
        assertThat(StatusPage.uptime(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(StatusPage.uptime(Duration.ofSeconds(252))).isEqualTo("4m 12s");
        assertThat(StatusPage.uptime(Duration.ofDays(3).plusHours(4))).isEqualTo("3d 4h");
        assertThat(StatusPage.millis(1234.5)).isEqualTo("1.23 s");
        assertThat(StatusPage.millis(123.4)).isEqualTo("123 ms");
        assertThat(StatusPage.count(1_234_567)).isEqualTo("1,234,567");
        assertThat(StatusPage.escape("<a href=\"x\">&")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;");
    }
}
