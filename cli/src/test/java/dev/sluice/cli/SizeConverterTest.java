package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class SizeConverterTest {

    @Test
    void readsBytesAndBinaryMultiplesInEitherCase() {
        assertThat(SizeConverter.parse("0")).isZero();
        assertThat(SizeConverter.parse("1500")).isEqualTo(1500);
        assertThat(SizeConverter.parse("512k")).isEqualTo(512L * 1024);
        assertThat(SizeConverter.parse("10M")).isEqualTo(10L << 20);
        assertThat(SizeConverter.parse("4g")).isEqualTo(4L << 30);
        assertThat(SizeConverter.parse("8589934591G")).isEqualTo(8589934591L << 30);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "g", "-1", "1.5g", "4 g", "4gb", "4t", "+4", " 4"})
    void refusesWhatIsNotASize(String text) {
        assertThatThrownBy(() -> SizeConverter.parse(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("is not a size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8589934592g", "99999999999999999999", "9223372036854775807k"})
    void refusesWhatIsTooLargeToCount(String text) {
        assertThatThrownBy(() -> SizeConverter.parse(text)).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("too large");
    }
}
