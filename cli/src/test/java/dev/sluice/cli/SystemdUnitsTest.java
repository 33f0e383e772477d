package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * deploy/systemd/sluice.socket and sluice.service held against {@code sluice serve}: every
 * {@code --flag} is a flag of serve and ExecStart parses, the socket's port is serve's --port,
 * TimeoutStopSec covers the drain delay and shutdown timeout, and the sandbox keeps its key options.
 * Each check returns its problems, so the tests also run it on broken copies. No sockets, no processes.
 */
@Timeout(30)
class SystemdUnitsTest {
    static final Path SYSTEMD = SluiceProcess.REPO_ROOT.resolve("deploy/systemd");
    /** Beyond drain delay plus shutdown timeout: for the JVM to exit and the access log to flush. */
    static final Duration MARGIN = Duration.ofSeconds(5);
    private static final Pattern SPAN = Pattern.compile("([0-9]+)\\s*(ms|s|sec|m|min|h|hr)?");
    /** Key and the value it must have in the service; "" means set and empty. */
    private static final Map<String, String> SANDBOX = Map.of("NoNewPrivileges", "yes",
            "ProtectSystem", "strict", "ProtectHome", "yes", "PrivateTmp", "yes", "CapabilityBoundingSet", "",
            "SystemCallFilter", "@system-service", "DynamicUser", "yes");

    @Test
    void unitsAgreeWithTheSluiceCommandTheyRun() throws IOException {
        List<String> problems = problems(read("sluice.socket"), read("sluice.service"));
        assertThat(problems).as("deploy/systemd: got %s; want no problem", problems).isEmpty();
    }

    @Test
    void brokenCopiesFail() throws IOException {
        String socket = read("sluice.socket");
        String service = read("sluice.service");
        assertThat(problems(socket, service.replace("--shutdown-timeout", "--stop-timeout")))
                .anyMatch(p -> p.contains("--stop-timeout"));
        assertThat(problems(socket, service.replace("TimeoutStopSec=40s", "TimeoutStopSec=30s")))
                .anyMatch(p -> p.contains("TimeoutStopSec"));
        assertThat(problems(socket, service.replace("--drain-delay 0s", "--drain-delay 10s")))
                .anyMatch(p -> p.contains("TimeoutStopSec"));
        assertThat(problems(socket.replace("ListenStream=8080", "ListenStream=8081"), service))
                .anyMatch(p -> p.contains("8081"));
        assertThat(problems(socket.replace("Accept=no", "Accept=yes"), service)).anyMatch(p -> p.contains("Accept"));
        assertThat(problems(socket, service.replace("ProtectSystem=strict", "ProtectSystem=full")))
                .anyMatch(p -> p.contains("ProtectSystem"));
        assertThat(problems(socket, service.replace("[Service]", "[Service]\nMemoryDenyWriteExecute=yes")))
                .anyMatch(p -> p.contains("MemoryDenyWriteExecute"));
    }

    @Test
    void readsSystemdTimeSpans() {
        assertThat(span("40s")).isEqualTo(Duration.ofSeconds(40));
        assertThat(span("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(span("1min 30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(span("500ms")).isEqualTo(Duration.ofMillis(500));
    }

    /** What is wrong with the two units: each problem says where, what it got and what it wants. */
    static List<String> problems(String socket, String service) {
        List<String> problems = new ArrayList<>(DeployManifestsTest.unknownFlags("sluice.service", service));
        Map<String, String> sock = keys(socket);
        Map<String, String> svc = keys(service);
        if (!"no".equals(sock.get("Accept"))) {
            problems.add("sluice.socket: got Accept=" + sock.get("Accept") + "; want Accept=no, one process");
        }
        SANDBOX.forEach((key, want) -> {
            if (!want.equals(svc.get(key))) {
                problems.add("sluice.service: got " + key + "=" + svc.get(key) + "; want " + key + "=" + want);
            }
        });
        if ("yes".equals(svc.get("MemoryDenyWriteExecute"))) {
            problems.add("sluice.service: got MemoryDenyWriteExecute=yes; want it off, the JVM's JIT needs W+X memory");
        }
        List<String> exec = Arrays.asList(svc.getOrDefault("ExecStart", "").trim().split("\\s+"));
        if (exec.size() < 2 || !exec.get(0).endsWith("/bin/sluice") || !exec.get(1).equals("serve")) {
            problems.add("sluice.service: got ExecStart=" + exec + "; want .../bin/sluice serve ...");
            return problems;
        }
        ServerConfig config;
        try {
            ServeCommand serve = new ServeCommand();
            new CommandLine(serve).setDefaultValueProvider(new FlagDefaults(name -> null))
                    .parseArgs(exec.subList(2, exec.size()).toArray(String[]::new));
            config = serve.server.toConfig();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            problems.add("sluice.service: got ExecStart " + exec + ", which sluice serve refuses: " + e.getMessage());
            return problems;
        }
        String listen = sock.getOrDefault("ListenStream", "");
        if (!listen.equals(String.valueOf(config.port())) && !listen.endsWith(":" + config.port())) {
            problems.add("sluice.socket: got ListenStream=" + listen + "; want serve's --port " + config.port());
        }
        Duration needed = config.drainDelay().plus(config.shutdownTimeout()).plus(MARGIN);
        Duration stop = span(svc.getOrDefault("TimeoutStopSec", "90s"));
        if (stop.compareTo(needed) < 0) {
            problems.add("sluice.service: got TimeoutStopSec=" + stop + "; want at least --drain-delay + "
                    + "--shutdown-timeout + " + MARGIN + " = " + needed);
        }
        return problems;
    }

    /** A unit's settings, sections merged, continuations joined, comments dropped; the last one wins. */
    static Map<String, String> keys(String unit) {
        Map<String, String> keys = new LinkedHashMap<>();
        String joined = unit.replaceAll("\\\\\\R", " ");
        for (String line : joined.lines().map(String::strip).toList()) {
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[") || eq < 0) {
                continue;
            }
            keys.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return keys;
    }

    /** A systemd time span ({@code 40s}, {@code 1min 30s}, {@code 90}: seconds without a unit). */
    static Duration span(String text) {
        Duration total = Duration.ZERO;
        Matcher m = SPAN.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m", "min" -> Duration.ofMinutes(n);
                case "h", "hr" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            });
        }
        return total;
    }

    private static String read(String name) throws IOException {
        return Files.readString(SYSTEMD.resolve(name));
    }
}
