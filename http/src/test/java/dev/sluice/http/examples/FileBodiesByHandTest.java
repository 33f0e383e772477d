package dev.sluice.http.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.Codec;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.http.BodySegment;
import dev.sluice.http.CapturingOutput;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpRequest;
import dev.sluice.http.HttpResponse;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user outside {@code dev.sluice.http} can write what {@code StaticFiles} does with ranges: the
 * public API has file regions and segmented bodies (this class compiles only if it does).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FileBodiesByHandTest {
    private static final String GET = "GET /f HTTP/1.1\r\nHost: h\r\n\r\n";

    @Test
    void aHandWrittenMultipartByterangesBodyGoesOutWhole(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f.txt"), "0123456789");
        byte[] first = "--b\r\nContent-Range: bytes 0-1/10\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "\r\n--b\r\nContent-Range: bytes 7-9/10\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII);
        HttpResponse response = HttpResponse.status(206)
                .withHeader("Content-Type", "multipart/byteranges; boundary=b")
                .withSegments(List.of(new BodySegment.Bytes(first), new BodySegment.FileRegion(file, 0, 2),
                        new BodySegment.Bytes(second), new BodySegment.FileRegion(file, 7, 3),
                        new BodySegment.Bytes(end)));

        String wire = exchange(response);

        String body = "--b\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
                + "\r\n--b\r\nContent-Range: bytes 7-9/10\r\n\r\n789\r\n--b--\r\n";
        assertThat(wire).as("got %s", wire).startsWith("HTTP/1.1 206 ")
                .contains("\r\nContent-Length: " + body.length() + "\r\n")
                .endsWith("\r\n\r\n" + body);
    }

    @Test
    void aFileRegionIsValidatedWhenMadeAndANullSegmentRefused(@TempDir Path tmp) {
        Path file = tmp.resolve("f.txt");
        assertThatThrownBy(() -> new BodySegment.FileRegion(file, 5, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length -1");
        assertThatThrownBy(() -> HttpResponse.status(200).withSegments(Arrays.asList((BodySegment) null)))
                .isInstanceOf(NullPointerException.class);
        assertThat(new BodySegment.FileRegion(file, 5, 3).length()).isEqualTo(3);
        assertThat(new BodySegment.Bytes(new byte[4]).length()).isEqualTo(4);
    }

    private static String exchange(HttpResponse response) throws Exception {
        Codec<HttpRequest, HttpResponse> codec = HttpProtocol.create(r -> response).newCodec(new ConnectionInfo(1,
                new InetSocketAddress("127.0.0.1", 50000), new InetSocketAddress("127.0.0.1", 8080)));
        CapturingOutput out = new CapturingOutput();
        ByteBuffer in = ByteBuffer.wrap(GET.getBytes(StandardCharsets.US_ASCII));
        assertThat(codec.decode(in, out)).as("the request decodes").isNotNull();
        codec.encode(response, out, false);
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }
}
