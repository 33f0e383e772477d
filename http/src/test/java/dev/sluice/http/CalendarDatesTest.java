package dev.sluice.http;

import static dev.sluice.http.DirectExchange.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP-dates on the days that break date code: a one-digit day of the month, 29 February, and the
 * last second of a year turning into the next. Every clock here is injected; none is the system's.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CalendarDatesTest {
    /** The instant, its IMF-fixdate, the IMF-fixdate a second before, its RFC 850 and asctime forms. */
    private static final String DATES = """
            2026-12-04T18:02:03Z | Fri, 04 Dec 2026 18:02:03 GMT | Fri, 04 Dec 2026 18:02:02 GMT \
            | Friday, 04-Dec-26 18:02:03 GMT | Fri Dec  4 18:02:03 2026
            2028-02-29T00:00:00Z | Tue, 29 Feb 2028 00:00:00 GMT | Mon, 28 Feb 2028 23:59:59 GMT \
            | Tuesday, 29-Feb-28 00:00:00 GMT | Tue Feb 29 00:00:00 2028
            2027-12-31T23:59:59Z | Fri, 31 Dec 2027 23:59:59 GMT | Fri, 31 Dec 2027 23:59:58 GMT \
            | Friday, 31-Dec-27 23:59:59 GMT | Fri Dec 31 23:59:59 2027
            2028-01-01T00:00:00Z | Sat, 01 Jan 2028 00:00:00 GMT | Fri, 31 Dec 2027 23:59:59 GMT \
            | Saturday, 01-Jan-28 00:00:00 GMT | Sat Jan  1 00:00:00 2028
            """;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = DATES)
    void writesTheDateHeaderOfTheClocksSecond(String at, String imf) {
        DateCache cache = new DateCache(InstantSource.fixed(Instant.parse(at)));

        assertThat(new String(cache.line(), StandardCharsets.US_ASCII)).as("Date line at %s", at)
                .isEqualTo("Date: " + imf + "\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            2027-12-31T23:59:59Z | Fri, 31 Dec 2027 23:59:59 GMT | Sat, 01 Jan 2028 00:00:00 GMT
            2028-02-28T23:59:59Z | Mon, 28 Feb 2028 23:59:59 GMT | Tue, 29 Feb 2028 00:00:00 GMT
            2028-02-29T23:59:59Z | Tue, 29 Feb 2028 23:59:59 GMT | Wed, 01 Mar 2028 00:00:00 GMT
            2026-12-03T23:59:59Z | Thu, 03 Dec 2026 23:59:59 GMT | Fri, 04 Dec 2026 00:00:00 GMT
            """)
    void turnsTheCachedDateHeaderOverAtTheNextSecond(String last, String before, String after) {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse(last));
        DateCache cache = new DateCache(now::get);

        String first = new String(cache.line(), StandardCharsets.US_ASCII);
        now.set(now.get().plusMillis(999));
        String stillThen = new String(cache.line(), StandardCharsets.US_ASCII);
        now.set(now.get().plusMillis(1));
        String next = new String(cache.line(), StandardCharsets.US_ASCII);

        assertThat(first).as("at %s", last).isEqualTo("Date: " + before + "\r\n");
        assertThat(stillThen).as("999 ms later").isEqualTo("Date: " + before + "\r\n");
        assertThat(next).as("the next second").isEqualTo("Date: " + after + "\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = DATES)
    void formatsAndParsesEachFormOfTheDate(String at, String imf, String secondBefore, String rfc850,
                                           String asctime) {
        long second = Instant.parse(at).getEpochSecond();
        long now = second + 86_400;

        assertThat(HttpDates.format(second)).as("format %s", at).isEqualTo(imf);
        assertThat(HttpDates.parse(imf, now)).as(imf).isEqualTo(second);
        assertThat(HttpDates.parse(secondBefore, now)).as(secondBefore).isEqualTo(second - 1);
        assertThat(HttpDates.parse(rfc850, now)).as(rfc850).isEqualTo(second);
        assertThat(HttpDates.parse(asctime, now)).as(asctime).isEqualTo(second);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mon, 29 Feb 2027 00:00:00 GMT", "Monday, 29-Feb-27 00:00:00 GMT",
        "Mon Feb 29 00:00:00 2027", "Fri, 31 Nov 2026 00:00:00 GMT", "Thu, 30 Feb 2028 00:00:00 GMT"})
    void refusesDaysTheCalendarHasNot(String value) {
        long now = Instant.parse("2027-06-01T00:00:00Z").getEpochSecond();

        assertThat(HttpDates.parse(value, now)).as(value).isEqualTo(HttpDates.INVALID);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = DATES)
    void sendsLastModifiedAndAnswersIfModifiedSinceOnThatDay(String at, String imf, String secondBefore)
            throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        SiteFixture.write(root.resolve("f.txt"), "f\n");
        SiteFixture.touch(root.resolve("f.txt"), Instant.parse(at));
        // The clock reads the next second: for the last second of 2027, already 2028.
        StaticFiles files = StaticFiles.create(StaticFilesConfig.of(root),
                InstantSource.fixed(Instant.parse(at).plusSeconds(1)));

        assertThat(get(files, "/f.txt").header("Last-Modified")).as("Last-Modified").isEqualTo(imf);
        assertThat(get(files, "/f.txt", "If-Modified-Since: " + imf).status()).as("since %s", imf)
                .isEqualTo(304);
        assertThat(get(files, "/f.txt", "If-Modified-Since: " + secondBefore).status())
                .as("since %s", secondBefore).isEqualTo(200);
        assertThat(get(files, "/f.txt", "If-Unmodified-Since: " + secondBefore).status())
                .as("unmodified since %s", secondBefore).isEqualTo(412);
    }

    @Test
    void neverDatesAFileIntoTheNextYearBeforeTheClockGetsThere() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        SiteFixture.write(root.resolve("f.txt"), "f\n");
        SiteFixture.touch(root.resolve("f.txt"), Instant.parse("2028-01-01T00:00:05Z"));
        StaticFiles files = StaticFiles.create(StaticFilesConfig.of(root),
                InstantSource.fixed(Instant.parse("2027-12-31T23:59:59.900Z")));

        assertThat(get(files, "/f.txt").header("Last-Modified")).as("Last-Modified, clamped to the clock")
                .isEqualTo("Fri, 31 Dec 2027 23:59:59 GMT");
    }

    @Test
    void listsEachEntrysModificationDayAsItIs() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("www"));
        String[][] files = {
            {"one-digit-day.txt", "2026-12-04T05:06:07Z", "2026-12-04 05:06"},
            {"leap-day.txt", "2028-02-29T12:34:56Z", "2028-02-29 12:34"},
            {"last-second.txt", "2027-12-31T23:59:59Z", "2027-12-31 23:59"},
            {"new-year.txt", "2028-01-01T00:00:00Z", "2028-01-01 00:00"},
        };
        for (String[] f : files) {
            SiteFixture.write(root.resolve(f[0]), f[0]);
            SiteFixture.touch(root.resolve(f[0]), Instant.parse(f[1]));
        }

        String html = get(StaticFiles.create(StaticFilesConfig.of(root), InstantSource.fixed(Instant.EPOCH)), "/")
                .bodyText();

        for (String[] f : files) {
            String row = Pattern.quote(f[0] + "</a>") + ".*<time datetime=\"" + Pattern.quote(f[1]) + "\">"
                    + Pattern.quote(f[2]) + "</time>";
            assertThat(Pattern.compile(row).matcher(html).find()).as("a row for %s dated %s (%s) in%n%s",
                    f[0], f[1], f[2], html).isTrue();
        }
    }
}
