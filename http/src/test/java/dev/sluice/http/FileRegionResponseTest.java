package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the codec writes for a file region or a segmented body. */
class FileRegionResponseTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String HEAD = "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n";

    @TempDir
    Path tmp;
    Path file;

    @BeforeEach
    void write() throws IOException {
        file = Files.writeString(tmp.resolve("f.txt"), "0123456789");
    }

    @Test
    void sendsTheRegionZeroCopyWithItsLength() {
        Wire wire = Wire.run(HttpConfig.defaults(),
                r -> HttpResponse.status(206).withFile(file, 2, 5), GET.getBytes(StandardCharsets.US_ASCII));

        var response = wire.responses().get(0);
        assertThat(response.header("Content-Length")).isEqualTo("5");
        assertThat(response.bodyText()).isEqualTo("23456");
        assertThat(wire.out.transfers).isEqualTo(1);
    }

    @Test
    void answersHeadWithTheRegionLength() {
        Wire wire = Wire.run(HttpConfig.defaults(),
                r -> HttpResponse.status(206).withFile(file, 2, 5), HEAD.getBytes(StandardCharsets.US_ASCII));

        assertThat(wire.output()).contains("Content-Length: 5\r\n").endsWith("\r\n\r\n");
        assertThat(wire.out.transfers).isZero();
    }

    @Test
    void sendsSegmentsInOrderWithTheirTotalLength() {
        List<BodySegment> segments = List.of(new BodySegment.Bytes("<".getBytes(StandardCharsets.US_ASCII)),
                new BodySegment.FileRegion(file, 0, 3), new BodySegment.Bytes("|".getBytes(StandardCharsets.US_ASCII)),
                new BodySegment.FileRegion(file, 8, 2), new BodySegment.FileRegion(file, 5, 0),
                new BodySegment.Bytes(">".getBytes(StandardCharsets.US_ASCII)));
        Wire wire = Wire.run(HttpConfig.defaults(), r -> HttpResponse.status(206).withSegments(segments),
                (GET + GET).getBytes(StandardCharsets.US_ASCII));

        assertThat(wire.responses()).hasSize(2).allSatisfy(response -> {
            assertThat(response.header("Content-Length")).isEqualTo("8");
            assertThat(response.bodyText()).isEqualTo("<012|89>");
        });
    }

    @Test
    void answers404WhenTheFileIsGoneAnd500WhenItShrank() throws IOException {
        HttpResponse region = HttpResponse.status(206).withFile(file, 0, 10);
        Files.writeString(file, "short");

        assertThat(Wire.run(HttpConfig.defaults(), r -> region, GET.getBytes(StandardCharsets.US_ASCII))
                .statuses()).containsExactly(500);
        Files.delete(file);
        assertThat(Wire.run(HttpConfig.defaults(), r -> region, GET.getBytes(StandardCharsets.US_ASCII))
                .statuses()).containsExactly(404);
    }

    @Test
    void refusesANegativeOrOverflowingRegion() {
        HttpResponse ok = HttpResponse.status(206);

        assertThatThrownBy(() -> ok.withFile(file, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withFile(file, 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withFile(file, Long.MAX_VALUE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withFile(null, 0, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aLaterBodyReplacesTheRegion() {
        HttpResponse r = HttpResponse.status(200).withFile(file, 0, 1).withBody("x");

        assertThat(r.segments()).isNull();
        assertThat(r.withFile(file).segments()).isNull();
    }
}
