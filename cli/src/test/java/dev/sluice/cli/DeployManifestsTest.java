package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * The shipped deployment files, deploy/haproxy/haproxy.cfg and deploy/kubernetes/*.yaml, held against
 * {@code sluice serve}: every {@code --flag} they name is a flag of serve and the command lines they
 * carry parse, ports and probe paths agree with those command lines, and the grace periods add up.
 * Each check returns its problems, so that the tests below also run it on broken copies in memory.
 * No sockets, no processes.
 */
@Timeout(30)
class DeployManifestsTest {
    static final Path DEPLOY = SluiceProcess.REPO_ROOT.resolve("deploy");
    static final Path HAPROXY = DEPLOY.resolve("haproxy/haproxy.cfg");
    static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    /** Beyond drain delay plus shutdown timeout: for the JVM to exit and the access log to flush. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
    private static final Pattern HAPROXY_TIME = Pattern.compile("([0-9]+)(us|ms|s|m|h|d)?");

    @Test
    void haproxyConfigAgreesWithTheSluiceCommandItDocuments() {
        List<String> problems = haproxyProblems(read(HAPROXY));
        assertThat(problems).as("deploy/haproxy/haproxy.cfg: got %s; want no problem", problems).isEmpty();
    }

    @Test
    void kubernetesManifestsAgreeWithTheirSluiceArgs() {
        List<String> problems = kubernetesProblems(kubernetesFiles());
        assertThat(problems).as("deploy/kubernetes: got %s; want no problem", problems).isEmpty();
    }

    @Test
    void aRenamedFlagFailsBothChecks() {
        assertThat(haproxyProblems(read(HAPROXY).replace("--drain-delay", "--drain-pause")))
                .anyMatch(p -> p.contains("--drain-pause"));
        Map<String, String> k8s = kubernetesFiles();
        k8s.replaceAll((name, text) -> text.replace("--admin-port", "--admin-listen"));
        assertThat(kubernetesProblems(k8s)).anyMatch(p -> p.contains("--admin-listen"));
    }

    @Test
    void aFlagNamedOnlyInACommentMustExistToo() {
        Map<String, String> k8s = kubernetesFiles();
        k8s.replaceAll((name, text) -> text.replace("add --proxy-protocol", "add --proxy-protocol-v2"));
        assertThat(kubernetesProblems(k8s)).anyMatch(p -> p.contains("--proxy-protocol-v2"));
    }

    @Test
    void mismatchedPortsAndPathsFail() {
        String cfg = read(HAPROXY);
        assertThat(haproxyProblems(cfg.replaceFirst("(server s1 .*)port 9090", "$1port 9091")))
                .anyMatch(p -> p.contains("9091"));
        assertThat(haproxyProblems(cfg.replaceFirst("(server s2 .*) send-proxy-v2", "$1")))
                .anyMatch(p -> p.contains("server s2") && p.contains("send-proxy-v2"));
        assertThat(haproxyProblems(cfg.replace("GET /ready", "GET /health"))).anyMatch(p -> p.contains("/health"));
        Map<String, String> k8s = kubernetesFiles();
        k8s.replaceAll((name, text) -> text.replace("containerPort: 9090", "containerPort: 9091"));
        assertThat(kubernetesProblems(k8s)).anyMatch(p -> p.contains("9091") || p.contains("admin"));
    }

    @Test
    void gracePeriodsThatDoNotAddUpFail() {
        assertThat(haproxyProblems(read(HAPROXY).replace("--drain-delay 10s", "--drain-delay 3s")))
                .anyMatch(p -> p.contains("drain-delay"));
        Map<String, String> k8s = kubernetesFiles();
        k8s.replaceAll((name, text) -> text.replace("terminationGracePeriodSeconds: 45",
                "terminationGracePeriodSeconds: 40"));
        assertThat(kubernetesProblems(k8s)).anyMatch(p -> p.contains("terminationGracePeriodSeconds"));
    }

    // ---- HAProxy

    /** What is wrong with {@code cfg}: each problem says where, what it got and what it wants. */
    static List<String> haproxyProblems(String cfg) {
        List<String> problems = new ArrayList<>(unknownFlags("haproxy.cfg", cfg));
        List<String> command = documentedCommand(cfg);
        if (command == null) {
            problems.add("haproxy.cfg: got no comment with the sluice serve command; want one");
            return problems;
        }
        Serve serve = Serve.parse("haproxy.cfg's sluice command", command, problems);
        if (serve == null) {
            return problems;
        }
        if (serve.config().proxyProtocol() == null) {
            problems.add("haproxy.cfg's sluice command: got no --proxy-protocol; want it, for send-proxy-v2");
        }
        Map<String, List<List<String>>> sections = haproxySections(cfg);
        String backend = sections.getOrDefault("frontend www", List.of()).stream()
                .filter(l -> l.getFirst().equals("default_backend")).map(l -> "backend " + l.get(1))
                .findFirst().orElse("backend ?");
        List<List<String>> lines = sections.getOrDefault(backend, List.of());
        if (!lines.contains(List.of("option", "httpchk", "GET", "/ready"))) {
            problems.add(backend + ": got " + lines.stream().filter(l -> l.contains("httpchk")).toList()
                    + "; want option httpchk GET /ready");
        }
        List<String> defaults = lines.stream().filter(l -> l.getFirst().equals("default-server"))
                .findFirst().orElse(List.of());
        List<List<String>> servers = lines.stream().filter(l -> l.getFirst().equals("server")).toList();
        if (servers.isEmpty()) {
            problems.add(backend + ": got no server; want the Sluice servers");
        }
        for (List<String> server : servers) {
            problems.addAll(serverProblems(server, defaults, serve));
        }
        return problems;
    }

