package dev.sluice.cli;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Headless Chromium for the integration tests: each run loads one URL in a fresh profile and
 * either prints the DOM as rendered (after scripts and the load event) or saves a screenshot.
 * A run has {@link #RUN_WAIT} to finish; one that overruns, or whose test is interrupted, is
 * killed by PID with its child processes (renderer, zygote, GPU). Finds Debian's {@code chromium}
 * (and, for {@link #trusting}, NSS's {@code certutil}) on the PATH and, like bin/test, installs it
 * with apt-get when missing and running as root.
 */
final class Chromium {
    static final Duration RUN_WAIT = Duration.ofSeconds(60);
    static final Duration INSTALL_WAIT = Duration.ofMinutes(10);
    static final String WINDOW_SIZE = "1200,800";
    /** No sandbox: CI runs as root, which Chromium's sandbox refuses. The rest: no traffic but ours. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync");
    /** How headless Chromium reports, on stderr, a load that failed (exit code 0, empty DOM). */
    private static final Pattern LOAD_FAILED = Pattern.compile("Page load failed: (net::\\w+)");

    /** Per apt package, the outcome of the one search (and install), shared by every test. */
    private static final Map<String, Search> SEARCHES = new HashMap<>();

    private final Path executable;
    /** HOME for every run, holding the NSS database Chromium trusts; null: the test's own HOME. */
    private final Path home;

    private Chromium(Path executable, Path home) {
        this.executable = executable;
        this.home = home;
    }

    /** What a run loaded: the DOM as rendered, and the network error that stopped the load or "". */
    record Page(String dom, String error) {
    }

    /** A program found on the PATH, or why there is none. */
    private record Search(Path path, String missing) {
    }

    /**
     * Chromium from the PATH, installed first if missing and possible (once per JVM). Skips the
     * calling test (an assumption, so the reason shows in the report) when it is neither found nor
     * installable; fails instead under {@code CI=true} as root, where the install must work.
     */
    static Chromium require() {
        return new Chromium(require("chromium", List.of("chromium", "chromium-browser")), null);
    }

    /**
     * This Chromium with a HOME of its own, {@code home}, where an NSS database
     * ({@code .pki/nssdb}, where Chromium on Linux finds the roots a user added) trusts the PEM
     * certificate {@code ca} to identify web sites ({@code certutil -t C,,}): Chromium then verifies
     * chains to it as to any root, and trusts no other added root. Needs {@code certutil}
     * (libnss3-tools), found or installed as {@link #require()} does Chromium.
     */
    Chromium trusting(Path ca, Path home) throws IOException, InterruptedException {
        Path certutil = require("libnss3-tools", List.of("certutil"));
        String db = "sql:" + Files.createDirectories(home.resolve(".pki").resolve("nssdb"));
        certutil(certutil, "-N", "-d", db, "--empty-password");
        certutil(certutil, "-A", "-d", db, "-n", "sluice-test-ca", "-t", "C,,", "-i", ca.toString());
        return new Chromium(executable, home);
    }

    private static void certutil(Path certutil, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(certutil.toString()));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            fail("got exit %d from %s: %s; want 0", r.exit(), String.join(" ", cmd), r.out());
        }
    }

    private static synchronized Path require(String pkg, List<String> names) {
        Search s = SEARCHES.computeIfAbsent(pkg, p -> search(p, names));
        if (s.path() == null) {
            if ("true".equals(System.getenv("CI")) && root()) {
                fail(s.missing());
            }
            assumeTrue(false, s.missing());
        }
        return s.path();
    }

    private static Search search(String pkg, List<String> names) {
        Optional<Path> path = find(names);
        String why = "";
        if (path.isEmpty()) {
            why = install(pkg);
            path = find(names);
            if (path.isEmpty() && why.isEmpty()) {
                why = "apt-get installed " + pkg + ", yet it is not on the PATH (" + System.getenv("PATH") + ")";
            }
        }
        return new Search(path.orElse(null), names.get(0) + " is not on the PATH: " + why);
    }

    static Optional<Path> find(List<String> names) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs {@code apt-get install -y -qq PKG} as root; says what happened. */
    private static String install(String pkg) {
        if (!root()) {
            return "not running as root to install it; apt-get install " + pkg;
        }
        if (Stream.of("/usr/bin/apt-get", "/bin/apt-get").noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            return "no apt-get to install it with";
        }
        if (apt("install", "-y", "-qq", pkg).isEmpty()) {
            return "";
        }
        apt("update", "-qq"); // a fresh image may have no package lists yet
        return apt("install", "-y", "-qq", pkg);
    }

    /** Empty when {@code apt-get args} succeeds, else its exit and the end of its output. */
    private static String apt(String... args) {
        List<String> cmd = new ArrayList<>(List.of("apt-get"));
        cmd.addAll(List.of(args));
        Path log = null;
        Process p = null;
        try {
            log = Files.createTempFile("sluice-apt-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            p = pb.start();
            if (!p.waitFor(INSTALL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return String.join(" ", cmd) + " still running after " + INSTALL_WAIT + "; killed";
            }
            return p.exitValue() == 0 ? "" : String.join(" ", cmd) + " exited with " + p.exitValue()
                    + ": " + tail(log, 5);
        } catch (IOException e) {
            return String.join(" ", cmd) + " failed: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            if (p != null && p.isAlive()) {
                kill(p);
            }
            if (log != null) {
                deleteQuietly(log);
            }
        }
    }

    /** uid 0: the user name is looked up from the real uid. */
    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The DOM of {@code url} once loaded, serialized as HTML ({@code --dump-dom}). */
    String dumpDom(URI url) {
        return load(url).dom();
    }

    /** {@code url} as loaded: its DOM ({@code --dump-dom}), or why it did not load. */
    Page load(URI url) {
        return run(url, "--dump-dom");
    }

    /** Saves {@code url}, loaded in a {@value #WINDOW_SIZE} window, as the PNG {@code png}. */
    void screenshot(URI url, Path png) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(url, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + WINDOW_SIZE);
        if (!Files.isRegularFile(png)) {
            fail("chromium wrote no screenshot to %s", png);
        }
    }

    /** Runs Chromium on {@code url} with {@code extra} flags; its stdout and the load's error. */
    private Page run(URI url, String... extra) {
        Path dir;
        try {
            dir = Files.createTempDirectory("sluice-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(executable.toString()));
        cmd.addAll(FLAGS);
        cmd.add("--user-data-dir=" + dir.resolve("profile"));
        cmd.addAll(List.of(extra));
        cmd.add(url.toString());
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = null;
        try {
            p = start(cmd, out, err);
            if (!p.waitFor(RUN_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                long pid = p.pid();
                kill(p);
                return fail("chromium (pid %d) did not finish within %s; killed%n$ %s%n%s", pid,
                        RUN_WAIT, String.join(" ", cmd), tail(err, 20));
            }
            if (p.exitValue() != 0) {
                return fail("chromium exited with %d%n$ %s%n%s", p.exitValue(), String.join(" ", cmd),
                        tail(err, 20));
            }
            return new Page(Files.readString(out, StandardCharsets.UTF_8), loadError(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (p != null && p.isAlive()) {
                kill(p);
            }
            deleteQuietly(dir);
        }
    }

    /** Starts {@code cmd} with no stdin, its stdout and stderr to files, and this Chromium's HOME. */
    private Process start(List<String> cmd, Path out, Path err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (home != null) {
            pb.environment().put("HOME", home.toString()); // NSS opens $HOME/.pki/nssdb
        }
        return pb.start();
    }

    /** The {@code net::ERR_...} that stopped the load, as Chromium logged it to {@code err}, or "". */
    private static String loadError(Path err) throws IOException {
        Matcher failed = LOAD_FAILED.matcher(Files.readString(err, StandardCharsets.UTF_8));
        return failed.find() ? failed.group(1) : "";
    }

    /** Kills {@code p} and every process it started, each by its PID, children first. */
    private static void kill(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code n} lines of {@code log}, without Chromium's complaints about a missing D-Bus. */
    private static String tail(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.contains("/dbus/")).toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static void deleteQuietly(Path path) {
        try (Stream<Path> all = Files.walk(path)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a profile file still held open: left for the temp folder's owner to clean
        }
    }
}
