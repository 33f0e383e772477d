package dev.sluice.metrics.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.metrics.AccessLog;
import dev.sluice.metrics.AccessLogFormat;
import dev.sluice.metrics.AdminServer;
import dev.sluice.metrics.ServerMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manual's metrics example (docs/embedding.md) is {@link MonitoredMain}, shown exactly, and
 * what it promises holds from the library alone: the app answers, the admin server's /ready and
 * /metrics count the exchange, and the access log has its line.
 */
@Timeout(60)
class MonitoredMainIT {
    private static final String PACKAGE_LINE = "package dev.sluice.metrics.examples;\n\n";
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private String get(String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void countsAndLogsTheAppsExchangesOnTheAdminPort(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("access.log");
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0);
        try (ServerMetrics metrics = new ServerMetrics();
             AccessLog log = AccessLog.open(file, AccessLogFormat.COMBINED);
             Server server = MonitoredMain.server(config, metrics, log);
             AdminServer admin = AdminServer.start("127.0.0.1", 0, server, metrics, log)) {
            assertThat(get(admin.url() + "/ready")).as("before the app listens").startsWith("503 ");
            server.start();
            assertThat(get(admin.url() + "/ready")).isEqualTo("200 ready\n");
            assertThat(get("http://127.0.0.1:" + server.port() + "/")).isEqualTo("200 hello\n");
            assertThat(get(admin.url() + "/metrics").lines()).contains("sluice_requests_total{class=\"2xx\"} 1");
            assertThat(get(admin.url() + "/status.json")).startsWith("200 {");
            assertThat(server.shutdown()).isTrue();
            log.close(); // writes what is queued; closing again at the end of try does nothing
            assertThat(Files.readString(file)).contains("\"GET / HTTP/1.1\" 200 6 \"-\" \"Java-http-client/");
        }
    }

    @Test
    void theManualShowsTheExampleExactly() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs/embedding.md"))) {
            root = root.getParent();
        }
        String want = Files.readString(Path.of(root.toString(),
                "metrics/src/test/java/dev/sluice/metrics/examples/MonitoredMain.java")).replace("\r\n", "\n");
        assertThat(want).startsWith(PACKAGE_LINE);
        List<String> shown = new ArrayList<>();
        Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(root.resolve("docs/embedding.md")));
        while (m.find()) {
            if (m.group(1).contains("public class MonitoredMain")) {
                shown.add(m.group(1));
            }
        }
        assertThat(shown).as("docs/embedding.md shows MonitoredMain once, as compiled")
                .containsExactly(want.substring(PACKAGE_LINE.length()));
    }
}
