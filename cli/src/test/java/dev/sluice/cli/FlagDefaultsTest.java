package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.MinDataRate;
import dev.sluice.core.OverloadPolicy;
import dev.sluice.core.ServerConfig;
import dev.sluice.core.TrustedProxies;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The server flags, parsed in process against a fake environment: no sockets, no subprocess. */
@Timeout(10)
class FlagDefaultsTest {
    private final Map<String, String> env = new HashMap<>();

    private EchoCommand parse(String... args) {
        EchoCommand echo = new EchoCommand();
        CommandLine cli = new CommandLine(echo);
        cli.setDefaultValueProvider(new FlagDefaults(env::get));
        cli.parseArgs(args);
        return echo;
    }

    @Test
    void noFlagsAndNoEnvironmentGiveTheCoreDefaults() {
        assertThat(parse().server.toConfig()).isEqualTo(ServerConfig.defaults());
        assertThat(parse().logging.level).isEqualTo(LogOptions.LogLevel.INFO);
    }

    @Test
    void everyConfigComponentHasExactlyOneFlagAndNoFlagIsExtra() {
        List<String> components = Arrays.stream(ServerConfig.class.getRecordComponents())
                .map(RecordComponent::getName).filter(c -> !c.equals("tls")) // TlsOptions' flags
                .filter(c -> !c.equals("proxyProtocol")).toList(); // ProxyOptions' two flags
        List<String> fields = Arrays.stream(ServerOptions.class.getDeclaredFields())
                .filter(f -> f.isAnnotationPresent(CommandLine.Option.class))
                .map(java.lang.reflect.Field::getName).toList();
        assertThat(fields).containsExactlyElementsOf(components);
        CommandLine cli = new CommandLine(new EchoCommand());
        for (String c : components) {
            assertThat(cli.getCommandSpec().findOption(FlagDefaults.flagName(c)))
                    .as("flag for %s", c).isNotNull();
        }
    }

    @Test
    void environmentSetsEveryFlag() {
        env.putAll(Map.ofEntries(
                Map.entry("SLUICE_HOST", "127.0.0.1"),
                Map.entry("SLUICE_PORT", "7007"),
                Map.entry("SLUICE_BACKLOG", "16"),
                Map.entry("SLUICE_REUSE_PORT", "true"),
                Map.entry("SLUICE_ENGINE", "event-loop"),
                Map.entry("SLUICE_THREADS", "3"),
                Map.entry("SLUICE_QUEUE", "5"),
                Map.entry("SLUICE_MAX_CONNECTIONS", "7"),
                Map.entry("SLUICE_OVERLOAD", "reject"),
                Map.entry("SLUICE_MAX_CONNECTIONS_PER_IP", "4"),
                Map.entry("SLUICE_IDLE_TIMEOUT", "2m"),
                Map.entry("SLUICE_HEADER_TIMEOUT", "500ms"),
                Map.entry("SLUICE_WRITE_TIMEOUT", "0"),
                Map.entry("SLUICE_REQUEST_TIMEOUT", "90s"),
                Map.entry("SLUICE_MIN_BODY_RATE", "1000/s,2s"),
                Map.entry("SLUICE_MIN_RESPONSE_RATE", "off"),
                Map.entry("SLUICE_SHUTDOWN_TIMEOUT", "1h"),
                Map.entry("SLUICE_DRAIN_DELAY", "15s"),
                Map.entry("SLUICE_TCP_NOTSENT_LOWAT_BYTES", "65536"),
                Map.entry("SLUICE_PROXY_PROTOCOL", "yes"),
                Map.entry("SLUICE_TRUSTED_PROXIES", "10.0.0.0/8,2001:db8::7"),
                Map.entry("SLUICE_LOG_LEVEL", "debug")));
        EchoCommand echo = parse();
        assertThat(echo.server.toConfig()).isEqualTo(new ServerConfig("127.0.0.1", 7007, 16, true,
                Engine.EVENT_LOOP, 3, 5, 7, OverloadPolicy.REJECT, 4, Duration.ofMinutes(2),
                Duration.ofMillis(500), Duration.ZERO, Duration.ofSeconds(90),
                MinDataRate.of(1000, Duration.ofSeconds(2)), MinDataRate.OFF, Duration.ofHours(1),
                Duration.ofSeconds(15), 65536, null, Duration.ofSeconds(10),
                TrustedProxies.parse("10.0.0.0/8,2001:db8::7")));
        assertThat(echo.logging.level).isEqualTo(LogOptions.LogLevel.DEBUG);
    }

    @Test
    void theTwoProxyFlagsMakeOneComponentAndAreOffByDefault() {
        assertThat(parse().server.toConfig().proxyProtocol()).isNull();
        ServerConfig c = parse("--proxy-protocol", "--trusted-proxies", "127.0.0.1/32", "--trusted-proxies", "::1")
                .server.toConfig();
        assertThat(c.proxyProtocol()).isEqualTo(TrustedProxies.parse("127.0.0.1/32,::1"));
    }

    @Test
    void flagBeatsEnvironment() {
        env.put("SLUICE_PORT", "7007");
        env.put("SLUICE_REUSE_PORT", "true");
        ServerConfig c = parse("--port", "9", "--reuse-port=false").server.toConfig();
        assertThat(c.port()).isEqualTo(9);
        assertThat(c.reusePort()).isFalse();
    }

    @Test
    void emptyVariableIsUnset() {
        env.put("SLUICE_PORT", "");
        assertThat(parse().server.toConfig().port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    }

    @Test
    void bareReusePortMeansTrueWhateverTheEnvironmentSays() {
        assertThat(parse("--reuse-port").server.reusePort).isTrue();
        env.put("SLUICE_REUSE_PORT", "true");
        assertThat(parse("--reuse-port").server.reusePort).isTrue();
    }

    @Test
    void namesFollowTheComponents() {
        assertThat(FlagDefaults.flagName("idleTimeout")).isEqualTo("--idle-timeout");
        assertThat(FlagDefaults.flagName("port")).isEqualTo("--port");
        OptionSpec option = new CommandLine(new EchoCommand()).getCommandSpec()
                .findOption("--max-connections");
        assertThat(FlagDefaults.envName(option)).isEqualTo("SLUICE_MAX_CONNECTIONS");
    }

    @Test
    void helpAndVersionHaveNoEnvironmentFallback() {
        env.put("SLUICE_HELP", "true");
        env.put("SLUICE_VERSION", "true");
        CommandLine cli = new CommandLine(new EchoCommand());
        cli.setDefaultValueProvider(new FlagDefaults(env::get));
        cli.parseArgs();
        assertThat(cli.isUsageHelpRequested()).isFalse();
        assertThat(cli.isVersionHelpRequested()).isFalse();
    }
}
