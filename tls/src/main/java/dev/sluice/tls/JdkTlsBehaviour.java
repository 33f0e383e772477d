package dev.sluice.tls;

import java.util.List;

/**
 * What the JDK's TLS provider does on its own about renegotiation, early data and session tickets,
 * read from the system properties it consults, for the startup report. These are JDK settings,
 * not Sluice's: they are read once, when the JDK's TLS classes first load, so they must be set on
 * the command line ({@code -D}) to take effect.
 */
public final class JdkTlsBehaviour {
    static final String REJECT_CLIENT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";
    static final String SESSION_TICKETS = "jdk.tls.server.enableSessionTicketExtension";
    static final String TICKET_KEY_TIMEOUT = "jdk.tls.server.statelessKeyTimeout";
    /** The JDK's rotation period of session ticket keys when {@link #TICKET_KEY_TIMEOUT} is unset. */
    static final int DEFAULT_TICKET_KEY_TIMEOUT_SECONDS = 3600;

    private JdkTlsBehaviour() {
    }

    /** One line per behaviour, as in force in this JVM. */
    public static List<String> report() {
        boolean rejectRenegotiation = Boolean.parseBoolean(System.getProperty(REJECT_CLIENT_RENEGOTIATION));
        boolean tickets = !"false".equalsIgnoreCase(System.getProperty(SESSION_TICKETS, "true"));
        String keyTimeout = System.getProperty(TICKET_KEY_TIMEOUT,
                Integer.toString(DEFAULT_TICKET_KEY_TIMEOUT_SECONDS));
        return List.of(
                "tls renegotiation: none in TLS 1.3; in TLS 1.2 client-initiated "
                        + (rejectRenegotiation ? "refused" : "allowed (set -D" + REJECT_CLIENT_RENEGOTIATION
                        + "=true to refuse)"),
                "tls early data (0-RTT): off (the JDK does not implement it)",
                "tls session tickets: " + (tickets ? "on, keys rotated every " + keyTimeout + "s ("
                        + TICKET_KEY_TIMEOUT + ")" : "off (" + SESSION_TICKETS + "=false)"));
    }
}
