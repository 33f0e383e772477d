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
    void builderChangesOnlyWhatItIsTold() {
        ServerConfig c = ServerConfig.builder().port(0).engine(Engine.POOL).threads(3).build();
        assertThat(c.port()).isZero();
        assertThat(c.engine()).isEqualTo(Engine.POOL);
        assertThat(c.effectiveThreads()).isEqualTo(3);
        assertThat(c.effectiveQueue()).as("queue 0 derives from threads").isEqualTo(3);
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void derivedThreadsFollowTheEngine() {
        int cores = Runtime.getRuntime().availableProcessors();
        ServerConfig.Builder b = ServerConfig.builder();
        assertThat(b.engine(Engine.EVENT_LOOP).build().effectiveThreads()).isEqualTo(cores);
        assertThat(b.engine(Engine.POOL).build().effectiveThreads())
                .isEqualTo(Math.min(ServerConfig.MAX_DERIVED_THREADS, ServerConfig.THREADS_PER_CORE * cores));
        assertThat(b.engine(Engine.SEQUENTIAL).threads(9).build().effectiveThreads()).isEqualTo(1);
        assertThat(b.engine(Engine.VIRTUAL).threads(9).build().effectiveThreads()).isZero();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("port", (UnaryOperator<ServerConfig.Builder>) b -> b.port(-1)),
                Arguments.of("port", (UnaryOperator<ServerConfig.Builder>) b -> b.port(65_536)),
                Arguments.of("backlog", (UnaryOperator<ServerConfig.Builder>) b -> b.backlog(-1)),
                Arguments.of("backlog", (UnaryOperator<ServerConfig.Builder>) b -> b.backlog(0)),
                Arguments.of("threads", (UnaryOperator<ServerConfig.Builder>) b -> b.threads(-2)),
                Arguments.of("queue", (UnaryOperator<ServerConfig.Builder>) b -> b.queue(-2)),
                Arguments.of("max-connections", (UnaryOperator<ServerConfig.Builder>) b -> b.maxConnections(0)),
                Arguments.of("idle-timeout",
                        (UnaryOperator<ServerConfig.Builder>) b -> b.idleTimeout(Duration.ofSeconds(-1))),
                Arguments.of("write-timeout", (UnaryOperator<ServerConfig.Builder>)
                        b -> b.writeTimeout(Duration.ofSeconds(Long.MAX_VALUE))),
                Arguments.of("tcp-notsent-lowat-bytes",
                        (UnaryOperator<ServerConfig.Builder>) b -> b.tcpNotsentLowatBytes(-1)),
                Arguments.of("host", (UnaryOperator<ServerConfig.Builder>) b -> b.host(" ")));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsInvalidValuesNamingTheSetting(String name, UnaryOperator<ServerConfig.Builder> change) {
        assertThatThrownBy(() -> change.apply(ServerConfig.builder()).build())
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
        ServerConfig.Builder b = ServerConfig.builder();
        assertThat(Timeouts.tick(b.build())).as("defaults: 10s/8").isEqualTo(1_000_000_000L);
        assertThat(Timeouts.tick(b.headerTimeout(Duration.ofMillis(800)).build())).isEqualTo(100_000_000L);
        assertThat(Timeouts.tick(b.headerTimeout(Duration.ofMillis(1)).build())).isEqualTo(10_000_000L);
        assertThat(Timeouts.tick(b.idleTimeout(Duration.ZERO).headerTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO).requestTimeout(Duration.ZERO).build())).as("all off").isEqualTo(1_000_000_000L);
    }

    @Test
    void durationsAreReportedAsTheCliSpellsThem() {
        assertThat(StartupReport.format(Duration.ZERO)).isEqualTo("off");
        assertThat(StartupReport.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(StartupReport.format(Duration.ofSeconds(10))).isEqualTo("10s");
        assertThat(StartupReport.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }
}
