package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.MinDataRate;
import dev.sluice.core.OverloadPolicy;
import dev.sluice.core.ServerConfig;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every config record has the one style: a public {@code withX} per component that changes that
 * component and no other. Each case pairs a start with a record whose every component differs.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigRecordsTest {

    static Stream<Arguments> records() {
        Duration s = Duration.ofSeconds(1);
        return Stream.of(
                Arguments.of(ServerConfig.defaults(), new ServerConfig("127.0.0.1", 0, 7, true, Engine.POOL, 3, 4,
                        5, OverloadPolicy.REJECT, 6, s.plusSeconds(1), s.plusSeconds(2), s.plusSeconds(3),
                        s.plusSeconds(4), MinDataRate.OFF, MinDataRate.of(10, s), s.plusSeconds(5), s.plusSeconds(6), 0,
                        (host, port) -> null, s.plusSeconds(7), dev.sluice.core.TrustedProxies.parse("10.0.0.0/8"))),
                Arguments.of(HttpConfig.defaults(), new HttpConfig(100, 200, 10, 1000, 3, 50, s, "X",
                        dev.sluice.core.TrustedProxies.parse("10.0.0.0/8"))),
                Arguments.of(StaticFilesConfig.of(Path.of("a")), new StaticFilesConfig(Path.of("b"), false,
                        true, true, "no-cache", 2, "home.html", false, true, java.util.Map.of(500, "oops.html"), false)));
    }

    @ParameterizedTest
    @MethodSource("records")
    void eachWithChangesItsComponentAndNoOther(Record start, Record other) throws Exception {
        RecordComponent[] components = start.getClass().getRecordComponents();
        for (RecordComponent changed : components) {
            String name = changed.getName();
            Method with = start.getClass().getMethod(
                    "with" + Character.toUpperCase(name.charAt(0)) + name.substring(1), changed.getType());
            Object want = changed.getAccessor().invoke(other);
            assertThat(want).as("test data: %s differs", name).isNotEqualTo(changed.getAccessor().invoke(start));
            Record copy = (Record) with.invoke(start, want);
            for (RecordComponent c : components) {
                Object got = c.getAccessor().invoke(copy);
                Object expected = c.getAccessor().invoke(c == changed ? other : start);
                assertThat(got).as("%s after %s: got %s; want %s", c.getName(), with.getName(), got, expected)
                        .isEqualTo(expected);
            }
        }
    }
}
