package dev.sluice.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigCopyTest {
    /** Public, as a config record is: the copy goes through the public canonical constructor. */
    public record Pair(String name, int size) {
        public Pair {
            if (size < 0) {
                throw new IllegalArgumentException("size must be >= 0, got " + size);
            }
        }
    }

    @Test
    void copiesWithOneComponentReplaced() {
        Pair p = new Pair("a", 1);
        assertThat(ConfigCopy.with(p, "size", 2)).isEqualTo(new Pair("a", 2));
        assertThat(ConfigCopy.with(p, "name", "b")).isEqualTo(new Pair("b", 1));
        assertThat(p).as("the original is untouched").isEqualTo(new Pair("a", 1));
    }

    @Test
    void anInvalidValueFailsWithTheRecordsOwnMessage() {
        assertThatThrownBy(() -> ConfigCopy.with(new Pair("a", 1), "size", -1))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("size must be >= 0, got -1");
    }

    @Test
    void anUnknownComponentOrAWrongTypeIsABugNotABadValue() {
        assertThatThrownBy(() -> ConfigCopy.with(new Pair("a", 1), "count", 2))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("count");
        assertThatThrownBy(() -> ConfigCopy.with(new Pair("a", 1), "size", "two"))
                .isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("size");
    }
}
