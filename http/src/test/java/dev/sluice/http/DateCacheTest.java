package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

class DateCacheTest {
    /** A clock the test moves by hand. */
    private static final class ManualClock implements InstantSource {
        long millis;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    @Test
    void formatsImfFixdateWithTwoDigitDay() {
        ManualClock clock = new ManualClock();
        clock.millis = Instant.parse("2008-06-03T11:05:30Z").toEpochMilli();

        String got = new String(new DateCache(clock).line(), StandardCharsets.US_ASCII);

        assertThat(got).as("Date line").isEqualTo("Date: Tue, 03 Jun 2008 11:05:30 GMT\r\n");
    }

    @Test
    void reusesTheLineWithinASecondAndRefreshesOnTheNext() {
        ManualClock clock = new ManualClock();
        clock.millis = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();
        DateCache cache = new DateCache(clock);

        byte[] first = cache.line();
        clock.millis += 999;
        byte[] sameSecond = cache.line();
        clock.millis += 1;
        byte[] nextSecond = cache.line();

        assertThat(sameSecond).as("within the second: the same array").isSameAs(first);
        assertThat(new String(nextSecond, StandardCharsets.US_ASCII)).as("next second")
                .isEqualTo("Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n");
    }

    @Test
    void isSharedSafelyAcrossThreads() throws Exception {
        ManualClock clock = new ManualClock();
        DateCache cache = new DateCache(clock);
        Thread[] threads = new Thread[4];
        String[] seen = new String[threads.length];
        for (int t = 0; t < threads.length; t++) {
            int k = t;
            threads[t] = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    seen[k] = new String(cache.line(), StandardCharsets.US_ASCII);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }

        for (String s : seen) {
            assertThat(s).as("line seen").isEqualTo("Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n");
        }
    }
}
