package dev.sluice.http;

import static dev.sluice.http.DirectExchange.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Range requests: 206, multipart/byteranges, 416, If-Range, and what is ignored. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StaticFilesRangeTest {
    private static final int SIZE = SiteFixture.DATA_BYTES;

    @TempDir
    Path tmp;
    SiteFixture site;
    StaticFiles files;

    @BeforeEach
    void build() throws IOException {
        site = SiteFixture.build(tmp);
        files = site.handler();
    }

    private byte[] slice(long first, long last) {
        return Arrays.copyOfRange(site.data, (int) first, (int) last + 1);
    }

    @Test
    void answersOneRangeWith206AndContentRange() throws Exception {
        var r = get(files, "/data.bin", "Range: bytes=10-19");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 10-19/" + SIZE);
        assertThat(r.header("Content-Length")).isEqualTo("10");
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.header("ETag")).isEqualTo(get(files, "/data.bin").header("ETag"));
        assertThat(r.body()).isEqualTo(slice(10, 19));
    }

    @Test
    void sendsARangeAsAFileRegion() throws Exception {
        HttpResponse r = files.handle(DirectExchange.request("GET", "/data.bin", "Range: bytes=1000-"));

        assertThat(r.segments()).singleElement().isEqualTo(
                new BodySegment.FileRegion(site.root.toRealPath().resolve("data.bin"), 1000, SIZE - 1000));
    }

    @Test
    void answersSuffixAndOpenRanges() throws Exception {
        var suffix = get(files, "/data.bin", "Range: bytes=-100");
        var open = get(files, "/data.bin", "Range: bytes=99000-");
        var beyond = get(files, "/data.bin", "Range: bytes=-999999");

        assertThat(suffix.header("Content-Range")).isEqualTo("bytes 99900-99999/" + SIZE);
        assertThat(suffix.body()).isEqualTo(slice(SIZE - 100, SIZE - 1));
        assertThat(open.header("Content-Range")).isEqualTo("bytes 99000-99999/" + SIZE);
        assertThat(open.body()).isEqualTo(slice(99000, SIZE - 1));
        assertThat(beyond.header("Content-Range")).isEqualTo("bytes 0-99999/" + SIZE);
        assertThat(beyond.body()).isEqualTo(site.data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=100000-", "bytes=200000-300000", "bytes=-0"})
    void answers416WhenNothingIsSatisfiable(String range) throws Exception {
        var r = get(files, "/data.bin", "Range: " + range);

        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */" + SIZE);
    }

    @Test
    void anyRangeOfAnEmptyFileIs416() throws Exception {
        assertThat(get(files, "/empty.txt", "Range: bytes=0-").header("Content-Range")).isEqualTo("bytes */0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=5-1", "bytes=abc", "items=0-1", "bytes=", "0-10", "bytes=1-2-3"})
    void ignoresARangeWithInvalidSyntax(String range) throws Exception {
        var r = get(files, "/data.bin", "Range: " + range);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(site.data);
    }

    @Test
    void answersSeveralRangesAsMultipartByteranges() throws Exception {
        var r = get(files, "/data.bin", "Range: bytes=0-9, 5000-5999, -10");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isNull();
        String boundary = MultipartReader.boundary(r.header("Content-Type"));
        List<MultipartReader.Part> parts = MultipartReader.parse(r.body(), boundary);
        assertThat(parts).hasSize(3);
        for (MultipartReader.Part part : parts) {
            assertThat(part.fields()).containsEntry("content-type", "application/octet-stream");
            assertThat(part.size()).isEqualTo(SIZE);
            assertThat(part.body()).isEqualTo(slice(part.first(), part.last()));
        }
        assertThat(parts.stream().map(MultipartReader.Part::first)).containsExactly(0L, 5000L, SIZE - 10L);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(r.body().length));
    }

    @Test
    void drawsARandomBoundaryForEachMultipartResponse() throws Exception {
        Set<String> boundaries = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            boundaries.add(MultipartReader.boundary(get(files, "/data.bin", "Range: bytes=0-0,2-2").header("Content-Type")));
        }
        assertThat(boundaries).hasSize(20);
    }

    @Test
    void aSingleSatisfiableRangeAmongSeveralIsNotMultipart() throws Exception {
        var r = get(files, "/data.bin", "Range: bytes=0-9,200000-300000");

        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 0-9/" + SIZE);
        assertThat(r.body()).isEqualTo(slice(0, 9));
    }

    @Test
    void sendsTheWholeFileForMoreThanMaxRangesOrOverlappingRanges() throws Exception {
        String sixteen = IntStream.range(0, 16).mapToObj(i -> i * 100 + "-" + (i * 100 + 9))
                .collect(Collectors.joining(","));

        assertThat(get(files, "/data.bin", "Range: bytes=" + sixteen).status()).isEqualTo(206);
        assertThat(get(files, "/data.bin", "Range: bytes=" + sixteen + ",9000-9009").status()).isEqualTo(200);
        assertThat(get(files, "/data.bin", "Range: bytes=0-,0-,0-,0-").status()).isEqualTo(200);
        assertThat(get(files, "/data.bin", "Range: bytes=0-999,500-1500").status()).isEqualTo(200);
    }

    @Test
    void honoursIfRangeOnlyForTheCurrentValidator() throws Exception {
        String etag = get(files, "/data.bin").header("ETag");

        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "If-Range: " + etag).status()).isEqualTo(206);
        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "If-Range: \"old\"").status()).isEqualTo(200);
        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "If-Range: W/" + etag).status()).isEqualTo(200);
        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "If-Range: " + SiteFixture.MTIME_HTTP).status())
                .isEqualTo(206);
        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "If-Range: Mon, 01 Jan 2024 00:00:00 GMT").status())
                .isEqualTo(200);
        assertThat(get(files, "/data.bin", "If-Range: " + etag).status()).as("If-Range alone").isEqualTo(200);
    }

    @Test
    void headAndRepeatedRangeFieldsIgnoreRange() throws Exception {
        var head = DirectExchange.send(files, "HEAD", "/data.bin", "Range: bytes=0-9");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(SIZE));
        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "Range: bytes=10-19").status()).isEqualTo(200);
    }

    @Test
    void conditionalsComeBeforeRange() throws Exception {
        String etag = get(files, "/data.bin").header("ETag");

        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "If-None-Match: " + etag).status()).isEqualTo(304);
        assertThat(get(files, "/data.bin", "Range: bytes=0-9", "If-Match: \"x\"").status()).isEqualTo(412);
    }

    @Test
    void maxRangesZeroTurnsRangesOff() throws Exception {
        StaticFiles off = site.handler(StaticFilesConfig.of(site.root).withMaxRanges(0));
        var r = get(off, "/data.bin", "Range: bytes=0-9");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Accept-Ranges")).isEqualTo("none");
    }

    @Test
    void maxRangesOneAllowsSingleRangesOnly() throws Exception {
        StaticFiles single = site.handler(StaticFilesConfig.of(site.root).withMaxRanges(1));

        assertThat(get(single, "/data.bin", "Range: bytes=0-9").status()).isEqualTo(206);
        assertThat(get(single, "/data.bin", "Range: bytes=0-9,20-29").status()).isEqualTo(200);
    }
}
