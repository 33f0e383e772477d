package dev.sluice.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code sluice} process for the integration tests: {@code java -jar target/sluice.jar ARGS}
 * on the JVM running the tests, or any other command (the launcher). Collects stdout and stderr
 * line by line as they come, and renders both in {@link #transcript()} for failure messages.
 * Inherits the environment minus every {@code SLUICE_*} variable, plus those a test sets.
 */
final class SluiceProcess implements AutoCloseable {
    static final Duration EXIT_WAIT = Duration.ofSeconds(30);
    static final Path JAR = Path.of(System.getProperty("sluice.jar", "target/sluice.jar"))
            .toAbsolutePath();
    /** The cli module; failsafe runs there and sets {@code basedir}. */
    static final Path MODULE_DIR = Path.of(System.getProperty("basedir",
            System.getProperty("user.dir"))).toAbsolutePath();
    static final Path REPO_ROOT = MODULE_DIR.getParent();

    private final List<String> command;
    private final Process process;
    private final List<String> out = Collections.synchronizedList(new ArrayList<>());
    private final List<String> err = Collections.synchronizedList(new ArrayList<>());
    private final Thread outReader;
    private final Thread errReader;

    private SluiceProcess(List<String> command, Map<String, String> env, Path dir) {
        this.command = List.copyOf(command);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLUICE_"));
        pb.environment().putAll(env);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            process.getOutputStream().close(); // no stdin: as under CI
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        outReader = reader(process.getInputStream(), out, "stdout");
        errReader = reader(process.getErrorStream(), err, "stderr");
    }

    /** {@code java -jar sluice.jar args} with {@code env} added. */
    static SluiceProcess jar(Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        return new SluiceProcess(cmd, env, MODULE_DIR);
    }

    static SluiceProcess jar(String... args) {
        return jar(Map.of(), args);
    }

    /** Any command, in {@code dir}, with {@code env} added. */
    static SluiceProcess command(List<String> command, Map<String, String> env, Path dir) {
        return new SluiceProcess(command, env, dir);
    }

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static Thread reader(InputStream in, List<String> lines, String name) {
        return Thread.ofPlatform().daemon().name("sluice-test-" + name).start(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<<" + name + " read failed: " + e + ">>");
            }
        });
    }

    /**
     * Waits for a stdout line matching {@code pattern} and returns its match; fails, with the
     * transcript, if the process exits or {@code timeout} passes first.
     */
    Matcher awaitStdout(Pattern pattern, Duration timeout) {
        return awaitLine(this::stdout, outReader, pattern, timeout);
    }

    /** As {@link #awaitStdout}, for stderr. */
    Matcher awaitStderr(Pattern pattern, Duration timeout) {
        return awaitLine(this::stderr, errReader, pattern, timeout);
    }

    private Matcher awaitLine(java.util.function.Supplier<List<String>> stream, Thread reader,
                              Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            List<String> lines = stream.get();
            for (; seen < lines.size(); seen++) {
                Matcher m = pattern.matcher(lines.get(seen));
                if (m.matches()) {
                    return m;
                }
            }
            if (!process.isAlive() && !reader.isAlive() && seen == stream.get().size()) {
                return fail("exited with %d before printing a line matching %s%n%s",
                        process.exitValue(), pattern, transcript());
            }
            if (System.nanoTime() - deadline > 0) {
                return fail("no line matching %s within %s%n%s", pattern, timeout, transcript());
            }
            sleep(10);
        }
    }

    /** Waits for the process to exit and its output to be read; fails if it takes too long. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return fail("still running after %s%n%s", timeout, transcript());
            }
            outReader.join(5_000);
            errReader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    int awaitExit() {
        return awaitExit(EXIT_WAIT);
    }

    /**
     * Sends SIGTERM, as {@link Process#destroy()} does on Linux, but through the process handle:
     * {@code Process.destroy()} also closes our ends of the pipes, losing what the process prints
     * while it shuts down.
     */
    void sigterm() {
        process.toHandle().destroy();
    }

    /** Sends SIGINT, as Ctrl-C does, with kill(1). */
    void sigint() {
        signal("INT");
    }

    /** Sends the signal {@code name} ({@code HUP}, {@code INT}) with kill(1). */
    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                fail("kill -%s %d failed%n%s", name, process.pid(), transcript());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The process's resident memory, in KiB, from Linux's /proc/PID/status. */
    long rssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + process.pid());
    }

    /**
     * Whether the process started with SIGINT ignored, as the children of a background job of a
     * non-interactive shell do: then the JVM rightly leaves it ignored. Reads Linux's
     * /proc/PID/status; false where that cannot be read.
     */
    boolean ignoresSigint() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()),
                    "status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (mask & (1L << (2 - 1))) != 0; // bit N-1 for signal N; SIGINT is 2
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    List<String> stdout() {
        synchronized (out) {
            return List.copyOf(out);
        }
    }

    List<String> stderr() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    /** The command and everything it printed so far, for a failure message. */
    String transcript() {
        StringBuilder sb = new StringBuilder("$ ").append(String.join(" ", command));
        if (!process.isAlive()) {
            sb.append("\nexit code: ").append(process.exitValue());
        }
        sb.append("\n--- stdout ---\n");
        stdout().forEach(l -> sb.append(l).append('\n'));
        sb.append("--- stderr ---\n");
        stderr().forEach(l -> sb.append(l).append('\n'));
        return sb.append("--------------").toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
