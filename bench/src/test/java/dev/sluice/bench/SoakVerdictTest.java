package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SoakVerdictTest {
    private static final ServerSample START = new ServerSample(200 * 1024, 5 * 1024, 16, 26);

    private static SoakCounters someSuccess() {
        SoakCounters c = new SoakCounters();
        c.count("keep_alive", "ok");
        return c;
    }

    @Test
    void passesWhenFlatWithinTheSlack() {
        ServerSample end = new ServerSample(230 * 1024, 6 * 1024, 16 + SoakVerdict.FD_SLACK,
                26 + SoakVerdict.THREAD_SLACK);
        assertThat(new SoakVerdict(START, end, someSuccess()).problems()).isEmpty();
    }

    @Test
    void failsOnHeapGrowthOverTheRelativeLimitOnceAboveTheNoise() {
        // 5 MiB -> 8 MiB: +60%, and 3 MiB is above the 2 MiB noise floor
        ServerSample end = new ServerSample(START.rssKiB(), 8 * 1024, 16, 26);
        assertThat(new SoakVerdict(START, end, someSuccess()).problems())
                .singleElement().asString().startsWith("heap after GC grew");
    }

    @Test
    void failsOnHeapGrowthOverTheAbsoluteLimit() {
        ServerSample big = new ServerSample(START.rssKiB(), 500 * 1024, 16, 26);
        ServerSample end = new ServerSample(START.rssKiB(), 511 * 1024, 16, 26);
        assertThat(new SoakVerdict(big, end, someSuccess()).passed()).isFalse();
    }

    @Test
    void failsOnRssDescriptorAndThreadGrowth() {
        ServerSample end = new ServerSample(START.rssKiB() + 70 * 1024, START.heapAfterGcKiB(), 16 + 3, 26 + 5);
        assertThat(new SoakVerdict(START, end, someSuccess()).problems()).hasSize(3);
    }

    @Test
    void failsOnFailedOrdinaryRequestsUncutClientsAndNoLoad() {
        SoakCounters c = someSuccess();
        c.fail("per_request", "GET /x: status: got 500; want 200");
        c.uncut("slow_head", "still open after 20000 ms");
        assertThat(new SoakVerdict(START, START, c).problems()).hasSize(2);
        assertThat(new SoakVerdict(START, START, new SoakCounters()).problems())
                .containsExactly("no ordinary request succeeded: the load did not run");
    }
}
