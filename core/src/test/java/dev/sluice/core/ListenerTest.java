package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerTest {
    @TempDir
    Path dir;

    @Test
    void warnsOfResetsOnlyWhereTheKernelSaysItWouldNotMigrate() throws Exception {
        CapturingLoggerFinder.clear();
        Path off = Files.writeString(dir.resolve("off"), "0\n");
        assertThat(Listener.warnIfQueuedConnectionsWouldBeReset(off)).isTrue();
        assertThat(CapturingLoggerFinder.lines()).anyMatch(l -> l.contains("WARNING")
                && l.contains("reuse_port_restart_unsafe") && l.contains("tcp_migrate_req=1"));
        assertThat(Listener.warnIfQueuedConnectionsWouldBeReset(Files.writeString(dir.resolve("on"), "1\n")))
                .isFalse();
        assertThat(Listener.warnIfQueuedConnectionsWouldBeReset(dir.resolve("absent"))).isFalse();
    }
}
