package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The access log's queue and writer thread, with in-memory sinks: no files, no sockets, no sleeps. */
@Timeout(10)
class AccessLogTest {
    /** Half a second in: a line's time, now minus the exchange's (real, short) duration, stays in :03. */
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-25T18:02:03.500Z"));
    private static final String GET = "GET /x?y=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: tester/1\r\n"
            + "Referer: http://ref/\r\n\r\n";

    /** A sink that holds its first write until released, and says when it got there. */
    private static final class Gate extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        boolean closed;

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (this) {
                bytes.write(b, off, len);
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void writesOneCombinedLinePerExchangeAndEverythingByClose() {
        Gate sink = new Gate();
        sink.release.countDown();
        AccessLog log = new AccessLog(sink, true, AccessLogFormat.COMBINED, ZoneOffset.UTC, CLOCK, 100);
        for (Exchange e : Exchanges.of(GET + GET + "BAD\r\n")) {
            log.onExchange(e);
        }
        log.close();

        String combined = "192.0.2.7 - - [25/Nov/2026:18:02:03 +0000] \"GET /x?y=1 HTTP/1.1\" 200 5"
                + " \"http://ref/\" \"tester/1\"";
        assertThat(sink.text().split("\n", -1)).as(sink.text()).containsExactly(combined, combined,
                "192.0.2.7 - - [25/Nov/2026:18:02:03 +0000] \"-\" 400 21 \"-\" \"-\"", "");
        assertThat(sink.closed).as("an owned sink is closed").isTrue();
        assertThat(log.dropped()).isZero();
    }

    @Test
    void dropsAndCountsWhatDoesNotFitWhileTheWriterIsStuck() throws Exception {
        Gate sink = new Gate();
        AccessLog log = new AccessLog(sink, false, AccessLogFormat.COMMON, ZoneOffset.UTC, CLOCK, 3);
        Exchange e = Exchanges.one(GET);
        log.onExchange(e);
        assertThat(sink.writing.await(5, TimeUnit.SECONDS)).as("the writer reached the sink").isTrue();

        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            log.onExchange(e); // 3 fit in the queue, 7 do not
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(log.dropped()).as("dropped").isEqualTo(7);
        assertThat(tookMillis).as("offers never wait for the stuck writer").isLessThan(1_000);

        sink.release.countDown();
        log.close();
        assertThat(sink.text().lines()).as("lines written").hasSize(4);
        assertThat(sink.closed).as("stdout is not closed").isFalse();
        log.onExchange(e);
        assertThat(log.dropped()).as("after close").isEqualTo(8);
    }

    @Test
    void startsTheLineAtTheRequestsStartInTheGivenZone() {
        Gate sink = new Gate();
        sink.release.countDown();
        AccessLog log = new AccessLog(sink, true, AccessLogFormat.COMMON, ZoneOffset.ofHours(1), CLOCK, 10);
        log.onExchange(Exchanges.one(GET));
        log.close();

        assertThat(sink.text()).startsWith("192.0.2.7 - - [25/Nov/2026:19:02:03 +0100] ");
    }

    @Test
    void datesEachLineByItsClockAsTheYearTurns() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2027-12-31T23:59:59.500Z"));
        Gate sink = new Gate();
        sink.release.countDown();
        AccessLog log = new AccessLog(sink, true, AccessLogFormat.COMMON, ZoneOffset.UTC, now::get, 10);
        log.onExchange(Exchanges.one(GET));
        now.set(Instant.parse("2028-01-01T00:00:00.500Z"));
        log.onExchange(Exchanges.one(GET));
        log.close();

        assertThat(sink.text().lines().map(l -> l.substring(l.indexOf('['), l.indexOf(']') + 1)))
                .as(sink.text()).containsExactly("[31/Dec/2027:23:59:59 +0000]", "[01/Jan/2028:00:00:00 +0000]");
    }
}
