package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.Channel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When LISTEN_PID and LISTEN_FDS say systemd passed a socket, and what is told when it is unusable. */
class SystemdSocketTest {
    private static final long PID = 4242;
    /** fd 0 is not a socket (a terminal, a file, /dev/null). */
    private static final SystemdSocket.Stdin NOT_A_SOCKET = () -> null;
    /** fd 0 is a channel but not a listening socket (a pipe, a connected socket). */
    private static final SystemdSocket.Stdin OTHER_CHANNEL = () -> new Channel() {
        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    };

    @Test
    void noVariablesMeansBindAsConfigured() {
        assertThat(SystemdSocket.inherited(Map.of(), PID, NOT_A_SOCKET)).isEmpty();
        assertThat(SystemdSocket.inherited(Map.of("LISTEN_FDS", "1"), PID, NOT_A_SOCKET)).isEmpty();
    }

    @Test
    void listenPidOfAnotherProcessIsIgnoredAsSdListenFdsDoes() {
        Map<String, String> env = Map.of("LISTEN_PID", "17", "LISTEN_FDS", "1");
        assertThat(SystemdSocket.inherited(env, PID, NOT_A_SOCKET)).isEmpty();
    }

    @Test
    void zeroSocketsMeansBindAsConfigured() {
        Map<String, String> env = Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "0");
        assertThat(SystemdSocket.inherited(env, PID, NOT_A_SOCKET)).isEmpty();
    }

    @Test
    void failsNamingTheVariableWhenFd0IsNotAListeningSocket() {
        Map<String, String> env = Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "1");
        for (SystemdSocket.Stdin stdin : new SystemdSocket.Stdin[] {NOT_A_SOCKET, OTHER_CHANNEL}) {
            assertThatThrownBy(() -> SystemdSocket.inherited(env, PID, stdin))
                    .isInstanceOf(ListenFailure.class)
                    .hasMessage("LISTEN_FDS=1 but fd 0 is not a listening TCP socket: start Sluice through "
                            + "bin/sluice (it moves systemd's fd 3 to fd 0) or set StandardInput=socket");
        }
    }

    @Test
    void failsOnMoreThanOneSocket() {
        Map<String, String> env = Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "2");
        assertThatThrownBy(() -> SystemdSocket.inherited(env, PID, NOT_A_SOCKET))
                .isInstanceOf(ListenFailure.class).hasMessageStartingWith("LISTEN_FDS=2: systemd passed 2 sockets");
    }

    @Test
    void failsNamingTheMalformedVariable() {
        assertThatThrownBy(() -> SystemdSocket.inherited(Map.of("LISTEN_PID", "me", "LISTEN_FDS", "1"),
                PID, NOT_A_SOCKET)).isInstanceOf(ListenFailure.class).hasMessageStartingWith("LISTEN_PID='me'");
        assertThatThrownBy(() -> SystemdSocket.inherited(Map.of("LISTEN_PID", "4242", "LISTEN_FDS", "-1"),
                PID, NOT_A_SOCKET)).isInstanceOf(ListenFailure.class).hasMessageStartingWith("LISTEN_FDS='-1'");
    }
}
