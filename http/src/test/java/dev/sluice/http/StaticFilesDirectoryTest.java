package dev.sluice.http;

import static dev.sluice.http.DirectExchange.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Directories: redirects, index files, listings. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaticFilesDirectoryTest {
    private static final Pattern HREF = Pattern.compile("<a href=\"([^\"]*)\">([^<]*)</a>");

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
    void redirectsADirectoryWithoutTheSlashKeepingTheQuery() throws Exception {
        var r = get(files, "/docs");

        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/docs/");
        assertThat(get(files, "/docs?sort=name&x=%20").header("Location")).isEqualTo("/docs/?sort=name&x=%20");
        assertThat(get(files, "/docs/zeta%20dir").header("Location")).isEqualTo("/docs/zeta%20dir/");
    }

    @Test
    void neverRedirectsToAnotherHost() throws Exception {
        Files.createDirectories(site.root.resolve("evil.com"));

        assertThat(get(files, "/evil.com").header("Location")).isEqualTo("/evil.com/");
        for (String path : new String[] {"//evil.com", "//evil.com/", "///evil.com", "/\\evil.com",
            "/%2fevil.com", "/%5cevil.com", "/%2F%2Fevil.com", "//evil.com?x", "/.//evil.com"}) {
            var r = get(files, path);
            assertThat(r.status()).as(path).isIn(400, 404);
            assertThat(r.header("Location")).as(path).isNull();
        }
    }

    @Test
    void servesTheIndexFileOfADirectory() throws Exception {
        var r = get(files, "/withindex/");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).contains("<title>index</title>");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("ETag")).isNotNull();
        assertThat(get(files, "/withindex").header("Location")).isEqualTo("/withindex/");
    }

    @Test
    void listsWhenThereIsNoIndexFile() throws Exception {
        StaticFiles noIndex = site.handler(StaticFilesConfig.of(site.root).withIndexFile(null));

        assertThat(get(noIndex, "/withindex/").bodyText()).contains("index.html").contains("other.txt");
    }

    @Test
    void answers404ForADirectoryWhenListingIsOff() throws Exception {
        StaticFiles unlisted = site.handler(StaticFilesConfig.of(site.root).withListing(false));

        assertThat(get(unlisted, "/docs/").status()).isEqualTo(404);
        assertThat(get(unlisted, "/withindex/").status()).as("index still served").isEqualTo(200);
    }

    @Test
    void listsDirectoriesFirstThenFilesByName() throws Exception {
        var r = get(files, "/docs/");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("Content-Security-Policy")).contains("default-src 'none'");
        String html = r.bodyText();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Index of /docs/</title>");
        assertThat(html).doesNotContain("<script");
        Matcher m = HREF.matcher(html);
        StringBuilder order = new StringBuilder();
        while (m.find()) {
            order.append(m.group(2)).append('|');
        }
        assertThat(order.toString()).startsWith("../|sub/|zeta dir/|")
                .contains("|a&amp;b.txt|a.txt|B.txt|");
    }

    @Test
    void escapesNamesInTextAndEncodesThemInLinks() throws Exception {
        String html = get(files, "/docs/").bodyText();

        assertThat(html).contains("<a href=\"./%3Cscript%3Ealert%281%29%3Cscript%3E.txt\">"
                + "&lt;script&gt;alert(1)&lt;script&gt;.txt</a>");
        assertThat(html).contains("<a href=\"./%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt\">"
                + "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.txt</a>");
        assertThat(html).contains("<a href=\"./with%20space.txt\">with space.txt</a>");
        assertThat(html).contains("<a href=\"./%23hash.txt\">#hash.txt</a>");
        assertThat(html).contains("<a href=\"./q%3F.txt\">q?.txt</a>");
        assertThat(html).contains("<a href=\"./100%25.txt\">100%.txt</a>");
        assertThat(html).contains("<a href=\"./zeta%20dir/\">zeta dir/</a>");
        if (SiteFixture.utf8FileNames()) {
            assertThat(html).contains("<a href=\"./%C3%BCn%C3%AFc%C3%B6d%C3%A9.txt\">\u00fcn\u00efc\u00f6d\u00e9.txt</a>");
        }
    }

    @Test
    void everyLinkInAListingLeadsToItsFile() throws Exception {
        String html = get(files, "/docs/").bodyText();
        Matcher m = HREF.matcher(html);
        int files = 0;
        while (m.find()) {
            String href = m.group(1);
            if (href.endsWith(".txt")) {
                var r = get(this.files, "/docs/" + href.substring(2));
                assertThat(r.status()).as(href).isEqualTo(200);
                assertThat(r.bodyText()).as(href).startsWith("doc ");
                files++;
            }
        }
        assertThat(files).isGreaterThanOrEqualTo(9);
    }

    @Test
    void showsSizesDatesAndCounts() throws Exception {
        String html = get(files, "/").bodyText();

        assertThat(html).contains("97.7 KiB").contains("21 B").contains("2024-01-02 03:04")
                .contains("datetime=\"2024-01-02T03:04:05Z\"");
        assertThat(DirectoryListing.size(0)).isEqualTo("0 B");
        assertThat(DirectoryListing.size(1023)).isEqualTo("1023 B");
        assertThat(DirectoryListing.size(1536)).isEqualTo("1.5 KiB");
        assertThat(DirectoryListing.size(5L << 30)).isEqualTo("5.0 GiB");
        assertThat(DirectoryListing.size(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void linksToTheParentExceptAtTheRoot() throws Exception {
        assertThat(get(files, "/").bodyText()).doesNotContain("href=\"../\"").contains("<title>Index of /</title>");
        assertThat(get(files, "/docs/sub/").bodyText()).contains("<a href=\"../\">../</a>");
    }

    @Test
    void leavesOutHiddenEntriesAndLinksThatLeadOut() throws Exception {
        String html = get(files, "/").bodyText();

        assertThat(html).contains("hello.txt").contains("link-in");
        assertThat(html).doesNotContain(".env").doesNotContain(".git").doesNotContain(".hidden-dir")
                .doesNotContain("link-out").doesNotContain("dirlink-out").doesNotContain("link-hidden");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/docs/", "/"})
    void answersHeadOfAListingWithoutBody(String path) throws Exception {
        var head = DirectExchange.send(files, "HEAD", path);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length")).isEqualTo(get(files, path).header("Content-Length"));
    }

    @Test
    void escapesTheDirectoryNameInTheTitle() throws Exception {
        Files.createDirectories(site.root.resolve("<b>&dir"));

        assertThat(get(files, "/%3Cb%3E%26dir/").bodyText()).contains("<title>Index of /&lt;b&gt;&amp;dir/</title>")
                .doesNotContain("<b>");
    }

    @Test
    void listsAsJsonForAClientThatAsksForJsonAndNotHtml() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("json"));
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("a\"b\\c.txt"), "12345");
        Files.writeString(dir.resolve(".hidden"), "x");
        java.nio.file.attribute.FileTime t = java.nio.file.attribute.FileTime.from(
                java.time.Instant.parse("2028-02-29T23:59:59.750Z"));
        Files.setLastModifiedTime(dir.resolve("sub"), t);
        Files.setLastModifiedTime(dir.resolve("a\"b\\c.txt"), t);
        StaticFiles json = StaticFiles.create(StaticFilesConfig.of(dir));

        var r = get(json, "/", "Accept: application/json");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.header("Vary")).isEqualTo("Accept");
        assertThat(r.bodyText()).isEqualTo("{\"path\":\"/\",\"entries\":[\n"
                + "{\"name\":\"sub\",\"type\":\"directory\",\"modified\":\"2028-02-29T23:59:59Z\",\"href\":\"./sub/\"},\n"
                + "{\"name\":\"a\\\"b\\\\c.txt\",\"type\":\"file\",\"size\":5,\"modified\":\"2028-02-29T23:59:59Z\","
                + "\"href\":\"./a%22b%5Cc.txt\"}]}\n");
        assertThat(get(json, "/sub/", "Accept: application/json").bodyText())
                .isEqualTo("{\"path\":\"/sub/\",\"entries\":[]}\n");
        var page = get(json, "/", "Accept: text/html,application/json;q=0.9");
        assertThat(page.header("Content-Type")).as("a browser").startsWith("text/html");
        assertThat(page.header("Vary")).isEqualTo("Accept");
    }
}
