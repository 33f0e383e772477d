package dev.sluice.http;

import static dev.sluice.http.DirectExchange.get;
import static dev.sluice.http.DirectExchange.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files: headers, HEAD, methods, conditionals, hidden files, symbolic links. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaticFilesTest {
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
    void servesAFileWithTypeLengthAndValidators() throws Exception {
        var r = get(files, "/hello.txt");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(SiteFixture.HELLO);
        assertThat(r.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(SiteFixture.HELLO.length()));
        assertThat(r.header("ETag")).matches("\"[0-9a-f]+-15\"");
        assertThat(r.header("Last-Modified")).isEqualTo(SiteFixture.MTIME_HTTP);
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Cache-Control")).as("none unless configured").isNull();
        assertThat(r.header("Vary")).as("no sibling, no Vary").isNull();
    }

    @Test
    void sendsFilesAsAFileBodyNotBytes() throws Exception {
        HttpResponse r = files.handle(DirectExchange.request("GET", "/data.bin"));

        assertThat(r.file()).as("zero-copy file body").isNotNull();
        assertThat(r.body()).isNull();
        assertThat(get(files, "/data.bin").body()).isEqualTo(site.data);
    }

    @Test
    void answersHeadWithTheHeadOfGetAndNoBody() throws Exception {
        var get = get(files, "/data.bin");
        var head = send(files, "HEAD", "/data.bin");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(DirectExchange.fieldLines(head)).isEqualTo(DirectExchange.fieldLines(get));
    }

    @Test
    void servesAnEmptyFile() throws Exception {
        var r = get(files, "/empty.txt");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isEqualTo("0");
    }

    @Test
    void sendsCacheControlWhenConfigured() throws Exception {
        StaticFiles cached = site.handler(StaticFilesConfig.of(site.root).withCacheControl("max-age=3600"));
        String etag = get(cached, "/hello.txt").header("ETag");

        assertThat(get(cached, "/hello.txt").header("Cache-Control")).isEqualTo("max-age=3600");
        assertThat(get(cached, "/hello.txt", "If-None-Match: " + etag).header("Cache-Control"))
                .isEqualTo("max-age=3600");
        assertThat(get(cached, "/docs/").header("Cache-Control")).as("not on listings").isNull();
    }

    @Test
    void neverSendsALastModifiedInTheFuture() throws Exception {
        SiteFixture.touch(site.root.resolve("hello.txt"), SiteFixture.NOW.plusSeconds(86_400));

        assertThat(get(files, "/hello.txt").header("Last-Modified")).isEqualTo("Sun, 01 Jun 2025 00:00:00 GMT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"})
    void refusesOtherMethodsWith405(String method) throws Exception {
        var r = send(files, method, "/hello.txt");

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
        assertThat(r.bodyText()).doesNotContain("Hello");
    }

    @Test
    void answers304ForAMatchingIfNoneMatchOrIfModifiedSince() throws Exception {
        String etag = get(files, "/hello.txt").header("ETag");

        var byTag = get(files, "/hello.txt", "If-None-Match: W/" + etag);
        assertThat(byTag.status()).isEqualTo(304);
        assertThat(byTag.header("ETag")).isEqualTo(etag);
        assertThat(byTag.header("Content-Length")).isNull();
        assertThat(byTag.body()).isEmpty();
        assertThat(get(files, "/hello.txt", "If-None-Match: \"x\", " + etag).status()).isEqualTo(304);
        assertThat(get(files, "/hello.txt", "If-None-Match: *").status()).isEqualTo(304);
        assertThat(send(files, "HEAD", "/hello.txt", "If-None-Match: " + etag).status()).isEqualTo(304);
        assertThat(get(files, "/hello.txt", "If-Modified-Since: " + SiteFixture.MTIME_HTTP).status()).isEqualTo(304);
        assertThat(get(files, "/hello.txt", "If-Modified-Since: Monday, 01-Jan-24 00:00:00 GMT").status())
                .isEqualTo(200);
        assertThat(get(files, "/hello.txt", "If-None-Match: \"other\"",
                "If-Modified-Since: " + SiteFixture.MTIME_HTTP).status()).as("If-None-Match takes precedence")
                .isEqualTo(200);
    }

    @Test
    void answers412ForAFailedIfMatchOrIfUnmodifiedSince() throws Exception {
        String etag = get(files, "/hello.txt").header("ETag");

        assertThat(get(files, "/hello.txt", "If-Match: \"other\"").status()).isEqualTo(412);
        assertThat(get(files, "/hello.txt", "If-Match: W/" + etag).status()).isEqualTo(412);
        assertThat(get(files, "/hello.txt", "If-Match: " + etag).status()).isEqualTo(200);
        assertThat(get(files, "/hello.txt", "If-Match: *").status()).isEqualTo(200);
        assertThat(get(files, "/hello.txt", "If-Unmodified-Since: Mon, 01 Jan 2024 00:00:00 GMT").status())
                .isEqualTo(412);
        assertThat(get(files, "/hello.txt", "If-Unmodified-Since: " + SiteFixture.MTIME_HTTP).status())
                .isEqualTo(200);
        assertThat(get(files, "/hello.txt", "If-Match: \"other\"", "If-None-Match: " + etag).status())
                .as("412 before 304").isEqualTo(412);
    }

    @Test
    void aChangedFileGetsANewEtag() throws Exception {
        String before = get(files, "/hello.txt").header("ETag");
        Files.writeString(site.root.resolve("hello.txt"), "changed, same mtime, other size\n");
        SiteFixture.touch(site.root.resolve("hello.txt"), SiteFixture.MTIME);

        assertThat(get(files, "/hello.txt").header("ETag")).isNotEqualTo(before);
        assertThat(get(files, "/hello.txt", "If-None-Match: " + before).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.env", "/.git/config", "/.git/", "/.hidden-dir/x.txt", "/link-hidden",
        "/docs/../.env", "/%2eenv", "/.git"})
    void hidesDotFilesUnlessConfigured(String path) throws Exception {
        var r = get(files, path);

        assertThat(r.status()).as(path).isIn(400, 404);
        assertThat(r.bodyText()).doesNotContain(SiteFixture.HIDDEN);
    }

    @Test
    void servesDotFilesWhenShowHidden() throws Exception {
        StaticFiles shown = site.handler(StaticFilesConfig.of(site.root).withShowHidden(true));

        assertThat(get(shown, "/.env").bodyText()).isEqualTo(SiteFixture.HIDDEN);
        assertThat(get(shown, "/link-hidden").bodyText()).isEqualTo(SiteFixture.HIDDEN);
        assertThat(get(shown, "/").bodyText()).contains(".env");
    }

    @Test
    void followsLinksInsideTheRootOnly() throws Exception {
        assertThat(get(files, "/link-in").bodyText()).isEqualTo(SiteFixture.HELLO);
        assertThat(get(files, "/link-out").status()).isEqualTo(404);
        assertThat(get(files, "/dirlink-out/secret.txt").status()).isEqualTo(404);
        assertThat(get(files, "/dirlink-out/").status()).isEqualTo(404);
        assertThat(get(files, "/dirlink-out").status()).as("no redirect either").isEqualTo(404);
    }

    @Test
    void followsLinksOutWhenConfigured() throws Exception {
        StaticFiles open = site.handler(StaticFilesConfig.of(site.root).withFollowSymlinks(true));

        assertThat(get(open, "/link-out").bodyText()).isEqualTo(SiteFixture.SENTINEL);
        assertThat(get(open, "/dirlink-out/secret.txt").bodyText()).isEqualTo(SiteFixture.SENTINEL);
    }

    @Test
    void missingAndRefusedLookTheSame() throws Exception {
        var missing = get(files, "/no-such-file.txt");
        var outside = get(files, "/link-out");
        var hidden = get(files, "/.env");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(DirectExchange.fieldLines(outside)).isEqualTo(DirectExchange.fieldLines(missing));
        assertThat(DirectExchange.fieldLines(hidden)).isEqualTo(DirectExchange.fieldLines(missing));
        assertThat(outside.bodyText()).isEqualTo(missing.bodyText()).isEqualTo("Not Found\n");
    }

    @Test
    void aFileAskedForAsADirectoryIsNotFound() throws Exception {
        assertThat(get(files, "/hello.txt/").status()).isEqualTo(404);
        assertThat(get(files, "/hello.txt/x").status()).isEqualTo(404);
    }

    @Test
    void refusesFilesThatAreNeitherRegularNorDirectories() throws Exception {
        Path fifo = site.root.resolve("pipe");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo");
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");

        assertThat(get(files, "/pipe").status()).as("a FIFO would block a reader").isEqualTo(404);
        assertThat(get(files, "/").bodyText()).doesNotContain("pipe");
    }

    @Test
    void anUnreadableFileIsNotFound() throws Exception {
        Path file = site.root.resolve("locked.txt");
        Files.writeString(file, "locked");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(file), "running as a user who can read anything (root)");

        assertThat(get(files, "/locked.txt").status()).isEqualTo(404);
        assertThat(get(files, "/").bodyText()).doesNotContain("locked.txt");
    }

    @Test
    void servesTheFolderUnderARoutesMountPath() throws Exception {
        Router router = new Router().get("/static/*", files).get("/u/{id}/files/*", files);

        assertThat(get(router, "/static/hello.txt").bodyText()).isEqualTo(SiteFixture.HELLO);
        assertThat(get(router, "/static/docs/sub/deep.txt").bodyText()).isEqualTo("deep\n");
        assertThat(get(router, "/u/7/files/hello.txt").bodyText()).as("under a parameter").isEqualTo(SiteFixture.HELLO);
        assertThat(get(router, "/static/withindex/").bodyText()).contains("<title>index</title>");
        assertThat(get(router, "/static/").status()).as("the mount's root is the folder's listing").isEqualTo(200);
        assertThat(get(router, "/hello.txt").status()).as("outside the mount").isEqualTo(404);
        assertThat(get(router, "/static/../secret.txt").status()).as("no way out of the root").isEqualTo(400);
        assertThat(get(router, "/static/%2e%2e/secret.txt").status()).isEqualTo(400);
        assertThat(send(router, "HEAD", "/static/hello.txt").header("Content-Length"))
                .isEqualTo(String.valueOf(SiteFixture.HELLO.length()));
    }

    @Test
    void redirectsDirectoriesToTheirPathUnderTheMount() throws Exception {
        Router router = new Router().get("/static/*", files);

        Responses.Response bare = get(router, "/static?x=1");
        assertThat(bare.status()).isEqualTo(301);
        assertThat(bare.header("Location")).isEqualTo("/static/?x=1");
        Responses.Response dir = get(router, "/static/docs/sub");
        assertThat(dir.status()).isEqualTo(301);
        assertThat(dir.header("Location")).isEqualTo("/static/docs/sub/");
        assertThat(get(files, "/docs/sub").header("Location")).as("unmounted, as before").isEqualTo("/docs/sub/");
    }

    @Test
    void aSinglePageAppGetsItsShellForUnknownPathsABrowserNavigatesTo() throws Exception {
        Path app = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(app.resolve("index.html"), "<!doctype html><title>shell</title>\n");
        Files.writeString(app.resolve("main.js"), "boot()\n");
        StaticFiles spa = StaticFiles.create(StaticFilesConfig.of(app).withSinglePageApp(true));
        StaticFiles plain = StaticFiles.create(StaticFilesConfig.of(app));
        String browser = "Accept: text/html,application/xhtml+xml,*/*;q=0.8";

        var route = get(spa, "/users/42/settings", browser);
        assertThat(route.status()).isEqualTo(200);
        assertThat(route.bodyText()).contains("<title>shell</title>");
        assertThat(route.header("Content-Type")).startsWith("text/html");
        assertThat(get(spa, "/missing.js", "Accept: */*").status()).as("an asset").isEqualTo(404);
        assertThat(get(spa, "/missing.js").status()).as("no Accept").isEqualTo(404);
        assertThat(get(spa, "/main.js", browser).bodyText()).as("files win").isEqualTo("boot()\n");
        assertThat(send(spa, "POST", "/users/42", browser).status()).isEqualTo(405);
        assertThat(get(plain, "/users/42/settings", browser).status()).as("off by default").isEqualTo(404);

        Files.delete(app.resolve("index.html"));
        assertThat(get(spa, "/users/42/settings", browser).status()).as("no shell to send").isEqualTo(404);
    }

    @Test
    void errorPagesInTheFolderReplaceTheFixedTextAndKeepTheStatus() throws Exception {
        Path site = Files.createDirectories(tmp.resolve("pages"));
        Files.writeString(site.resolve("404.html"), "<h1>lost</h1>");
        Files.createDirectories(site.resolve("errors"));
        Files.writeString(site.resolve("errors/405.txt"), "not that way");
        Files.writeString(site.resolve(".secret.html"), "hidden");
        StaticFiles pages = StaticFiles.create(StaticFilesConfig.of(site).withErrorPages(
                java.util.Map.of(404, "404.html", 405, "errors/405.txt", 400, ".secret.html")));

        var missing = get(pages, "/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText()).isEqualTo("<h1>lost</h1>");
        assertThat(missing.header("Content-Type")).startsWith("text/html");
        var post = send(pages, "POST", "/nope");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.bodyText()).isEqualTo("not that way");
        assertThat(post.header("Allow")).as("the error's own fields stay").isEqualTo("GET, HEAD");
        assertThat(get(pages, "/a/../b").bodyText()).as("a hidden page is never read").isEqualTo("Bad Request\n");
        assertThat(StaticFiles.create(StaticFilesConfig.of(site)).handle(DirectExchange.request("GET", "/x"))
                .status()).as("404.html by default").isEqualTo(404);
        assertThat(get(StaticFiles.create(StaticFilesConfig.of(site)), "/x").bodyText()).isEqualTo("<h1>lost</h1>");

        Files.delete(site.resolve("404.html"));
        assertThat(get(pages, "/nope").bodyText()).as("no page: the fixed text").isEqualTo("Not Found\n");
    }
}
