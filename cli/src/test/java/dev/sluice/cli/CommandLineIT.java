package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.MinDataRate;
import dev.sluice.core.OverloadPolicy;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runnable jar's contract, short of serving: version, help, and usage errors. */
@Timeout(60)
class CommandLineIT {

    @Test
    void printsTheVersionFromThePom() {
        String version = Objects.requireNonNull(System.getProperty("sluice.version"),
                "failsafe sets sluice.version from the pom");
        try (SluiceProcess p = SluiceProcess.jar("--version")) {
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(p.stdout()).as(p::transcript).containsExactly("sluice " + version);
            assertThat(p.stderr()).as(p::transcript).isEmpty();
        }
    }

    @Test
    void helpListsTheCommands() {
        try (SluiceProcess p = SluiceProcess.jar("--help")) {
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(p.stdout()).as(p::transcript)
                    .contains("Usage: sluice [-hV] COMMAND")
                    .anyMatch(l -> l.matches("  echo +A TCP echo server.*"))
                    .anyMatch(l -> l.matches("  respond +An HTTP/1.1 server that answers every request.*"))
                    .anyMatch(l -> l.matches("  help +.*"));
            assertThat(p.stderr()).as(p::transcript).isEmpty();
        }
    }

    /** Every ServerConfig component has a flag whose shown default is the component's default. */
    @Test
    void echoHelpShowsEveryServerFlagWithItsDefaultAndVariable() {
        try (SluiceProcess p = SluiceProcess.jar("echo", "--help")) {
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            Map<String, HelpTable.Flag> flags = HelpTable.parse(p.stdout()).stream()
                    .collect(Collectors.toMap(HelpTable.Flag::name, Function.identity()));
            ServerConfig defaults = ServerConfig.defaults();
            for (RecordComponent c : ServerConfig.class.getRecordComponents()) {
                if (c.getName().equals("tls") || c.getName().equals("proxyProtocol")) {
                    continue; // made by the --tls-* flags (TlsIT), and by the two proxy flags (below)
                }
                String kebab = c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
                HelpTable.Flag flag = flags.get("--" + kebab);
                assertThat(flag).as("flag --%s for ServerConfig.%s%n%s", kebab, c.getName(),
                        p.transcript()).isNotNull();
                assertThat(flag.env()).as(p::transcript)
                        .isEqualTo("SLUICE_" + kebab.replace('-', '_').toUpperCase(Locale.ROOT));
                assertThat(flag.defaultValue()).as(p::transcript).isNotNull();
                assertThat(parseAs(c.getType(), flag.defaultValue()))
                        .as("default of --%s: got %s; want %s%n%s", kebab, flag.defaultValue(),
                                read(c, defaults), p.transcript())
                        .isEqualTo(read(c, defaults));
            }
            assertThat(flags.get("--proxy-protocol").defaultValue()).as("off: %s", p.transcript()).isEqualTo("false");
            assertThat(flags.get("--trusted-proxies").env()).as(p::transcript).isEqualTo("SLUICE_TRUSTED_PROXIES");
            assertThat(flags.get("--log-level").defaultValue()).as(p::transcript).isEqualTo("info");
            assertThat(flags.get("--log-level").env()).as(p::transcript)
                    .isEqualTo("SLUICE_LOG_LEVEL");
        }
    }

    private static Object parseAs(Class<?> type, String text) {
        if (type == Duration.class) {
            return DurationConverter.parse(text);
        } else if (type == Engine.class) {
            return Engine.fromName(text);
        } else if (type == OverloadPolicy.class) {
            return OverloadPolicy.fromName(text);
        } else if (type == int.class) {
            return Integer.parseInt(text);
        } else if (type == boolean.class) {
            return Boolean.parseBoolean(text);
        } else if (type == MinDataRate.class) {
            return new ServerOptions.RateConverter().convert(text);
        }
        return text;
    }

    private static Object read(RecordComponent c, ServerConfig config) {
        try {
            return c.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "echo --port not-a-port",
        "echo --port 70000",
        "echo --backlog -1",
        "echo --engine bogus",
        "echo --bogus",
        "echo --port",
        "echo --idle-timeout 10",
        "echo --shutdown-timeout 1.5s",
        "echo --overload maybe",
        "echo --log-level loud",
        "echo --threads -1",
        "echo --min-body-rate fast",
        "echo --min-body-rate 0/s,garbage",
        "echo --min-response-rate 240/s",
        "echo --max-connections-per-ip -1",
        "echo --request-timeout soon",
        "echo stray",
        "bogus",
        "serve a b",
        "serve 8000",
        // TEST-NET-1 (RFC 5737) is never an address of this machine: bind fails, nothing is sent
        "echo --host 192.0.2.1 --port 0",
    })
    void badValueExitsTwoWithOneLineOnStderr(String args) {
        String[] argv = args.isEmpty() ? new String[0] : args.split(" ");
        try (SluiceProcess p = SluiceProcess.jar(argv)) {
            assertUsageError(p);
        }
    }

    @Test
    void badValueFromTheEnvironmentNamesTheVariable() {
        try (SluiceProcess p = SluiceProcess.jar(Map.of("SLUICE_IDLE_TIMEOUT", "soon"), "echo")) {
            assertUsageError(p);
            assertThat(p.stderr().get(0)).as(p::transcript).contains("SLUICE_IDLE_TIMEOUT");
        }
    }

    @Test
    void portInUseExitsTwoWithOneLineOnStderr() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SluiceProcess p = SluiceProcess.jar("echo", "--host", "127.0.0.1",
                    "--port", Integer.toString(taken.getLocalPort()))) {
                assertUsageError(p);
                assertThat(p.stderr().get(0)).as(p::transcript).isEqualTo("sluice: port "
                        + taken.getLocalPort() + " is in use on 127.0.0.1 (another process?); "
                        + "choose another with --port");
            }
        }
    }

    /** picocli's own NO_COLOR check yields to -Dpicocli.ansi=true; ours does not. */
    @ParameterizedTest
    @ValueSource(strings = {"NO_COLOR=1", "TERM=dumb"})
    void helpHasNoColourUnderNoColorOrADumbTerminalEvenWhenForced(String setting) {
        Map<String, String> forced = Map.of("JAVA_TOOL_OPTIONS", "-Dpicocli.ansi=true");
        try (SluiceProcess p = SluiceProcess.jar(forced, "serve", "--help")) {
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(String.join("\n", p.stdout())).as("forced colour has escapes").contains("\u001b[");
        }
        Map<String, String> env = new java.util.HashMap<>(forced);
        env.put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
        try (SluiceProcess p = SluiceProcess.jar(env, "serve", "--help")) {
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(p.stdout()).as("got an escape sequence under %s; want none%n%s", setting,
                    p.transcript()).isNotEmpty().noneMatch(l -> l.indexOf('\u001b') >= 0);
        }
    }

    /** Exit code 2, exactly one line on stderr starting "sluice: ", no stack trace, no usage. */
    static void assertUsageError(SluiceProcess p) {
        assertThat(p.awaitExit()).as(p::transcript).isEqualTo(2);
        List<String> err = p.stderr();
        assertThat(err).as(p::transcript).hasSize(1);
        assertThat(err.get(0)).as(p::transcript).startsWith("sluice: ").doesNotContain("\tat ");
        assertThat(p.stdout()).as(p::transcript).isEmpty();
    }
}
