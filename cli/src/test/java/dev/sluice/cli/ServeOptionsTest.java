package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.ServerConfig;
import dev.sluice.metrics.AccessLogFormat;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The admin and access log flags of {@code respond}, parsed in process against a fake environment. */
@Timeout(10)
class ServeOptionsTest {
    private final Map<String, String> env = new HashMap<>();

    private RespondCommand parse(String... args) {
        RespondCommand respond = new RespondCommand();
        CommandLine cli = new CommandLine(respond);
        cli.setDefaultValueProvider(new FlagDefaults(env::get));
        cli.parseArgs(args);
        return respond;
    }

    @Test
    void bothAreOffByDefaultAndTheAdminPortIsOnLoopback() {
        RespondCommand r = parse();
        assertThat(r.admin.enabled()).isFalse();
        assertThat(r.admin.host).isEqualTo("127.0.0.1");
        assertThat(r.accessLog.enabled()).isFalse();
        assertThat(r.accessLog.format).isEqualTo(AccessLogFormat.COMBINED);
    }

    @Test
    void flagsTurnThemOn() {
        RespondCommand r = parse("--admin-port", "0", "--admin-host", "::1", "--access-log", "-",
                "--access-log-format", "JSON");
        assertThat(r.admin.enabled()).isTrue();
        assertThat(r.admin.port).isZero();
        assertThat(r.admin.host).isEqualTo("::1");
        assertThat(r.accessLog.target).isEqualTo(AccessLogOptions.STDOUT);
        assertThat(r.accessLog.format).isEqualTo(AccessLogFormat.JSON);
    }

    @Test
    void trustForwardedHeadersBelievesTheTrustedProxiesWithoutTheProxyProtocol() {
        RespondCommand r = parse("--trust-forwarded-headers", "--trusted-proxies", "10.0.0.0/8,::1");
        assertThat(r.http.toConfig().trustForwardedHeaders()).hasToString("10.0.0.0/8,0:0:0:0:0:0:0:1/128");
        assertThat(r.server.toConfig().proxyProtocol()).as("no PROXY header wanted").isNull();
        assertThat(parse().http.toConfig().trustForwardedHeaders()).as("off by default").isNull();
        env.put("SLUICE_TRUST_FORWARDED_HEADERS", "yes");
        env.put("SLUICE_TRUSTED_PROXIES", "192.0.2.7");
        assertThat(parse().http.toConfig().trustForwardedHeaders()).hasToString("192.0.2.7/32");
        assertThat(parse("--trust-forwarded-headers=false").http.toConfig().trustForwardedHeaders()).isNull();
    }

    @Test
    void theEnvironmentFillsInAndFlagsWin() {
        env.put("SLUICE_ADMIN_PORT", "9901");
        env.put("SLUICE_ADMIN_HOST", "0.0.0.0");
        env.put("SLUICE_ACCESS_LOG", "/var/log/sluice.log");
        env.put("SLUICE_ACCESS_LOG_FORMAT", "common");
        RespondCommand fromEnv = parse();
        assertThat(fromEnv.admin.port).isEqualTo(9901);
        assertThat(fromEnv.admin.host).isEqualTo("0.0.0.0");
        assertThat(fromEnv.accessLog.target).isEqualTo("/var/log/sluice.log");
        assertThat(fromEnv.accessLog.format).isEqualTo(AccessLogFormat.COMMON);
        assertThat(parse("--admin-port", "7").admin.port).isEqualTo(7);
    }

    @Test
    void refusesBadValuesNamingTheFlag() {
        assertThatThrownBy(() -> parse("--access-log-format", "xml"))
                .hasMessageContaining("unknown access log format 'xml'; expected one of common, combined, json");
        assertThatThrownBy(() -> parse("--admin-port", "70000").admin.validate())
                .hasMessage("--admin-port must be 0..65535, got 70000");
    }

    @Test
    void refusesAnAdminPortThatClashesWithTheMainPortBeforeAnythingBinds() {
        ServerConfig main = config("0.0.0.0", 18485);
        assertThatThrownBy(() -> parse("--admin-port", "18485").admin.validate(main))
                .hasMessage("--port and --admin-port are both 18485 (on 0.0.0.0 and 127.0.0.1); "
                        + "give the admin port another one");
        // 0 picks a free port for each: never a clash
        parse("--admin-port", "0").admin.validate(config("0.0.0.0", 0));
        // another port, or addresses that do not overlap
        parse("--admin-port", "18486").admin.validate(main);
        parse("--admin-port", "18485", "--admin-host", "::1").admin.validate(config("127.0.0.1", 18485));
    }

    private static ServerConfig config(String host, int port) {
        return ServerConfig.defaults().withHost(host).withPort(port);
    }

    @Test
    void hostsOverlapWhenEqualOrEitherIsAWildcard() {
        assertThat(AdminOptions.overlap("0.0.0.0", "127.0.0.1")).isTrue();
        assertThat(AdminOptions.overlap("127.0.0.1", "::")).isTrue();
        assertThat(AdminOptions.overlap("[::1]", "::1")).isTrue();
        assertThat(AdminOptions.overlap("127.0.0.1", "127.0.0.1")).isTrue();
        assertThat(AdminOptions.overlap("127.0.0.1", "::1")).isFalse();
        assertThat(AdminOptions.overlap("127.0.0.1", "127.0.0.2")).isFalse();
    }
}
