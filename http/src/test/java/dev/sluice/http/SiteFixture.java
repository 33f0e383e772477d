package dev.sluice.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A site to serve, built in a temporary directory: {@code www/} is the root; beside it, outside
 * the root, lie the sentinel files no request may ever read. Every file is dated {@link #MTIME};
 * the handler's clock reads {@link #NOW}.
 *
 * <pre>
 * secret.txt              SENTINEL (outside the root)
 * outside/secret.txt      SENTINEL
 * www/hello.txt           "Hello, static world!\n"
 * www/data.bin            DATA_BYTES random bytes
 * www/empty.txt           ""
 * www/app.js (+ .br, .gz) script with precompressed siblings
 * www/only-gz.css (+ .gz) a gzip sibling only
 * www/docs/...            names that need escaping, a sub directory
 * www/withindex/index.html
 * www/.env, www/.git/config, www/.hidden-dir/x.txt   HIDDEN
 * www/link-in -> hello.txt, www/link-out -> ../secret.txt, www/dirlink-out -> ../outside,
 * www/link-hidden -> .env
 * </pre>
 */
final class SiteFixture {
    static final String SENTINEL = "SENTINEL-outside-the-root-7f3a";
    static final String HIDDEN = "HIDDEN-dotfile-contents-91c2";
    static final String HELLO = "Hello, static world!\n";
    static final String APP_JS = "console.log('app');\n".repeat(50);
    static final byte[] APP_JS_BR = "pretend-brotli-bytes".getBytes(StandardCharsets.US_ASCII);
    static final int DATA_BYTES = 100_000;
    static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");
    static final String MTIME_HTTP = "Tue, 02 Jan 2024 03:04:05 GMT";
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    /** Names the listing test needs; "/" cannot be in a file name, so the script tag is not closed. */
    static final String SCRIPT_NAME = "<script>alert(1)<script>.txt";
    static final String[] DOC_NAMES = {"a.txt", "B.txt", "with space.txt", "ünïcödé.txt", SCRIPT_NAME,
        "\"><img src=x onerror=alert(1)>.txt", "#hash.txt", "q?.txt", "100%.txt", "a&b.txt"};

    final Path base;
    final Path root;
    final byte[] data;

    private SiteFixture(Path base) {
        this.base = base;
        this.root = base.resolve("www");
        this.data = new byte[DATA_BYTES];
        new Random(42).nextBytes(data);
    }

    /** Builds the site under {@code base} (an empty temporary directory). */
    static SiteFixture build(Path base) throws IOException {
        SiteFixture site = new SiteFixture(base);
        site.create();
        return site;
    }

    /** Whether this JVM maps file names as UTF-8 (the Unicode names need it). */
    static boolean utf8FileNames() {
        return "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding", "UTF-8"));
    }

    StaticFiles handler(StaticFilesConfig config) {
        return StaticFiles.create(config, InstantSource.fixed(NOW));
    }

    StaticFiles handler() {
        return handler(StaticFilesConfig.of(root));
    }

    private void create() throws IOException {
        write(base.resolve("secret.txt"), SENTINEL);
        write(base.resolve("outside/secret.txt"), SENTINEL);
        write(root.resolve("hello.txt"), HELLO);
        Files.write(root.resolve("data.bin"), data);
        write(root.resolve("empty.txt"), "");
        write(root.resolve("app.js"), APP_JS);
        Files.write(root.resolve("app.js.br"), APP_JS_BR);
        Files.write(root.resolve("app.js.gz"), gzip(APP_JS));
        write(root.resolve("only-gz.css"), "body{color:red}\n");
        Files.write(root.resolve("only-gz.css.gz"), gzip("body{color:red}\n"));
        for (String name : DOC_NAMES) {
            if (utf8FileNames() || name.chars().allMatch(c -> c < 0x80)) {
                write(root.resolve("docs").resolve(name), "doc " + name + "\n");
            }
        }
        write(root.resolve("docs/sub/deep.txt"), "deep\n");
        write(root.resolve("docs/zeta dir/z.txt"), "z\n");
        write(root.resolve("withindex/index.html"), "<!doctype html><title>index</title>\n");
        write(root.resolve("withindex/other.txt"), "other\n");
        write(root.resolve(".env"), HIDDEN);
        write(root.resolve(".git/config"), HIDDEN);
        write(root.resolve(".hidden-dir/x.txt"), HIDDEN);
        Files.createSymbolicLink(root.resolve("link-in"), Path.of("hello.txt"));
        Files.createSymbolicLink(root.resolve("link-out"), Path.of("../secret.txt"));
        Files.createSymbolicLink(root.resolve("dirlink-out"), Path.of("../outside"));
        Files.createSymbolicLink(root.resolve("link-hidden"), Path.of(".env"));
        try (Stream<Path> all = Files.walk(base)) {
            all.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> touch(p, MTIME));
        }
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static void touch(Path p, Instant time) {
        try {
            Files.setLastModifiedTime(p, FileTime.from(time));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
