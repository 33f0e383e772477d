package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpConfigTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        HttpConfig c = HttpConfig.defaults();

        assertThat(c.maxRequestLineBytes()).isEqualTo(8 * 1024);
        assertThat(c.maxHeaderBytes()).isEqualTo(32 * 1024);
        assertThat(c.maxHeaderCount()).isEqualTo(100);
        assertThat(c.maxBodyBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(c.maxRequestsPerConnection()).isZero();
        assertThat(c.maxDrainBytes()).isEqualTo(256 * 1024);
        assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void eachWithChangesOneComponent() {
        HttpConfig d = HttpConfig.defaults();

        assertThat(d.withMaxRequestLineBytes(100).maxRequestLineBytes()).isEqualTo(100);
        assertThat(d.withMaxHeaderBytes(100).maxHeaderBytes()).isEqualTo(100);
        assertThat(d.withMaxHeaderCount(5).maxHeaderCount()).isEqualTo(5);
        assertThat(d.withMaxBodyBytes(0).maxBodyBytes()).isZero();
        assertThat(d.withMaxRequestsPerConnection(3).maxRequestsPerConnection()).isEqualTo(3);
        assertThat(d.withMaxDrainBytes(0).maxDrainBytes()).isZero();
        assertThat(d.withRetryAfter(Duration.ZERO).retryAfter()).isZero();
        assertThat(d.withMaxHeaderCount(5).withMaxHeaderCount(100)).isEqualTo(d);
    }

    @Test
    void refusesInvalidValues() {
        HttpConfig d = HttpConfig.defaults();

        assertThatThrownBy(() -> d.withMaxRequestLineBytes(15)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRequestLineBytes");
        assertThatThrownBy(() -> d.withMaxHeaderBytes(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxHeaderCount(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxBodyBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(d.withMaxBodyBytes(4L << 30).maxBodyBytes()).as("streamed bodies may pass 2 GiB")
                .isEqualTo(4L << 30);
        assertThatThrownBy(() -> d.withMaxRequestsPerConnection(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxDrainBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withRetryAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withRetryAfter(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void refusesBodiesEntirelyWhenMaxBodyIsZero() {
        Wire wire = Wire.run(HttpConfig.defaults().withMaxBodyBytes(0).withMaxDrainBytes(0),
                request -> HttpResponse.ok(""),
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx".getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(413);
    }

    @Test
    void httpExceptionCarriesAnErrorStatusOnly() {
        assertThat(new HttpException(431, "x").status()).isEqualTo(431);
        assertThatThrownBy(() -> new HttpException(200, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
