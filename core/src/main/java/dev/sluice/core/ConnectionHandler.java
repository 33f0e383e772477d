package dev.sluice.core;

import java.io.IOException;

/**
 * A custom protocol written as plain blocking code against a connection's streams, for the
 * blocking engines ({@code sequential}, {@code thread-per-connection}, {@code pool},
 * {@code virtual}). Runs on the connection's own thread; the server closes the connection when it
 * returns or throws. Reads are under the idle timeout and writes under the write timeout: when one
 * fires, the stream call throws an {@link IOException}.
 */
@FunctionalInterface
public interface ConnectionHandler {
    void handle(Connection connection) throws IOException;
}
