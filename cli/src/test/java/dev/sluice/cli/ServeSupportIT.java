package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpResponse;
import dev.sluice.metrics.AccessLogFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServeSupport#start}: the bundle a command gets, in process, on 127.0.0.1:0. */
@Timeout(60)
class ServeSupportIT {
    private static final ServerConfig LOCAL = ServerConfig.defaults().withHost("127.0.0.1").withPort(0);

    private static AdminOptions admin(Integer port) {
        AdminOptions o = new AdminOptions();
        o.port = port;
        o.host = AdminOptions.DEFAULT_HOST;
        return o;
    }

    private static AccessLogOptions accessLog(Path file) {
        AccessLogOptions o = new AccessLogOptions();
        o.target = file == null ? null : file.toString();
        o.format = AccessLogFormat.COMMON;
        return o;
    }

    @Test
    void startsServerAdminAndLogAndStopsThemInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        StringWriter printed = new StringWriter();
        ServeSupport s = ServeSupport.start(LOCAL, HttpConfig.defaults(), r -> HttpResponse.ok("hi"),
                admin(0), accessLog(file), new PrintWriter(printed));
        int admin;
        try {
            int port = s.server().port();
            admin = Integer.parseInt(s.adminUrl().replaceFirst(".*:", ""));
            assertThat(printed.toString()).isEqualTo("admin on " + s.adminUrl() + System.lineSeparator());
            assertThat(RawHttp.get(port, "/x").body()).isEqualTo("hi");
            assertThat(RawHttp.get(port, "/y").body()).isEqualTo("hi");
            String metrics = RawHttp.get(admin, "/metrics").body();
            assertThat(AdminIT.value(metrics, "sluice_requests_total{class=\"2xx\"}")).isEqualTo(2);
            assertThat(RawHttp.get(admin, "/ready").status()).isEqualTo(200);
        } finally {
            assertThat(s.shutdown()).as("clean shutdown").isTrue();
        }
        assertThat(Files.readAllLines(file)).hasSize(2).allMatch(l -> l.contains("\"GET /"));
        assertThat(s.server().isClosing()).isTrue();
        assertThatThrownBy(() -> RawHttp.get(admin, "/health")).as("the admin port is closed too");
    }

    @Test
    void withNeitherItIsJustTheServer() throws Exception {
        try (ServeSupport s = ServeSupport.start(LOCAL, HttpConfig.defaults(), r -> HttpResponse.ok("hi"),
                admin(null), accessLog(null), new PrintWriter(new StringWriter()))) {
            assertThat(s.adminUrl()).isNull();
            assertThat(RawHttp.get(s.server().port(), "/").body()).isEqualTo("hi");
        }
    }
}
