package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** No request, however spelled, reads outside the root or a hidden file; none is a 500. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaticFilesTraversalTest {
    @TempDir
    Path tmp;
    SiteFixture site;

    @BeforeEach
    void build() throws IOException {
        site = SiteFixture.build(tmp);
    }

    static Stream<String> targets() {
        return TraversalCorpus.TARGETS.stream();
    }

    /** Every configuration that must still keep the sentinel out (links may not lead out). */
    private Stream<StaticFiles> handlers() {
        StaticFilesConfig base = StaticFilesConfig.of(site.root);
        return Stream.of(base, base.withListing(false), base.withIndexFile(null), base.withMaxRanges(0))
                .map(site::handler);
    }

    private static void assertRefused(String target, Responses.Response r) {
        assertThat(r.status()).as("status for %s", target).isIn(400, 404);
        String body = r.bodyText();
        for (String forbidden : TraversalCorpus.FORBIDDEN) {
            assertThat(body).as("body for %s", target).doesNotContain(forbidden);
        }
        assertThat(r.header("Location")).as("Location for %s", target).isNull();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void handlerRefusesTheTarget(String target) throws Exception {
        handlers().forEach(files -> {
            for (String method : new String[] {"GET", "HEAD"}) {
                try {
                    var r = DirectExchange.send(files, method, target, "Accept-Encoding: br, gzip",
                            "Range: bytes=0-");
                    assertRefused(method + " " + target, r);
                    assertThat(r.bodyText()).as(target).isIn("", "Bad Request\n", "Not Found\n");
                } catch (Exception e) {
                    throw new AssertionError("handler threw for " + target, e);
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("targets")
    void codecAndHandlerTogetherRefuseTheTarget(String target) {
        String request = "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
        Wire wire = Wire.run(HttpConfig.defaults(), site.handler(), request.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(wire.responses()).as(target).hasSize(1);
        assertRefused(target, wire.responses().get(0));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void absoluteFormTargetsAreRefusedToo(String target) {
        String request = "GET http://a" + target + " HTTP/1.1\r\nHost: a\r\n\r\n";
        Wire wire = Wire.run(HttpConfig.defaults(), site.handler(), request.getBytes(StandardCharsets.ISO_8859_1));

        assertRefused(target, wire.responses().get(0));
    }

    @Test
    void theCorpusIsLargeAndTheSentinelIsReallyThere() throws Exception {
        assertThat(TraversalCorpus.TARGETS).hasSizeGreaterThanOrEqualTo(40).doesNotHaveDuplicates();
        StaticFiles open = site.handler(StaticFilesConfig.of(site.root).withFollowSymlinks(true));
        assertThat(DirectExchange.get(open, "/link-out").bodyText()).as("control: the sentinel is readable")
                .isEqualTo(SiteFixture.SENTINEL);
    }

    @Test
    void listingsNeverShowWhatLiesOutside() throws Exception {
        String root = DirectExchange.get(site.handler(), "/").bodyText();

        assertThat(root).doesNotContain("secret").doesNotContain("outside");
    }
}
