package dev.sluice.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool (curl, openssl) to its end, within 30 s, and keeps what it printed. */
final class Tools {
    private Tools() {
    }

    /** The exit code and stdout with stderr. */
    record Result(int exit, String out) {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        return runWithInput("", command);
    }

    static Result runWithInput(String input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 30 s: " + out);
        }
        return new Result(p.exitValue(), out);
    }
}
