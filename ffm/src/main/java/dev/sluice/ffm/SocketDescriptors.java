package dev.sluice.ffm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds this process's descriptor for a TCP socket, which the JDK keeps to itself: the kernel's
 * socket tables ({@code /proc/self/net/tcp}, {@code tcp6}) give the socket's inode from its
 * ports and state, and {@code /proc/self/fd} the descriptor that links to {@code socket:[inode]}.
 * Reads both tables whole, so it is for a listening socket once, not for every connection.
 */
final class SocketDescriptors {
    /** The states as the tables spell them ({@code include/net/tcp_states.h}). */
    private static final String ESTABLISHED = "01";
    private static final String LISTEN = "0A";
    private static final List<Path> TABLES =
            List.of(Path.of("/proc/self/net/tcp"), Path.of("/proc/self/net/tcp6"));

    private SocketDescriptors() {
    }

    /** The descriptor of this process's socket listening on {@code port}. */
    static int listening(int port) throws IOException {
        return find(port, -1, LISTEN);
    }

    /** The descriptor of this process's connected socket between the two ports. */
    static int established(int localPort, int remotePort) throws IOException {
        return find(localPort, remotePort, ESTABLISHED);
    }

    private static int find(int localPort, int remotePort, String state) throws IOException {
        String what = (state.equals(LISTEN) ? "listening socket on port " : "connection from port ")
                + localPort + (remotePort < 0 ? "" : " to port " + remotePort);
        Set<String> links = socketLinks(localPort, remotePort, state);
        if (links.isEmpty()) {
            throw new IOException("no TCP " + what + " in /proc/self/net/tcp or tcp6");
        }
        int found = -1;
        String foundTarget = null;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed since the listing, the listing's own descriptor among them
                }
                if (!links.contains(target)) {
                    continue;
                }
                if (found < 0) {
                    found = Integer.parseInt(fd.getFileName().toString());
                    foundTarget = target;
                } else if (!target.equals(foundTarget)) {
                    // Ports only are compared: two of ours (other addresses, or SO_REUSEPORT). Two
                    // descriptors of one socket (System.inheritedChannel() keeps fd 0 and a dup): either.
                    throw new IOException("this process holds more than one " + what);
                }
            }
        }
        if (found < 0) {
            throw new IOException("this process holds no descriptor for the " + what);
        }
        return found;
    }

    /** The {@code socket:[inode]} links of the sockets in the kernel's tables that match. */
    private static Set<String> socketLinks(int localPort, int remotePort, String state) throws IOException {
        Set<String> links = new HashSet<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            for (String line : Files.readAllLines(table)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[3].equals(state) && port(f[1]) == localPort
                        && (remotePort < 0 || port(f[2]) == remotePort)) {
                    links.add("socket:[" + f[9] + "]");
                }
            }
        }
        return links;
    }

    /** The port of {@code 0100007F:1F90} (hex, after the last colon). */
    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1), 16);
    }
}
