package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The phase protocol between a connection's owner and the threads that may terminate it. */
class ConnTest {
    private final Conn c = new Conn(new ConnectionInfo(1, null, null), null);

    @Test
    void ownerMovesFreelyBetweenLivePhases() {
        assertThat(c.move(Conn.IDLE, 1_000, 5)).isTrue();
        assertThat(c.deadline).isEqualTo(1_005);
        assertThat(c.move(Conn.HEAD)).isTrue();
        assertThat(c.move(Conn.BUSY, 0, 5)).isTrue();
        assertThat(c.deadline).as("0 means no deadline").isEqualTo(Long.MAX_VALUE);
        assertThat(c.terminalReason()).isNull();
    }

    @Test
    void terminationWinsOnlyFromTheExpectedPhaseAndStopsTheOwner() {
        c.move(Conn.HEAD);
        assertThat(c.terminate(Conn.IDLE, CloseReason.IDLE)).as("phase moved on").isFalse();
        assertThat(c.terminate(Conn.HEAD, CloseReason.HEADER_TIMEOUT)).isTrue();
        assertThat(c.move(Conn.BUSY)).as("owner sees it lost").isFalse();
        assertThat(c.terminalReason()).isEqualTo(CloseReason.HEADER_TIMEOUT);
        assertThat(c.terminate(Conn.HEAD, CloseReason.SHUTDOWN)).as("only once").isFalse();
    }

    @Test
    void onlyAConnectionIdleLongEnoughIsHandedOverToANewcomer() {
        c.move(Conn.BUSY);
        assertThat(c.handOver(Long.MAX_VALUE)).as("busy").isFalse();
        long now = System.nanoTime();
        c.move(Conn.IDLE, 0, now);
        assertThat(c.handOver(now - 1)).as("idle since after the cut-off").isFalse();
        c.move(Conn.IDLE, 0, now + 5);
        assertThat(c.handOver(now)).as("staying idle keeps the time it began").isTrue();
        assertThat(c.handedOver()).isTrue();
        assertThat(c.terminalReason()).isEqualTo(CloseReason.LIMIT);
        assertThat(c.move(Conn.HEAD)).isFalse();
    }

    @Test
    void aCloseAndAHandOverNeverBothGetThePermit() {
        long now = System.nanoTime();
        c.move(Conn.IDLE, 0, now - 2_000_000_000L);
        assertThat(c.handOver(now)).isTrue();
        assertThat(c.retire(CloseReason.NORMAL)).as("the newcomer holds the permit").isFalse();

        Conn closed = new Conn(c.info, null);
        closed.move(Conn.IDLE, 0, now - 2_000_000_000L);
        assertThat(closed.retire(CloseReason.NORMAL)).as("the closer gives the permit back").isTrue();
        assertThat(closed.handOver(now)).as("too late to evict").isFalse();
        assertThat(closed.terminalReason()).isEqualTo(CloseReason.NORMAL);

        Conn timedOut = new Conn(c.info, null);
        timedOut.move(Conn.HEAD);
        assertThat(timedOut.terminate(Conn.HEAD, CloseReason.HEADER_TIMEOUT)).isTrue();
        assertThat(timedOut.retire(CloseReason.HEADER_TIMEOUT)).as("terminated, never handed over").isTrue();
        assertThat(timedOut.terminalReason()).isEqualTo(CloseReason.HEADER_TIMEOUT);
    }

    @Test
    void leavingABodyStopsItsRateClock() {
        c.bodyStart = 42;
        c.move(Conn.BUSY);
        assertThat(c.bodyStart).as("still the same message").isEqualTo(42);
        c.move(Conn.IDLE);
        assertThat(c.bodyStart).isEqualTo(-1);
        c.bodyStart = 42;
        c.move(Conn.HEAD);
        assertThat(c.bodyStart).isEqualTo(-1);
    }

    @Test
    void expiryReasonFollowsThePhase() {
        assertThat(c.expiryReason(Conn.IDLE)).isEqualTo(CloseReason.IDLE);
        assertThat(c.expiryReason(Conn.HEAD)).isEqualTo(CloseReason.HEADER_TIMEOUT);
        assertThat(c.expiryReason(Conn.BODY)).isEqualTo(CloseReason.IDLE);
        assertThat(c.expiryReason(Conn.WRITING)).isEqualTo(CloseReason.WRITE_TIMEOUT);
        assertThat(c.expiryReason(Conn.HANDLING)).isEqualTo(CloseReason.REQUEST_TIMEOUT);
        assertThat(c.expiryReason(Conn.BUSY)).as("decoding and encoding are never timed out").isNull();
    }

    @Test
    void closesExactlyOnce() {
        assertThat(c.markClosed()).isTrue();
        assertThat(c.markClosed()).isFalse();
        assertThat(c.isClosed()).isTrue();
    }
}
