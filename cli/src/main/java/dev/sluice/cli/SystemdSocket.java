package dev.sluice.cli;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.util.Map;
import java.util.Optional;

/**
 * The listening socket systemd passes a socket-activated service ({@code sd_listen_fds(3)}): when
 * {@code LISTEN_PID} is this process and {@code LISTEN_FDS} is 1, the main server serves on it
 * instead of binding {@code --host}/{@code --port}, so the kernel queues connections while Sluice
 * starts or restarts instead of refusing them.
 *
 * <p>systemd passes the socket as fd 3, which the JDK cannot open; {@link System#inheritedChannel()}
 * sees fd 0 only. So the socket is expected on fd 0: {@code bin/sluice} moves fd 3 there before it
 * execs java (the pid, and so {@code LISTEN_PID}, stays the same), and a unit that runs java itself
 * sets {@code StandardInput=socket}. As {@code sd_listen_fds}, a {@code LISTEN_PID} naming another
 * process (a child that inherited the environment) means no socket was passed to this one.
 * Runs on the main thread, once, before the server starts.
 */
final class SystemdSocket {
    private SystemdSocket() {
    }

    /** The socket systemd passed this process, from the real environment and fd 0. */
    static Optional<ServerSocketChannel> inherited() {
        return inherited(System.getenv(), ProcessHandle.current().pid(), SystemdSocket::stdin);
    }

    /** What fd 0 is: a channel, or null when not a socket; an I/O failure reads as none. */
    interface Stdin {
        Channel channel() throws IOException;
    }

    /**
     * @param env the environment, read for {@code LISTEN_PID} and {@code LISTEN_FDS}
     * @param pid this process's pid
     * @throws ListenFailure when the variables say a socket was passed and none usable is on fd 0,
     *     or they are malformed; the message names the variable
     */
    static Optional<ServerSocketChannel> inherited(Map<String, String> env, long pid, Stdin stdin) {
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenPid == null || listenFds == null) {
            return Optional.empty();
        }
        if (number(listenPid, "LISTEN_PID") != pid) {
            return Optional.empty();
        }
        long fds = number(listenFds, "LISTEN_FDS");
        if (fds == 0) {
            return Optional.empty();
        }
        if (fds != 1) {
            throw ListenFailure.because("LISTEN_FDS=" + fds + ": systemd passed " + fds + " sockets; "
                    + "Sluice serves on one (one ListenStream= in sluice.socket)");
        }
        Channel ch;
        try {
            ch = stdin.channel();
        } catch (IOException e) {
            ch = null;
        }
        if (ch instanceof ServerSocketChannel listener) {
            return Optional.of(listener);
        }
        throw ListenFailure.because("LISTEN_FDS=1 but fd 0 is not a listening TCP socket: start Sluice "
                + "through bin/sluice (it moves systemd's fd 3 to fd 0) or set StandardInput=socket");
    }

    private static long number(String value, String name) {
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw ListenFailure.because(name + "='" + value + "' is not a number (set by systemd "
                + "socket activation; unset it to bind --host/--port)");
    }

    private static Channel stdin() throws IOException {
        return System.inheritedChannel();
    }
}
