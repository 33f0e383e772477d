package dev.sluice.core;

import java.io.InputStream;
import java.io.OutputStream;

/** One accepted connection as seen by a {@link ConnectionHandler}. Used by one thread. */
public interface Connection {

    /** Who is connected. */
    ConnectionInfo info();

    /** The bytes the client sends; {@code read} returns -1 at the client's end of stream. */
    InputStream input();

    /** The bytes sent to the client, unbuffered: wrap it in a buffer for small writes. */
    OutputStream output();

    /** Whether the server is shutting down: finish the exchange at hand and return. */
    boolean closing();
}
