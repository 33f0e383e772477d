package dev.sluice.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HttpDateTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2026-12-04T18:02:03Z | Fri, 04 Dec 2026 18:02:03 GMT
            2028-02-29T12:00:00Z | Tue, 29 Feb 2028 12:00:00 GMT
            2027-12-31T23:59:59Z | Fri, 31 Dec 2027 23:59:59 GMT
            """)
    void formatsImfFixdateFromItsClock(String now, String want) {
        HttpDate date = new HttpDate(InstantSource.fixed(Instant.parse(now)));

        assertThat(date.value().toString()).as("Date at %s", now).isEqualTo(want);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2027-12-31T23:59:59Z | Sat, 01 Jan 2028 00:00:00 GMT
            2028-02-28T23:59:59Z | Tue, 29 Feb 2028 00:00:00 GMT
            """)
    void refreshMovesToTheNextSecond(String before, String want) {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse(before));
        HttpDate date = new HttpDate(now::get);

        now.set(now.get().plusSeconds(1));
        date.refresh();

        assertThat(date.value().toString()).as("Date a second after %s", before).isEqualTo(want);
    }
}
