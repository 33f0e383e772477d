package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 2 GiB upload read as a stream and a 2 GiB stream response leave the server's resident memory
 * within 64 MiB of where it started, on every engine: the bodies pass through, they never gather.
 * The server runs in a process of its own ({@link StreamingServerMain}), with the JVM's defaults,
 * so its RSS is its own.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StreamingMemoryIT {
    static final long TWO_GIB = 2L << 30;
    static final long HEADROOM_KIB = 64 * 1024;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void twoGibibytesEachWayKeepTheServersMemoryFlat(Engine engine) throws Exception {
        Process server = new ProcessBuilder(List.of(javaLauncher(), "-cp", System.getProperty("java.class.path"),
                StreamingServerMain.class.getName(), engine.name())).redirectErrorStream(true).start();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            server.getOutputStream().close();
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the server's first line").startsWith("port ");
            URI base = URI.create("http://127.0.0.1:" + line.substring(5));
            Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { })); // its log, unread
            upload(client, base, 1 << 20); // the warm-up: the code paths and buffers a body needs
            download(client, base, 1 << 20);
            long start = rssKib(server);

            assertThat(upload(client, base, TWO_GIB)).isEqualTo(Long.toString(TWO_GIB));
            assertThat(rssKib(server)).as("RSS after the upload, KiB; %d at the start", start)
                    .isLessThanOrEqualTo(start + HEADROOM_KIB);
            assertThat(download(client, base, TWO_GIB)).isEqualTo(TWO_GIB);
            assertThat(rssKib(server)).as("RSS after the download, KiB; %d at the start", start)
                    .isLessThanOrEqualTo(start + HEADROOM_KIB);
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String upload(HttpClient client, URI base, long bytes) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(base.resolve("/upload"))
                .POST(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new StreamingServerMain.Zeros(bytes)),
                        bytes))
                .build();
        var response = client.send(request, BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static long download(HttpClient client, URI base, long bytes) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(base.resolve("/stream?bytes=" + bytes)).build();
        var response = client.send(request, BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream in = response.body()) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /** The resident set of {@code p}, in KiB, from {@code /proc}. */
    static long rssKib(Process p) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for " + p.pid());
    }

    static String javaLauncher() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
