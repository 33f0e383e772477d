package dev.sluice.http;

import static dev.sluice.http.DirectExchange.get;
import static dev.sluice.http.DirectExchange.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gzip made on the fly: who gets it, its validators, Vary, ranges, and the stream itself. */
class StaticFilesCompressionTest {
    private static final String GZIP = "Accept-Encoding: gzip, deflate, br;q=0";

    @TempDir
    Path root;
    String text;
    StaticFiles files;

    @BeforeEach
    void build() throws IOException {
        text = "console.log('a line of a script that repeats');\n".repeat(200);
        Files.writeString(root.resolve("app.js"), text);
        Files.writeString(root.resolve("tiny.css"), "body{}\n");
        byte[] png = new byte[4000];
        new Random(3).nextBytes(png);
        Files.write(root.resolve("logo.png"), png);
        files = StaticFiles.create(StaticFilesConfig.of(root));
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    @Test
    void sendsTextGzippedToAClientThatTakesGzip() throws Exception {
        var r = get(files, "/app.js", GZIP);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.header("Content-Type")).startsWith("text/javascript");
        assertThat(r.header("ETag")).endsWith("-gzip\"");
        assertThat(r.body().length).as("smaller").isLessThan(text.length() / 4);
        assertThat(new String(gunzip(r.body()), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void sendsTheFileItselfOtherwiseSayingItVaries() throws Exception {
        var plain = get(files, "/app.js");
        var refused = get(files, "/app.js", "Accept-Encoding: gzip;q=0, identity");

        for (var r : java.util.List.of(plain, refused)) {
            assertThat(r.header("Content-Encoding")).isNull();
            assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(r.header("ETag")).doesNotEndWith("-gzip\"");
            assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(text.length()));
            assertThat(r.bodyText()).isEqualTo(text);
        }
    }

    @Test
    void aRangeAlwaysGetsTheFilesOwnBytes() throws Exception {
        var r = get(files, "/app.js", GZIP, "Range: bytes=0-9");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.bodyText()).isEqualTo(text.substring(0, 10));
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void theGzipETagRevalidatesTheGzipAnswer() throws Exception {
        String etag = get(files, "/app.js", GZIP).header("ETag");

        var again = get(files, "/app.js", GZIP, "If-None-Match: " + etag);
        var identity = get(files, "/app.js", "If-None-Match: " + etag);

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(identity.status()).as("another representation").isEqualTo(200);
    }

    @Test
    void leavesSmallFilesCompressedTypesAndAnOffSwitchAlone() throws Exception {
        var tiny = get(files, "/tiny.css", GZIP);
        var png = get(files, "/logo.png", GZIP);
        var off = get(StaticFiles.create(StaticFilesConfig.of(root).withCompress(false)), "/app.js", GZIP);

        for (var r : java.util.List.of(tiny, png, off)) {
            assertThat(r.header("Content-Encoding")).isNull();
            assertThat(r.header("Vary")).isNull();
        }
        assertThat(off.bodyText()).isEqualTo(text);
    }

    @Test
    void headGetsTheGzipFieldsAndNoBody() throws Exception {
        var r = send(files, "HEAD", "/app.js", GZIP);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.body()).isEmpty();
    }

    @Test
    void theStreamIsGzipOfAnyFileAndOpensNothingUntilRead() throws Exception {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 1023, 16 * 1024, 300_000}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + i % 7);
            }
            Path f = Files.write(root.resolve("data-" + size), data);
            byte[] gz;
            try (GzipFileStream in = new GzipFileStream(f)) {
                gz = in.readAllBytes();
            }
            assertThat(gunzip(gz)).as("%d bytes", size).isEqualTo(data);
        }
        new GzipFileStream(root.resolve("does-not-exist")).close();
    }
}