    private static List<String> serverProblems(List<String> server, List<String> defaults, Serve serve) {
        List<String> problems = new ArrayList<>();
        String where = "server " + server.get(1);
        String address = server.get(2);
        String port = address.substring(address.lastIndexOf(':') + 1);
        if (!port.equals(String.valueOf(serve.config().port()))) {
            problems.add(where + ": got port " + port + "; want --port " + serve.config().port());
        }
        if (!server.contains("send-proxy-v2")) {
            problems.add(where + ": got " + server + "; want send-proxy-v2, as --proxy-protocol expects");
        }
        if (!server.contains("check")) {
            problems.add(where + ": got no check; want check on the admin port's /ready");
        }
        String checkPort = value(server, defaults, "port", null);
        if (!String.valueOf(serve.admin().port).equals(checkPort)) {
            problems.add(where + ": got check port " + checkPort + "; want --admin-port " + serve.admin().port);
        }
        Duration inter = haproxyTime(value(server, defaults, "inter", "2000"));
        int fall = Integer.parseInt(value(server, defaults, "fall", "3"));
        // docs/operations.md: the check interval times fall, plus one interval of slack.
        Duration needed = inter.multipliedBy(fall + 1L);
        if (serve.config().drainDelay().compareTo(needed) < 0) {
            problems.add(where + ": got --drain-delay " + serve.config().drainDelay() + "; want at least inter x "
                    + "(fall + 1) = " + needed + ", to cover the checks that take a draining server out");
        }
        return problems;
    }

    /** The value after {@code key} on the server line, else on default-server, else {@code otherwise}. */
    private static String value(List<String> server, List<String> defaults, String key, String otherwise) {
        for (List<String> line : List.of(server, defaults)) {
            int i = line.indexOf(key);
            if (i > 0 && i + 1 < line.size()) {
                return line.get(i + 1);
            }
        }
        return otherwise;
    }

    /** An HAProxy time: a number and a unit, milliseconds when there is none. */
    static Duration haproxyTime(String text) {
        Matcher m = HAPROXY_TIME.matcher(text);
        assertThat(m.matches()).as("HAProxy time: got %s; want a number and us, ms, s, m, h or d", text).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "ms" : m.group(2)) {
            case "us" -> Duration.ofNanos(n * 1000);
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** Each section ({@code backend sluice}) and its lines, comments dropped, each line split into words. */
    static Map<String, List<List<String>>> haproxySections(String cfg) {
        Map<String, List<List<String>>> sections = new LinkedHashMap<>();
        List<List<String>> current = new ArrayList<>();
        for (String raw : cfg.lines().toList()) {
            String line = raw.replaceFirst("#.*", "");
            if (line.isBlank()) {
                continue;
            }
            List<String> words = Arrays.asList(line.strip().split("\\s+"));
            if (!Character.isWhitespace(line.charAt(0))) {
                current = new ArrayList<>();
                sections.put(String.join(" ", words), current);
            } else {
                current.add(words);
            }
        }
        return sections;
    }

    /**
     * The arguments after {@code serve} of the comment line that starts {@code bin/sluice serve}, its
     * continuation lines (after a {@code \\}) joined; null if no comment shows one.
     */
    static List<String> documentedCommand(String cfg) {
        List<String> lines = cfg.lines().filter(l -> l.startsWith("#")).map(l -> l.substring(1).strip()).toList();
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith("bin/sluice serve ")) {
            start++;
        }
        if (start == lines.size()) {
            return null;
        }
        StringBuilder command = new StringBuilder(lines.get(start));
        for (int i = start + 1; i < lines.size() && command.toString().endsWith("\\"); i++) {
            command.setLength(command.length() - 1);
            command.append(' ').append(lines.get(i));
        }
        List<String> words = Arrays.asList(command.toString().strip().split("\\s+"));
        return words.subList(words.indexOf("serve") + 1, words.size());
    }

