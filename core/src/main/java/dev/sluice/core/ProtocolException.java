package dev.sluice.core;

/**
 * Bytes that can never form a valid message. Carries a protocol-specific {@link #code()} (HTTP:
 * the status to answer with) and a reason fit to log and to send: it never quotes the client's
 * input. The connection is closed after the error is answered.
 */
public class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int code;

    public ProtocolException(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    /** The protocol's code for this error (HTTP: a status such as 400 or 431). */
    public int code() {
        return code;
    }

    /** The reason, safe to log and to send. */
    public String reason() {
        return getMessage();
    }
}
