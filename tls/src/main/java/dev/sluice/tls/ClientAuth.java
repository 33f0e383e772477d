package dev.sluice.tls;

/** Whether the server asks clients for a certificate (mutual TLS). */
public enum ClientAuth {
    /** No client certificate is requested. */
    NONE,
    /** A certificate is requested; a client without one is still served, one with a bad one is not. */
    WANT,
    /** A certificate is required: a client without a valid one fails the handshake. */
    NEED;

    /** The flag's spelling: {@code none}, {@code want} or {@code need}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