    // ---- Kubernetes

    /** What is wrong with the manifests, {@code file name -> text}. */
    @SuppressWarnings("unchecked")
    static List<String> kubernetesProblems(Map<String, String> files) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> byKind = new TreeMap<>();
        files.forEach((name, text) -> {
            problems.addAll(unknownFlags(name, text));
            for (Object doc : new Yaml().loadAll(text)) {
                Map<String, Object> object = (Map<String, Object>) doc;
                byKind.put((String) object.get("kind"), object);
            }
        });
        assertThat(byKind.keySet()).as("kinds in deploy/kubernetes")
                .containsExactlyInAnyOrder("Deployment", "Service", "PodDisruptionBudget");
        Map<String, Object> deployment = map(byKind.get("Deployment"), "spec");
        Map<String, Object> pod = map(deployment, "template", "spec");
        Map<String, Object> labels = map(deployment, "template", "metadata", "labels");
        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).getFirst();
        List<String> command = new ArrayList<>(strings(container.get("command")));
        command.addAll(strings(container.get("args")));
        Serve serve = Serve.parse("Deployment's args", command.subList(command.indexOf("serve") + 1,
                command.size()), problems);
        if (serve == null) {
            return problems;
        }
        Map<String, Integer> ports = new TreeMap<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) container.get("ports")) {
            ports.put(String.valueOf(p.getOrDefault("name", p.get("containerPort"))), (Integer) p.get("containerPort"));
        }
        int main = serve.config().port();
        int admin = serve.admin().port == null ? -1 : serve.admin().port;
        if (!ports.containsValue(main) || !ports.containsValue(admin)) {
            problems.add("containerPorts: got " + ports + "; want --port " + main + " and --admin-port " + admin);
        }
        if (isLoopback(serve.admin().host)) {
            problems.add("--admin-host: got " + serve.admin().host + "; want an address the kubelet's probes reach");
        }
        problems.addAll(probeProblems("readinessProbe", map(container, "readinessProbe"), "/ready", admin, ports));
        problems.addAll(probeProblems("livenessProbe", map(container, "livenessProbe"), "/health", admin, ports));
        problems.addAll(graceProblems(pod, container, serve.config()));
        problems.addAll(selectorProblems("Deployment", map(deployment, "selector", "matchLabels"), labels));
        Map<String, Object> service = map(byKind.get("Service"), "spec");
        problems.addAll(selectorProblems("Service", map(service, "selector"), labels));
        for (Map<String, Object> p : (List<Map<String, Object>>) service.get("ports")) {
            Integer target = resolve(p.get("targetPort"), ports);
            if (target == null || target != main) {
                problems.add("Service targetPort: got " + p.get("targetPort") + "; want --port " + main);
            }
        }
        Map<String, Object> pdb = map(byKind.get("PodDisruptionBudget"), "spec");
        problems.addAll(selectorProblems("PodDisruptionBudget", map(pdb, "selector", "matchLabels"), labels));
        int replicas = (Integer) deployment.getOrDefault("replicas", 1);
        Object unavailable = pdb.get("maxUnavailable");
        Object available = pdb.get("minAvailable");
        if (unavailable instanceof Integer u && (u < 1 || u >= replicas)
                || available instanceof Integer a && a >= replicas) {
            problems.add("PodDisruptionBudget: got maxUnavailable " + unavailable + ", minAvailable " + available
                    + " of " + replicas + " replicas; want a pod at a time free to go, and one left serving");
        }
        return problems;
    }

    private static List<String> probeProblems(String name, Map<String, Object> probe, String path, int admin,
            Map<String, Integer> ports) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> get = map(probe, "httpGet");
        if (!path.equals(get.get("path"))) {
            problems.add(name + ": got path " + get.get("path") + "; want " + path);
        }
        Integer port = resolve(get.get("port"), ports);
        if (port == null || port != admin) {
            problems.add(name + ": got port " + get.get("port") + " (" + port + "); want --admin-port " + admin);
        }
        return problems;
    }

    private static List<String> graceProblems(Map<String, Object> pod, Map<String, Object> container,
            ServerConfig config) {
        List<String> problems = new ArrayList<>();
        // Kubernetes' defaults: 30 s of grace; a probe every 10 s, 3 failures to act.
        long grace = ((Number) pod.getOrDefault("terminationGracePeriodSeconds", 30)).longValue();
        // A preStop hook runs before the SIGTERM, within the grace period: its sleep counts too.
        Map<String, Object> preStop = map(container, "lifecycle", "preStop");
        Object sleep = map(preStop, "sleep").getOrDefault("seconds", 0);
        if (!preStop.isEmpty() && !preStop.containsKey("sleep")) {
            problems.add("preStop: got " + preStop.keySet() + "; want a sleep action, whose length this test adds");
        }
        Duration needed = Duration.ofSeconds(((Number) sleep).longValue()).plus(config.drainDelay())
                .plus(config.shutdownTimeout()).plus(MARGIN);
        if (Duration.ofSeconds(grace).compareTo(needed) < 0) {
            problems.add("terminationGracePeriodSeconds: got " + grace + "; want at least preStop sleep " + sleep
                    + "s + --drain-delay " + config.drainDelay() + " + --shutdown-timeout " + config.shutdownTimeout()
                    + " + margin " + MARGIN + " = " + needed.toSeconds());
        }
        Map<String, Object> ready = map(container, "readinessProbe");
        Duration outAfter = Duration.ofSeconds(((Number) ready.getOrDefault("periodSeconds", 10)).longValue()
                * ((Number) ready.getOrDefault("failureThreshold", 3)).longValue());
        if (outAfter.compareTo(config.drainDelay()) > 0) {
            problems.add("readinessProbe: got periodSeconds x failureThreshold = " + outAfter + "; want at most "
                    + "--drain-delay " + config.drainDelay());
        }
        return problems;
    }

    private static List<String> selectorProblems(String kind, Map<String, Object> selector,
            Map<String, Object> labels) {
        return selector.isEmpty() || !labels.entrySet().containsAll(selector.entrySet())
                ? List.of(kind + " selector: got " + selector + "; want a part of the pod's labels " + labels)
                : List.of();
    }

    /** A port by number or by the name of a containerPort; null if it names none. */
    private static Integer resolve(Object port, Map<String, Integer> ports) {
        return port instanceof Integer n ? n : ports.get(String.valueOf(port));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> node, String... path) {
        Map<String, Object> at = node;
        for (String key : path) {
            at = at == null ? null : (Map<String, Object>) at.get(key);
        }
        return at == null ? Map.of() : at;
    }

    private static List<String> strings(Object list) {
        return list == null ? List.of() : ((List<?>) list).stream().map(String::valueOf).toList();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    // ---- Both

    /** Every {@code --flag} anywhere in {@code text}, comments included, that serve does not have. */
    static List<String> unknownFlags(String file, String text) {
        CommandLine.Model.CommandSpec spec = new CommandLine(new ServeCommand()).getCommandSpec();
        List<String> problems = new ArrayList<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            if (spec.findOption(m.group()) == null) {
                problems.add(file + ": got " + m.group() + "; want a flag of sluice serve");
            }
        }
        return problems;
    }

    /** {@code sluice serve} parsed from a manifest's arguments, with the settings they make. */
    record Serve(ServeCommand command, ServerConfig config) {
        AdminOptions admin() {
            return command.admin;
        }

        /** The command, or null with a problem added when the arguments do not parse or validate. */
        static Serve parse(String where, List<String> args, List<String> problems) {
            ServeCommand serve = new ServeCommand();
            CommandLine cli = new CommandLine(serve).setDefaultValueProvider(new FlagDefaults(name -> null));
            try {
                cli.parseArgs(args.toArray(String[]::new));
                ServerConfig config = serve.server.toConfig();
                serve.admin.validate(config);
                serve.http.toConfig();
                if (!serve.admin.enabled()) {
                    problems.add(where + ": got no --admin-port; want one, for the health checks");
                    return null;
                }
                return new Serve(serve, config);
            } catch (CommandLine.ParameterException | IllegalArgumentException e) {
                problems.add(where + ": got " + args + ", which sluice serve refuses: " + e.getMessage());
                return null;
            }
        }
    }

    private static Map<String, String> kubernetesFiles() {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            Map<String, String> texts = new TreeMap<>();
            files.filter(p -> p.toString().endsWith(".yaml"))
                    .forEach(p -> texts.put(p.getFileName().toString(), read(p)));
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
