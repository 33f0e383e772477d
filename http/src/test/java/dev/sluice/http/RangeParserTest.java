package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.RangeParser.ByteRange;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RangeParserTest {
    private static final long SIZE = 1000;

    private static List<ByteRange> parse(String value) {
        return RangeParser.parse(value, SIZE, 16);
    }

    @Test
    void readsTheThreeFormsOfRange() {
        assertThat(parse("bytes=0-499")).containsExactly(new ByteRange(0, 499));
        assertThat(parse("bytes=500-")).containsExactly(new ByteRange(500, 999));
        assertThat(parse("bytes=-100")).containsExactly(new ByteRange(900, 999));
    }

    @Test
    void clipsToTheSize() {
        assertThat(parse("bytes=900-5000")).containsExactly(new ByteRange(900, 999));
        assertThat(parse("bytes=-5000")).containsExactly(new ByteRange(0, 999));
        assertThat(parse("bytes=0-99999999999999999999999")).containsExactly(new ByteRange(0, 999));
    }

    @Test
    void acceptsCaseWhitespaceAndEmptyListElements() {
        assertThat(parse("Bytes=0-0, 10-19 ,,\t-1")).containsExactly(
                new ByteRange(0, 0), new ByteRange(10, 19), new ByteRange(999, 999));
    }

    @Test
    void dropsUnsatisfiableRangesAndKeepsTheRest() {
        assertThat(parse("bytes=0-9,5000-6000")).containsExactly(new ByteRange(0, 9));
    }

    @Test
    void nothingSatisfiableIsAnEmptyList() {
        assertThat(parse("bytes=1000-")).isEmpty();
        assertThat(parse("bytes=1000-2000")).isEmpty();
        assertThat(parse("bytes=-0")).isEmpty();
        assertThat(parse("bytes=99999999999999999999999-")).isEmpty();
        assertThat(RangeParser.parse("bytes=0-", 0, 16)).as("any range of an empty file").isEmpty();
        assertThat(RangeParser.parse("bytes=-5", 0, 16)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bytes", "bytes=", "bytes=,", "items=0-1", "0-1", "bytes=5-1", "bytes=abc",
        "bytes=1-2-3", "bytes=-", "bytes=--1", "bytes=1 - 2", "bytes=0x10-20", "bytes=+1-2", "bytes=1-2;x",
        "bytes=0-1,a", "bytes=-1-2", "bytes=\u0661-2"})
    void invalidSyntaxIsIgnored(String value) {
        assertThat(parse(value)).as(value).isNull();
    }

    @Test
    void moreRangesThanTheLimitAreIgnored() {
        String sixteen = "bytes=" + IntStream.range(0, 16).mapToObj(i -> i * 10 + "-" + (i * 10 + 4))
                .collect(Collectors.joining(","));

        assertThat(parse(sixteen)).hasSize(16);
        assertThat(parse(sixteen + ",500-510")).isNull();
        assertThat(RangeParser.parse("bytes=0-1,5-6", SIZE, 1)).isNull();
    }

    @Test
    void overlappingRangesAreIgnored() {
        assertThat(parse("bytes=0-99,50-150")).isNull();
        assertThat(parse("bytes=0-,0-,0-")).isNull();
        assertThat(parse("bytes=-500,0-")).isNull();
        assertThat(parse("bytes=0-9,10-19")).as("adjacent, not overlapping").hasSize(2);
        assertThat(parse("bytes=500-599,0-99")).as("out of order, kept in request order")
                .containsExactly(new ByteRange(500, 599), new ByteRange(0, 99));
    }

    @Test
    void formatsContentRange() {
        assertThat(new ByteRange(0, 499).contentRange(1000)).isEqualTo("bytes 0-499/1000");
        assertThat(new ByteRange(0, 499).length()).isEqualTo(500);
    }
}
