package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.Conditionals.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionalsTest {
    private static final String ETAG = "\"abc-10\"";
    private static final long MODIFIED = Instant.parse("2024-01-02T03:04:05Z").getEpochSecond();
    private static final long NOW = Instant.parse("2025-06-01T00:00:00Z").getEpochSecond();
    private static final String AT = "Tue, 02 Jan 2024 03:04:05 GMT";
    private static final String BEFORE = "Tue, 02 Jan 2024 03:04:04 GMT";
    private static final String AFTER = "Tue, 02 Jan 2024 03:04:06 GMT";

    private static Outcome evaluate(String... fields) {
        return Conditionals.evaluate(DirectExchange.request("GET", "/", fields).headers(), ETAG, MODIFIED, NOW);
    }

    @Test
    void noConditionsProceeds() {
        assertThat(evaluate()).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifNoneMatchUsesWeakComparisonListsAndStar() {
        assertThat(evaluate("If-None-Match: " + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match: W/" + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match: \"x\", W/\"y\" ," + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match: \"x\"", "If-None-Match: " + ETAG)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match: *")).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-None-Match: \"abc-1\"")).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-None-Match: abc-10")).as("unquoted is no tag").isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-None-Match: \"a,b\", " + ETAG)).as("comma inside a tag").isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifModifiedSinceComparesWholeSeconds() {
        assertThat(evaluate("If-Modified-Since: " + AT)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-Modified-Since: " + AFTER)).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(evaluate("If-Modified-Since: " + BEFORE)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifModifiedSinceIgnoresInvalidAndRepeatedDates() {
        assertThat(evaluate("If-Modified-Since: yesterday")).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Modified-Since: " + AT, "If-Modified-Since: " + AT)).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince() {
        assertThat(evaluate("If-None-Match: \"other\"", "If-Modified-Since: " + AFTER)).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-None-Match: " + ETAG, "If-Modified-Since: " + BEFORE))
                .isEqualTo(Outcome.NOT_MODIFIED);
    }

    @Test
    void ifMatchUsesStrongComparison() {
        assertThat(evaluate("If-Match: " + ETAG)).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Match: *")).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Match: \"x\", " + ETAG)).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Match: W/" + ETAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(evaluate("If-Match: \"x\"")).isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifUnmodifiedSinceFailsWhenModifiedLater() {
        assertThat(evaluate("If-Unmodified-Since: " + AT)).isEqualTo(Outcome.PROCEED);
        assertThat(evaluate("If-Unmodified-Since: " + BEFORE)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(evaluate("If-Unmodified-Since: garbage")).isEqualTo(Outcome.PROCEED);
    }

    @Test
    void followsThePrecedenceOfRfc9110() {
        // 13.2.2 step 1 before 3: a failed If-Match wins over a matching If-None-Match.
        assertThat(evaluate("If-Match: \"x\"", "If-None-Match: " + ETAG)).isEqualTo(Outcome.PRECONDITION_FAILED);
        // Step 2 only without If-Match.
        assertThat(evaluate("If-Match: " + ETAG, "If-Unmodified-Since: " + BEFORE)).isEqualTo(Outcome.PROCEED);
        // Step 2 before 4.
        assertThat(evaluate("If-Unmodified-Since: " + BEFORE, "If-Modified-Since: " + AT))
                .isEqualTo(Outcome.PRECONDITION_FAILED);
    }

    @Test
    void ifRangeNeedsTheStrongTagOrTheExactDate() {
        assertThat(Conditionals.ifRange(ETAG, ETAG, MODIFIED, NOW)).isTrue();
        assertThat(Conditionals.ifRange("W/" + ETAG, ETAG, MODIFIED, NOW)).isFalse();
        assertThat(Conditionals.ifRange("\"other\"", ETAG, MODIFIED, NOW)).isFalse();
        assertThat(Conditionals.ifRange(AT, ETAG, MODIFIED, NOW)).isTrue();
        assertThat(Conditionals.ifRange(AFTER, ETAG, MODIFIED, NOW)).isFalse();
        assertThat(Conditionals.ifRange("nonsense", ETAG, MODIFIED, NOW)).isFalse();
    }

    @Test
    void parsesTheThreeHttpDateForms() {
        long expected = Instant.parse("1994-11-06T08:49:37Z").getEpochSecond();

        assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT", NOW)).isEqualTo(expected);
        assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEqualTo(expected);
        assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994", NOW)).isEqualTo(expected);
        assertThat(HttpDates.parse("Thu Nov 16 08:49:37 1994", NOW))
                .isEqualTo(Instant.parse("1994-11-16T08:49:37Z").getEpochSecond());
        assertThat(HttpDates.format(expected)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
    }

    @Test
    void placesTwoDigitYearsWithinFiftyYears() {
        assertThat(HttpDates.parse("Monday, 01-Jan-24 00:00:00 GMT", NOW))
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z").getEpochSecond());
        assertThat(HttpDates.parse("Friday, 01-Jan-99 00:00:00 GMT", NOW))
                .isEqualTo(Instant.parse("1999-01-01T00:00:00Z").getEpochSecond());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT junk", "1994-11-06T08:49:37Z",
        "Sun Nov 6 08:49:37 1994", "Sunday, 06-Nov-1994 08:49:37 GMT", "Sun, 06 Nov 19x4 08:49:37 GMT"})
    void refusesWhatIsNotAnHttpDate(String value) {
        assertThat(HttpDates.parse(value, NOW)).as(value).isEqualTo(HttpDates.INVALID);
    }

    @Test
    void entityTagListsMatchOnlyWholeTags() {
        assertThat(Conditionals.matches(List.of("\"abc-10x\""), ETAG, Conditionals.Comparison.WEAK)).isFalse();
        assertThat(Conditionals.matches(List.of("\"abc-1"), ETAG, Conditionals.Comparison.WEAK)).isFalse();
        assertThat(Conditionals.matches(List.of(""), ETAG, Conditionals.Comparison.WEAK)).isFalse();
        assertThat(Conditionals.matches(List.of("junk, " + ETAG), ETAG, Conditionals.Comparison.STRONG)).isTrue();
    }
}
