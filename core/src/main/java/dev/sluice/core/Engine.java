package dev.sluice.core;

import java.util.Arrays;
import java.util.Locale;

/**
 * The concurrency strategies a {@link Server} can run. The {@link #cliName() names} are a public
 * contract: scripts pass them to {@code --engine}.
 *
 * <table>
 *   <caption>Engines</caption>
 *   <tr><th>engine</th><th>threads</th><th>pick it when</th></tr>
 *   <tr><td>{@code sequential}</td><td>the acceptor serves one connection at a time</td>
 *       <td>never in production: the baseline that shows why the others exist</td></tr>
 *   <tr><td>{@code thread-per-connection}</td><td>a new platform thread per connection, at most
 *       {@link ServerConfig#threads()} alive</td><td>few, long, busy connections</td></tr>
 *   <tr><td>{@code pool}</td><td>{@link ServerConfig#threads()} platform threads and a queue of
 *       {@link ServerConfig#queue()} accepted connections</td>
 *       <td>bounded memory with blocking handlers and short connections</td></tr>
 *   <tr><td>{@code virtual}</td><td>a virtual thread per connection</td>
 *       <td>blocking handlers with many connections: the default</td></tr>
 *   <tr><td>{@code event-loop}</td><td>{@link ServerConfig#threads()} selector threads; blocking
 *       handlers are handed to virtual threads</td><td>the most connections per byte of memory and
 *       the fastest non-blocking handlers</td></tr>
 * </table>
 */
public enum Engine {
    SEQUENTIAL("sequential"),
    THREAD_PER_CONNECTION("thread-per-connection"),
    POOL("pool"),
    VIRTUAL("virtual"),
    EVENT_LOOP("event-loop");

    private final String cliName;

    Engine(String cliName) {
        this.cliName = cliName;
    }

    /** The engine's name on the command line, for example {@code thread-per-connection}. */
    public String cliName() {
        return cliName;
    }

    /** Whether connections on this engine are served by code that may block a thread. */
    public boolean blocking() {
        return this != EVENT_LOOP;
    }

    /**
     * The engine named {@code name} ({@link #cliName()}; case and {@code _} for {@code -} are
     * forgiven).
     *
     * @throws IllegalArgumentException naming the engines that exist
     */
    public static Engine fromName(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Engine e : values()) {
            if (e.cliName.equals(wanted)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + name + "'; expected one of "
                + String.join(", ", Arrays.stream(values()).map(Engine::cliName).toList()));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
