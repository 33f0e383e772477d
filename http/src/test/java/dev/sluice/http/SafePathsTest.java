package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.SafePaths.RequestPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathsTest {

    @Test
    void splitsThenDecodesEachSegmentOnce() {
        assertThat(SafePaths.parse("/")).isEqualTo(new RequestPath(List.of(), true));
        assertThat(SafePaths.parse("/a/b.txt")).isEqualTo(new RequestPath(List.of("a", "b.txt"), false));
        assertThat(SafePaths.parse("/a%20b/")).isEqualTo(new RequestPath(List.of("a b"), true));
        assertThat(SafePaths.parse("/%C3%BC.txt")).isEqualTo(new RequestPath(List.of("\u00fc.txt"), false));
        assertThat(SafePaths.parse("/%252e%252e")).as("decoded once: a literal name")
                .isEqualTo(new RequestPath(List.of("%2e%2e"), false));
        assertThat(SafePaths.parse("/...")).as("three dots is a name").isEqualTo(new RequestPath(List.of("..."), false));
        assertThat(SafePaths.parse("/.env")).isEqualTo(new RequestPath(List.of(".env"), false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*", "a/b", "//", "//evil.com", "/a//b", "/a/./b", "/./", "/..", "/../x",
        "/a/..", "/%2e", "/%2E%2E", "/.%2e/x", "/%2e./x", "/a%2fb", "/a%2Fb", "/a%5cb", "/a\\b", "/%00",
        "/a%00.txt", "/a%0d%0a", "/a%09b", "/a%7f", "/%c0%ae%c0%ae", "/%e0%80%ae", "/%ed%a0%80", "/%ff",
        "/%c3", "/%2", "/%zz", "/\u00fc", "/a%c0%af"})
    void refusesPathsThatCouldLeaveTheRootOrAreMalformed(String raw) {
        assertThat(SafePaths.parse(raw)).as(raw).isNull();
    }

    @Test
    void findStaysBelowTheRootAndSkipsHiddenAndOutsideLinks(@TempDir Path tmp) throws IOException {
        SiteFixture site = SiteFixture.build(tmp);
        SafePaths paths = new SafePaths(site.root.toRealPath(), false, false);

        assertThat(paths.find(SafePaths.parse("/hello.txt"))).isNotNull();
        assertThat(paths.find(SafePaths.parse("/link-in")).real())
                .isEqualTo(site.root.toRealPath().resolve("hello.txt"));
        assertThat(paths.find(SafePaths.parse("/link-out"))).isNull();
        assertThat(paths.find(SafePaths.parse("/dirlink-out/secret.txt"))).isNull();
        assertThat(paths.find(SafePaths.parse("/.env"))).isNull();
        assertThat(paths.find(SafePaths.parse("/link-hidden"))).as("a link to a hidden file").isNull();
        assertThat(paths.find(SafePaths.parse("/missing"))).isNull();
        assertThat(paths.find(SafePaths.parse("/" + "x".repeat(5000)))).as("name too long").isNull();

        SafePaths open = new SafePaths(site.root.toRealPath(), true, true);
        assertThat(open.find(SafePaths.parse("/link-out"))).isNotNull();
        assertThat(open.find(SafePaths.parse("/.env"))).isNotNull();
    }

    @Test
    void findGivesTheRealPathAndAttributesWithOrWithoutLinksOnTheWay(@TempDir Path tmp) throws IOException {
        SiteFixture site = SiteFixture.build(tmp);
        Path realRoot = site.root.toRealPath();
        SafePaths paths = new SafePaths(realRoot, false, false);

        SafePaths.Found deep = paths.find(SafePaths.parse("/docs/sub/deep.txt"));
        assertThat(deep.real()).isEqualTo(realRoot.resolve("docs/sub/deep.txt"));
        assertThat(deep.attributes().isRegularFile()).isTrue();
        assertThat(deep.attributes().size()).isEqualTo("deep\n".length());
        SafePaths.Found root = paths.find(SafePaths.parse("/"));
        assertThat(root.real()).isEqualTo(realRoot);
        assertThat(root.attributes().isDirectory()).isTrue();
        // Through a link inside the root: the link's target, with the target's attributes.
        SafePaths.Found viaLink = paths.find(SafePaths.parse("/link-in"));
        assertThat(viaLink.attributes().isSymbolicLink()).isFalse();
        assertThat(viaLink.attributes().size()).isEqualTo(SiteFixture.HELLO.length());
        assertThat(paths.find(SafePaths.parse("/docs/missing/deep.txt"))).isNull();
    }
}
