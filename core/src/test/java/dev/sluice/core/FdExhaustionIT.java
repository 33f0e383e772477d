package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When the process runs out of file descriptors, the server sheds load: the acceptor logs once and
 * backs off instead of spinning (the child's CPU time stays low), newcomers wait in the backlog,
 * connections already admitted go on being served, and once descriptors return the server serves
 * again and holds no more descriptors than before. The server runs in a child JVM whose open-file
 * limit is lowered with {@code prlimit}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FdExhaustionIT {
    private static final int FD_LIMIT = 160;

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void acceptBacksOffLogsOnceAndRecovers(Engine engine) throws Exception {
        Path err = Files.createTempFile("sluice-fd", ".log");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder("prlimit", "--nofile=" + FD_LIMIT + ":" + FD_LIMIT, javaBin,
                "-cp", System.getProperty("java.class.path"), EchoMain.class.getName(), engine.cliName())
                .redirectError(err.toFile()).start();
        List<Socket> sockets = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("child said: %s; stderr: %s", first, Files.readString(err)).startsWith("port ");
            int port = Integer.parseInt(first.substring(5).trim());
            Socket admitted = new Socket();
            admitted.setSoTimeout(10_000);
            admitted.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            assertThat(echo(admitted, "warm")).isEqualTo("warm");
            long fdsBefore = fds(child);
            List<String> targetsBefore = fdTargets(child);
            for (int i = 0; i < FD_LIMIT + 40; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                sockets.add(s); // the kernel completes the handshake even when accept cannot
            }
            assertThat(Clients.await(() -> log(err).contains("fd_exhausted"), java.time.Duration.ofSeconds(10)))
                    .as("stderr: %s", log(err)).isTrue();
            // Several back-off rounds while still exhausted: a spinning acceptor would burn a core.
            long cpuBefore = cpuMillis(child);
            long wallBefore = System.nanoTime();
            Thread.sleep(1_000);
            long cpu = cpuMillis(child) - cpuBefore;
            long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - wallBefore);
            System.out.printf("fd exhaustion %s: child CPU %d ms in %d ms%n", engine.cliName(), cpu, wall);
            assertThat(cpu).as("child CPU ms in %d ms of exhaustion; stderr: %s", wall, log(err))
                    .isLessThan(wall / 2);
            assertThat(echo(admitted, "still served"))
                    .as("a connection admitted before the exhaustion; stderr: %s", log(err))
                    .isEqualTo("still served");
            admitted.close();
            for (Socket s : sockets) {
                s.close();
            }
            try (Socket s = new Socket()) {
                s.setSoTimeout(10_000);
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                s.getOutputStream().write("back".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                        .as("served after recovery; stderr: %s", log(err)).isEqualTo("back");
            }
            assertThat(Clients.await(() -> fds(child) <= fdsBefore, java.time.Duration.ofSeconds(10)))
                    .as("child descriptors after recovery: got %d %s; want <= %d %s", fds(child),
                            fdTargets(child), fdsBefore, targetsBefore)
                    .isTrue();
            String log = log(err);
            assertThat(log.split("fd_exhausted", -1)).as("logged once: %s", log).hasSize(2);
            assertThat(log).doesNotContain("Exception in thread");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            Files.deleteIfExists(err);
        }
    }

    private static String echo(Socket s, String text) throws java.io.IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        return new String(s.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
    }

    /**
     * The child's open descriptors but epoll instances: the JDK makes the pollers of virtual
     * threads lazily, when enough of them first wait at once, and keeps them for good.
     */
    private static long fds(Process child) {
        return fdTargets(child).stream().filter(t -> !t.equals("anon_inode:[eventpoll]")).count();
    }

    /** What the child's descriptors point at (a child of ours, same user: /proc lets us look). */
    private static List<String> fdTargets(Process child) {
        try (var fds = Files.list(Path.of("/proc/" + child.pid() + "/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (java.io.IOException e) {
                    return "closed";
                }
            }).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of("unreadable: " + e);
        }
    }

    /** The child's user plus system CPU time, from /proc/PID/stat (fields 14 and 15, in ticks). */
    private static long cpuMillis(Process child) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + child.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return ticks * 1000 / 100; // USER_HZ is 100 on Linux
    }

    private static String log(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
