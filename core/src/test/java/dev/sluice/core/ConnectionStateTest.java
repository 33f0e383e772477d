package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The phase protocol between a connection's owner and the threads that may terminate it. */
class ConnectionStateTest {
    private final ConnectionState c = new ConnectionState(new ConnectionInfo(1, null, null), null, Timeouts.NONE);

    @Test
    void ownerMovesFreelyBetweenLivePhases() {
        assertThat(c.move(ConnectionState.IDLE, 1_000, 5)).isTrue();
        assertThat(c.deadline).isEqualTo(1_005);
        assertThat(c.move(ConnectionState.HEAD)).isTrue();
        assertThat(c.move(ConnectionState.BUSY, 0, 5)).isTrue();
        assertThat(c.deadline).as("0 means no deadline").isEqualTo(Long.MAX_VALUE);
        assertThat(c.terminalReason()).isNull();
    }

    @Test
    void terminationWinsOnlyFromTheExpectedPhaseAndStopsTheOwner() {
        c.move(ConnectionState.HEAD);
        assertThat(c.terminate(ConnectionState.IDLE, CloseReason.IDLE)).as("phase moved on").isFalse();
        assertThat(c.terminate(ConnectionState.HEAD, CloseReason.HEADER_TIMEOUT)).isTrue();
        assertThat(c.move(ConnectionState.BUSY)).as("owner sees it lost").isFalse();
        assertThat(c.terminalReason()).isEqualTo(CloseReason.HEADER_TIMEOUT);
        assertThat(c.terminate(ConnectionState.HEAD, CloseReason.SHUTDOWN)).as("only once").isFalse();
    }

    @Test
    void onlyAConnectionIdleLongEnoughIsHandedOverToANewcomer() {
        c.move(ConnectionState.BUSY);
        assertThat(c.handOver(Long.MAX_VALUE)).as("busy").isFalse();
        long now = System.nanoTime();
        c.move(ConnectionState.IDLE, 0, now);
        assertThat(c.handOver(now - 1)).as("idle since after the cut-off").isFalse();
        c.move(ConnectionState.IDLE, 0, now + 5);
        assertThat(c.handOver(now)).as("staying idle keeps the time it began").isTrue();
        assertThat(c.terminalReason()).isEqualTo(CloseReason.LIMIT);
        assertThat(c.move(ConnectionState.HEAD)).isFalse();
    }

    @Test
    void aCloseAndAHandOverNeverBothGetThePermit() {
        long now = System.nanoTime();
        c.move(ConnectionState.IDLE, 0, now - 2_000_000_000L);
        assertThat(c.handOver(now)).isTrue();
        assertThat(c.retire(CloseReason.NORMAL)).as("the newcomer holds the permit").isFalse();

        ConnectionState closed = new ConnectionState(c.info, null, Timeouts.NONE);
        closed.move(ConnectionState.IDLE, 0, now - 2_000_000_000L);
        assertThat(closed.retire(CloseReason.NORMAL)).as("the closer gives the permit back").isTrue();
        assertThat(closed.handOver(now)).as("too late to evict").isFalse();
        assertThat(closed.terminalReason()).isEqualTo(CloseReason.NORMAL);

        ConnectionState timedOut = new ConnectionState(c.info, null, Timeouts.NONE);
        timedOut.move(ConnectionState.HEAD);
        assertThat(timedOut.terminate(ConnectionState.HEAD, CloseReason.HEADER_TIMEOUT)).isTrue();
        assertThat(timedOut.retire(CloseReason.HEADER_TIMEOUT)).as("terminated, never handed over").isTrue();
        assertThat(timedOut.terminalReason()).isEqualTo(CloseReason.HEADER_TIMEOUT);
    }

    @Test
    void leavingABodyStopsItsRateClock() {
        c.pace.bodyStart = 42;
        c.move(ConnectionState.BUSY);
        assertThat(c.pace.bodyStart).as("still the same message").isEqualTo(42);
        c.move(ConnectionState.IDLE);
        assertThat(c.pace.bodyStart).isEqualTo(-1);
        c.pace.bodyStart = 42;
        c.move(ConnectionState.HEAD);
        assertThat(c.pace.bodyStart).isEqualTo(-1);
    }

    @Test
    void expiryReasonFollowsThePhase() {
        assertThat(c.expiryReason(ConnectionState.IDLE)).isEqualTo(CloseReason.IDLE);
        assertThat(c.expiryReason(ConnectionState.HEAD)).isEqualTo(CloseReason.HEADER_TIMEOUT);
        assertThat(c.expiryReason(ConnectionState.BODY)).isEqualTo(CloseReason.IDLE);
        assertThat(c.expiryReason(ConnectionState.WRITING)).isEqualTo(CloseReason.WRITE_TIMEOUT);
        assertThat(c.expiryReason(ConnectionState.HANDLING)).isEqualTo(CloseReason.REQUEST_TIMEOUT);
        assertThat(c.expiryReason(ConnectionState.PROXY)).isEqualTo(CloseReason.PROXY_REFUSED);
        assertThat(c.expiryReason(ConnectionState.BUSY)).as("decoding and encoding are never timed out").isNull();
    }

    @Test
    void aProxyHeaderRunsUnderTheHeaderTimeoutFromTheAccept() {
        Timeouts headerOf100 = new Timeouts(0, 100, 0, 0, MinDataRate.OFF, MinDataRate.OFF, 1_000_000_000L, 0, null);
        ConnectionState p = new ConnectionState(c.info, null, headerOf100);
        assertThat(p.toProxyHeader(1_000)).isTrue();
        assertThat(p.deadline).isEqualTo(1_100);
        assertThat(p.expire(1_099)).isNull();
        assertThat(p.expire(1_100)).isEqualTo(CloseReason.PROXY_REFUSED);
    }

    @Test
    void theAddressCountedForAConnectionIsGivenBackOnceEvenWhenTheCloseComesFirst() throws Exception {
        java.net.InetAddress ip = java.net.InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
        assertThat(c.countIp(ip)).isTrue();
        assertThat(c.uncountIp()).isEqualTo(ip);
        assertThat(c.uncountIp()).as("once").isNull();

        ConnectionState closedFirst = new ConnectionState(c.info, null, Timeouts.NONE);
        assertThat(closedFirst.uncountIp()).as("nothing counted yet").isNull();
        assertThat(closedFirst.countIp(ip)).as("too late: the counter gives it back itself").isFalse();
    }

    @Test
    void closesExactlyOnce() {
        assertThat(c.markClosed()).isTrue();
        assertThat(c.markClosed()).isFalse();
        assertThat(c.isClosed()).isTrue();
    }
}
