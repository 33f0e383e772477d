package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The minimum response rate judged by what the client acknowledged, with the kernel's count faked
 * (as a clock is) and time passed in: no credit where the kernel says, a sweeper that asks it
 * before cutting, and the choice of whom to shed at the connection limit.
 */
class ClientPaceTest {
    private static final long SECOND = 1_000_000_000L;
    /** 1,000 bytes/s after a second. */
    private static final MinDataRate RATE = MinDataRate.of(1_000, Duration.ofSeconds(1));

    /** What the fake kernel says the peer has acknowledged. */
    private long acked = 100;

    private Timeouts timeouts(boolean kernelSays) {
        NativeSocketOptions.AckCounter counter = ch -> acked;
        return new Timeouts(0, 0, 0, 0, MinDataRate.OFF, RATE, SECOND, 0, kernelSays ? counter : null);
    }

    @Test
    void whereTheKernelSaysOnlyWhatTheClientAcknowledgedCounts() {
        ClientPace pace = new ClientPace(null, timeouts(true));
        assertThat(pace.responseDeadline(0)).as("the grace alone: nothing credited").isEqualTo(SECOND);
        pace.took(50_000); // into the kernel's send buffer, which the client need not have read
        acked = 5_100;
        assertThat(pace.responseDeadline(3 * SECOND)).as("5,000 bytes at 1,000/s").isEqualTo(5 * SECOND);
    }

    @Test
    void whereTheKernelIsSilentABlockingWritesWorthIsCredited() {
        ClientPace pace = new ClientPace(null, timeouts(false));
        long credited = ServerConfig.RESPONSE_RATE_CREDIT_BYTES * SECOND / 1_000;
        assertThat(pace.responseDeadline(0)).isEqualTo(credited);
        assertThat(pace.responseDeadlineByAcks()).as("nothing to ask").isEqualTo(-1);
    }

    @Test
    void theSweeperCountsWhatWasAcknowledgedSinceTheClockStarted() {
        ClientPace pace = new ClientPace(null, timeouts(true));
        pace.responseDeadline(0); // 100 acknowledged when the clock starts
        acked = 3_100;
        assertThat(pace.responseDeadlineByAcks()).isEqualTo(3 * SECOND);
        pace.caughtUp();
        assertThat(pace.responseDeadlineByAcks()).as("the clock stopped").isEqualTo(-1);
    }

    @Test
    void aConnectionIsCutOnlyWhenWhatItAcknowledgedFallsBelowTheRate() {
        ConnectionState c = new ConnectionState(new ConnectionInfo(1, null, null), null, timeouts(true));
        assertThat(c.toWriting(0)).isTrue();
        acked = 2_100; // 2,000 bytes taken while a blocking write was under way: the owner saw none
        assertThat(c.expire(SECOND)).as("kept to the rate by what it acknowledged").isNull();
        assertThat(c.deadline).isEqualTo(2 * SECOND);
        assertThat(c.expire(2 * SECOND)).isEqualTo(CloseReason.MIN_RESPONSE_RATE);
    }

    @Test
    void onlyAClientBelowItsRateAfterTheGraceIsShedAndTheNewcomerKeepsThePermit() {
        ConnectionState c = new ConnectionState(new ConnectionInfo(1, null, null), null, timeouts(true));
        c.toWriting(0);
        acked = 400; // 300 bytes in 2 s: 150/s
        assertThat(c.shortfallRate(SECOND / 2)).as("in its grace").isEqualTo(-1);
        assertThat(c.shortfallRate(2 * SECOND)).isEqualTo(150);
        acked = 10_100;
        assertThat(c.shortfallRate(2 * SECOND)).as("above the rate").isEqualTo(-1);
        assertThat(c.shed(ConnectionState.IDLE)).as("only a writer or a body's reader").isFalse();
        assertThat(c.shed(ConnectionState.WRITING)).isTrue();
        assertThat(c.retire(CloseReason.ERROR)).as("the newcomer holds the permit").isFalse();
        assertThat(c.terminalReason()).isEqualTo(CloseReason.LEAST_PROGRESS);
        assertThat(c.move(ConnectionState.BUSY)).as("the owner sees it lost").isFalse();
    }

    @Test
    void aBodySentBelowItsRateIsMeasuredByWhatArrived() {
        MinDataRate body = MinDataRate.of(1_000, Duration.ofSeconds(1));
        ConnectionState c = new ConnectionState(new ConnectionInfo(1, null, null), null,
                new Timeouts(0, 0, 0, 0, body, MinDataRate.OFF, SECOND, 0, null));
        c.toBody(0);
        c.pace.bodyRead(500);
        assertThat(c.shortfallRate(2 * SECOND)).isEqualTo(250);
        c.requestDecoded();
        assertThat(c.shortfallRate(2 * SECOND)).as("the body ended").isEqualTo(-1);
    }
}
