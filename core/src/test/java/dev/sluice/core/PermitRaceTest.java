package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * A client closing a connection that has been idle past {@link ServerConfig#EVICTABLE_AFTER_IDLE}
 * races the acceptor evicting it for a newcomer at the limit: the permit goes to exactly one of
 * them, never back to the pool and to the newcomer both (which would let the server admit one more
 * connection than {@code maxConnections} each time).
 */
class PermitRaceTest {
    @Test
    void aCloseRacingAnEvictionGivesThePermitToOneSideOnly() throws Exception {
        EngineContext context = new EngineContext(ServerConfig.defaults().withMaxConnections(1), new Stats(),
                EchoProtocol.create(), null, null);
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 5555);
        CyclicBarrier go = new CyclicBarrier(2);
        int handedOver = 0;
        for (int i = 0; i < 20_000; i++) {
            context.admission.permits.drainPermits(); // the one permit is held by c
            ConnectionState c = new ConnectionState(new ConnectionInfo(i, remote, remote), null, context.timeouts);
            c.move(ConnectionState.IDLE, 0, System.nanoTime() - 2_000_000_000L);
            boolean[] evicted = {false};
            Thread evictor = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                evicted[0] = c.handOver(System.nanoTime() - 1_000_000_000L); // as Admission.evictIdle
            });
            go.await();
            context.connections.close(c, CloseReason.NORMAL); // its owner read end of stream
            evictor.join();
            int free = context.admission.permits.availablePermits();
            handedOver += evicted[0] ? 1 : 0;
            assertThat(free).as("free permits after round %d, evicted=%s", i, evicted[0])
                    .isEqualTo(evicted[0] ? 0 : 1);
        }
        System.out.println("permit race: the eviction won " + handedOver + " of 20000 rounds");
    }
}
