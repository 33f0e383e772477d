package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    @Test
    void defaultsAreSafeForAPublicNetwork() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.port()).isEqualTo(ServerConfig.DEFAULT_PORT);
        assertThat(c.backlog()).isEqualTo(1024);
        assertThat(c.maxConnections()).isEqualTo(10_000);
        assertThat(c.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.writeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.overload()).isEqualTo(OverloadPolicy.WAIT);
        assertThat(c.tcpNotsentLowatBytes()).isEqualTo(16 * 1024);
    }

    @Test
    void withChangesOnlyWhatItIsTold() {
        ServerConfig d = ServerConfig.defaults();
        ServerConfig c = d.withPort(0).withEngine(Engine.POOL).withThreads(3);
        assertThat(c.port()).isZero();
        assertThat(c.engine()).isEqualTo(Engine.POOL);
        assertThat(c.effectiveThreads()).isEqualTo(3);
        assertThat(c.effectiveQueue()).as("queue 0 derives from threads").isEqualTo(3);
        assertThat(c.withPort(d.port()).withEngine(d.engine()).withThreads(d.threads()))
                .as("the same three changed back").isEqualTo(d);
        assertThat(d.port()).as("defaults() untouched").isEqualTo(ServerConfig.DEFAULT_PORT);
    }

    @Test
    void derivedThreadsFollowTheEngine() {
        int cores = Runtime.getRuntime().availableProcessors();
        ServerConfig b = ServerConfig.defaults();
        assertThat(b.withEngine(Engine.EVENT_LOOP).effectiveThreads()).isEqualTo(cores);
        assertThat(b.withEngine(Engine.POOL).effectiveThreads())
                .isEqualTo(Math.min(ServerConfig.MAX_DERIVED_THREADS, ServerConfig.THREADS_PER_CORE * cores));
        assertThat(b.withEngine(Engine.SEQUENTIAL).withThreads(9).effectiveThreads()).isEqualTo(1);
        assertThat(b.withEngine(Engine.VIRTUAL).withThreads(9).effectiveThreads()).isZero();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("port", (UnaryOperator<ServerConfig>) b -> b.withPort(-1)),
                Arguments.of("port", (UnaryOperator<ServerConfig>) b -> b.withPort(65_536)),
                Arguments.of("backlog", (UnaryOperator<ServerConfig>) b -> b.withBacklog(-1)),
                Arguments.of("backlog", (UnaryOperator<ServerConfig>) b -> b.withBacklog(0)),
                Arguments.of("threads", (UnaryOperator<ServerConfig>) b -> b.withThreads(-2)),
                Arguments.of("queue", (UnaryOperator<ServerConfig>) b -> b.withQueue(-2)),
                Arguments.of("max-connections", (UnaryOperator<ServerConfig>) b -> b.withMaxConnections(0)),
                Arguments.of("idle-timeout",
                        (UnaryOperator<ServerConfig>) b -> b.withIdleTimeout(Duration.ofSeconds(-1))),
                Arguments.of("write-timeout", (UnaryOperator<ServerConfig>)
                        b -> b.withWriteTimeout(Duration.ofSeconds(Long.MAX_VALUE))),
                Arguments.of("tcp-notsent-lowat-bytes",
                        (UnaryOperator<ServerConfig>) b -> b.withTcpNotsentLowatBytes(-1)),
                Arguments.of("host", (UnaryOperator<ServerConfig>) b -> b.withHost(" ")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidValuesNamingTheSetting(String name, UnaryOperator<ServerConfig> change) {
        assertThatThrownBy(() -> change.apply(ServerConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(name);
    }

    @Test
    void engineNamesAreThePublicContract() {
        assertThat(Stream.of(Engine.values()).map(Engine::cliName)).containsExactly(
                "sequential", "thread-per-connection", "pool", "virtual", "event-loop");
        assertThat(Engine.fromName("Event_Loop")).isEqualTo(Engine.EVENT_LOOP);
        assertThatThrownBy(() -> Engine.fromName("fibers"))
                .hasMessageContaining("expected one of sequential, thread-per-connection");
        assertThat(OverloadPolicy.fromName("REJECT")).isEqualTo(OverloadPolicy.REJECT);
        assertThatThrownBy(() -> OverloadPolicy.fromName("drop")).hasMessageContaining("wait or reject");
    }

    @Test
    void timerTicksAtAnEighthOfTheShortestTimeoutWithinBounds() {
        ServerConfig b = ServerConfig.defaults();
        assertThat(Timeouts.tick(b)).as("defaults: 10s/8").isEqualTo(1_000_000_000L);
        assertThat(Timeouts.tick(b.withHeaderTimeout(Duration.ofMillis(800)))).isEqualTo(100_000_000L);
        assertThat(Timeouts.tick(b.withHeaderTimeout(Duration.ofMillis(1)))).isEqualTo(10_000_000L);
        assertThat(Timeouts.tick(b.withIdleTimeout(Duration.ZERO).withHeaderTimeout(Duration.ZERO)
                .withWriteTimeout(Duration.ZERO).withRequestTimeout(Duration.ZERO))).as("all off").isEqualTo(1_000_000_000L);
    }

    @Test
    void durationsAreReportedAsTheCliSpellsThem() {
        assertThat(StartupReport.format(Duration.ZERO)).isEqualTo("off");
        assertThat(StartupReport.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(StartupReport.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(StartupReport.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }
}
