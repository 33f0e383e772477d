package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoakRequestTest {
    private static final byte[] BIG = {10, 11, 12, 13, 14, 15, 16, 17};
    private static final SoakRequest RANGE = new SoakRequest("GET", "/big.bin", "bytes=2-4", 206, BIG, 2, 5, null);

    private static HttpReply reply(int status, Map<String, String> headers, byte... body) {
        return new HttpReply(status, headers, body);
    }

    @Test
    void acceptsTheRightRange() {
        assertThat(RANGE.check(reply(206, Map.of("content-range", "bytes 2-4/8"), (byte) 12, (byte) 13, (byte) 14)))
                .isNull();
    }

    @Test
    void rejectsAShiftedRangeAWrongContentRangeAndAWrongStatus() {
        assertThat(RANGE.check(reply(206, Map.of("content-range", "bytes 2-4/8"), (byte) 13, (byte) 14, (byte) 15)))
                .startsWith("body:");
        assertThat(RANGE.check(reply(206, Map.of("content-range", "bytes 3-5/8"), (byte) 12, (byte) 13, (byte) 14)))
                .startsWith("content-range: got bytes 3-5/8; want bytes 2-4/8");
        assertThat(RANGE.check(reply(200, Map.of(), BIG))).startsWith("status: got 200; want 206");
    }

    @Test
    void everyPickedRequestIsWellFormed() {
        SoakFiles files = new SoakFiles(List.of(new byte[0], new byte[] {1}), new byte[SoakFiles.BIG_BYTES]);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 1_000; i++) {
            SoakRequest r = SoakRequest.pick(random, files);
            String text = new String(r.bytes(i % 2 == 0), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith(r.method() + " /").endsWith("\r\n\r\n");
            if (r.range() != null) {
                assertThat(r.from()).isBetween(0, r.to() - 1);
                assertThat(r.to()).isLessThanOrEqualTo(SoakFiles.BIG_BYTES);
            }
        }
    }
}
