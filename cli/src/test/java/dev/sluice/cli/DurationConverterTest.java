package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.internal.Spelling;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

@Timeout(10)
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "10s, PT10S",
        "2m, PT2M",
        "1h, PT1H",
        "0, PT0S",
        "0s, PT0S",
        "1ms, PT0.001S",
        "90s, PT1M30S",
        "007s, PT7S",
        "2562047h, PT2562047H",
    })
    void parsesAWholeNumberAndAUnit(String text, Duration want) {
        assertThat(converter.convert(text)).as("parse %s", text).isEqualTo(want);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "10", "-1s", "+1s", "1.5s", "10 s", " 10s", "10s ", "10S",
        "1d", "1us", "10sec", "s", "ms", "PT10S", "1h30m", "0x10s", "١٠s", "00"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .as("parse '%s'", text)
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "' is not a duration")
                .hasMessageContaining("500ms, 10s, 2m, 1h");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2562048h", "99999999999999999999s", "9223372036854775807ms"})
    void rejectsWhatCannotBeCountedInNanoseconds(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("too long");
    }

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0",
        "PT0.25S, 250ms",
        "PT10S, 10s",
        "PT1M, 1m",
        "PT1M30S, 90s",
        "PT2H, 2h",
        "PT1H0.001S, 3600001ms",
    })
    void formatsInTheLargestExactUnit(Duration d, String want) {
        assertThat(Spelling.duration(d)).isEqualTo(want);
        assertThat(DurationConverter.parse(want)).as("round trip").isEqualTo(d);
    }
}
