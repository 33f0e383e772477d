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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium for the integration tests: each run loads one URL in a fresh profile and
 * either prints the DOM as rendered (after scripts and the load event) or saves a screenshot.
 * A run has {@link #RUN_WAIT} to finish; one that overruns, or whose test is interrupted, is
 * killed by PID with its child processes (renderer, zygote, GPU). Finds Debian's {@code chromium}
 * on the PATH and, like bin/test, installs it with apt-get when missing and running as root.
 */
final class Chromium {
    static final Duration RUN_WAIT = Duration.ofSeconds(60);
    static final Duration INSTALL_WAIT = Duration.ofMinutes(10);
    static final String WINDOW_SIZE = "1200,800";
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");
    /** No sandbox: CI runs as root, which Chromium's sandbox refuses. The rest: no traffic but ours. */
    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync");

    /** The outcome of the one search (and install), shared by every test: a Chromium or why not. */
    private static Chromium found;
    private static String missing;

    private final Path executable;

    private Chromium(Path executable) {
        this.executable = executable;
    }

    /**
     * Chromium from the PATH, installed first if missing and possible (once per JVM). Skips the
     * calling test (an assumption, so the reason shows in the report) when it is neither found nor
     * installable; fails instead under {@code CI=true} as root, where the install must work.
     */
    static synchronized Chromium require() {
        if (found == null && missing == null) {
            Optional<Path> path = find();
            String why = "";
            if (path.isEmpty()) {
                why = install();
                path = find();
                if (path.isEmpty() && why.isEmpty()) {
                    why = "apt-get installed it, yet it is not on the PATH (" + System.getenv("PATH") + ")";
                }
            }
            if (path.isPresent()) {
                found = new Chromium(path.get());
            } else {
                missing = "chromium is not on the PATH: " + why;
            }
        }
        if (found == null) {
            if ("true".equals(System.getenv("CI")) && root()) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        return found;
    }

    static Optional<Path> find() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Runs {@code apt-get install -y -qq chromium} as root; says what happened. */
    private static String install() {
        if (!root()) {
            return "not running as root to install it; apt-get install chromium";
        }
        if (Stream.of("/usr/bin/apt-get", "/bin/apt-get").noneMatch(p -> Files.isExecutable(Path.of(p)))) {
            return "no apt-get to install it with";
        }
        if (apt("install", "-y", "-qq", "chromium").isEmpty()) {
            return "";
        }
        apt("update", "-qq"); // a fresh image may have no package lists yet
        return apt("install", "-y", "-qq", "chromium");
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

    /** Runs Chromium on {@code url} with {@code extra} flags; its stdout. */
    private String run(URI url, String... extra) {
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
            p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
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
            return Files.readString(out, StandardCharsets.UTF_8);
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
