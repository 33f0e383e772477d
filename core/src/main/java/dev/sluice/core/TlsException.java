package dev.sluice.core;

import java.io.IOException;

/** The TLS layer gave up on a connection; the message says why. */
final class TlsException extends IOException {
    private static final long serialVersionUID = 1L;

    TlsException(String message) {
        super(message);
    }
}
