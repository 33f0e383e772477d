package dev.sluice.http;

import static dev.sluice.http.DirectExchange.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Precompressed siblings: name.br and name.gz, chosen by Accept-Encoding. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaticFilesPrecompressedTest {
    @TempDir
    Path tmp;
    SiteFixture site;
    StaticFiles files;

    @BeforeEach
    void build() throws IOException {
        site = SiteFixture.build(tmp);
        files = site.handler();
    }

    @Test
    void servesTheBrotliSiblingWhenAllowed() throws Exception {
        var r = get(files, "/app.js", "Accept-Encoding: gzip, deflate, br, zstd");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Encoding")).isEqualTo("br");
        assertThat(r.header("Content-Type")).as("the original's type").isEqualTo("text/javascript; charset=utf-8");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.body()).isEqualTo(SiteFixture.APP_JS_BR);
    }

    @Test
    void servesTheGzipSiblingWhenBrotliIsNotAllowed() throws Exception {
        var r = get(files, "/app.js", "Accept-Encoding: br;q=0, gzip");

        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(SiteFixture.APP_JS);
        }
        assertThat(get(files, "/only-gz.css", "Accept-Encoding: br, gzip").header("Content-Encoding"))
                .isEqualTo("gzip");
    }

    @Test
    void servesTheFileItselfWithVaryOtherwise() throws Exception {
        for (String[] fields : new String[][] {{}, {"Accept-Encoding: identity"}, {"Accept-Encoding: *;q=0"},
            {"Accept-Encoding: deflate"}, {"Accept-Encoding: br;q=0.1, identity;q=1"}}) {
            var r = get(files, "/app.js", fields);
            assertThat(r.header("Content-Encoding")).as(Arrays.toString(fields)).isNull();
            assertThat(r.header("Vary")).as(Arrays.toString(fields)).isEqualTo("Accept-Encoding");
            assertThat(r.bodyText()).isEqualTo(SiteFixture.APP_JS);
        }
        assertThat(get(files, "/only-gz.css", "Accept-Encoding: br").header("Content-Encoding")).isNull();
        assertThat(get(files, "/hello.txt", "Accept-Encoding: br, gzip").header("Vary")).isNull();
    }

    @Test
    void eachRepresentationHasItsOwnEtag() throws Exception {
        String identity = get(files, "/app.js").header("ETag");
        String br = get(files, "/app.js", "Accept-Encoding: br").header("ETag");
        String gzip = get(files, "/app.js", "Accept-Encoding: gzip").header("ETag");

        assertThat(identity).isNotEqualTo(br).isNotEqualTo(gzip);
        assertThat(br).isNotEqualTo(gzip);
        var notModified = get(files, "/app.js", "Accept-Encoding: br", "If-None-Match: " + br);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(get(files, "/app.js", "If-None-Match: " + br).status()).as("br tag, identity asked").isEqualTo(200);
        var failed = get(files, "/app.js", "Accept-Encoding: br", "If-Match: " + identity);
        assertThat(failed.status()).isEqualTo(412);
        assertThat(failed.header("Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void rangesApplyToTheCompressedBytes() throws Exception {
        var r = get(files, "/app.js", "Accept-Encoding: br", "Range: bytes=0-6");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Encoding")).isEqualTo("br");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 0-6/" + SiteFixture.APP_JS_BR.length);
        assertThat(r.body()).isEqualTo(Arrays.copyOf(SiteFixture.APP_JS_BR, 7));
    }

    @Test
    void headReportsTheSiblingsLength() throws Exception {
        var r = DirectExchange.send(files, "HEAD", "/app.js", "Accept-Encoding: br");

        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SiteFixture.APP_JS_BR.length));
    }

    @Test
    void canBeTurnedOff() throws Exception {
        StaticFiles off = site.handler(StaticFilesConfig.of(site.root).withPrecompressed(false));
        var r = get(off, "/app.js", "Accept-Encoding: br, gzip");

        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.header("Vary")).isNull();
        assertThat(r.bodyText()).isEqualTo(SiteFixture.APP_JS);
    }

    @Test
    void ignoresASiblingThatIsNotARegularFileOrLeadsOut() throws Exception {
        Files.createDirectories(site.root.resolve("hello.txt.br"));
        Files.createSymbolicLink(site.root.resolve("hello.txt.gz"), Path.of("../secret.txt"));
        var r = get(files, "/hello.txt", "Accept-Encoding: br, gzip");

        assertThat(r.header("Content-Encoding")).isNull();
        assertThat(r.bodyText()).isEqualTo(SiteFixture.HELLO);
    }

    @Test
    void servesTheIndexFilesSibling() throws Exception {
        Files.write(site.root.resolve("withindex/index.html.br"), new byte[] {1, 2, 3});

        var r = get(files, "/withindex/", "Accept-Encoding: br");
        assertThat(r.header("Content-Encoding")).isEqualTo("br");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.body()).containsExactly(1, 2, 3);
    }
}
