package dev.sluice.cli;

import dev.sluice.core.internal.Spelling;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;

/**
 * A listener that could not bind, main or admin, told the same way: what failed and the flag that
 * fixes it, e.g. {@code port 8080 is in use on 0.0.0.0 (another process?); choose another with
 * --port}. The message is the whole usage error: no "see --help", which cannot free a port.
 */
final class ListenFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private ListenFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure told by {@code message} alone, e.g. a socket systemd was to pass and did not. */
    static ListenFailure because(String message) {
        return new ListenFailure(message, null);
    }

    /**
     * @param portFlag the flag that sets the port: {@code --port}, {@code --admin-port}
     * @param hostFlag the flag that sets the host: {@code --host}, {@code --admin-host}
     */
    static ListenFailure of(String host, int port, Exception e, String portFlag, String hostFlag) {
        String why = e.getMessage() == null ? "" : e.getMessage();
        String where = Spelling.hostPort(host, port);
        String message;
        if (e instanceof BindException && why.contains("in use")) {
            message = "port " + port + " is in use on " + host + " (another process?); choose "
                    + "another with " + portFlag;
        } else if (e instanceof BindException && why.contains("Permission denied")) {
            message = "port " + port + " on " + host + " needs privileges (a port below 1024); "
                    + "choose another with " + portFlag;
        } else if (e instanceof UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            message = "cannot listen on " + where + ": unknown host; check " + hostFlag;
        } else if (e instanceof UnsupportedAddressTypeException) {
            message = "cannot listen on " + where + ": unsupported address type; check " + hostFlag;
        } else if (e instanceof BindException) {
            message = "cannot listen on " + where + ": " + why + "; check " + hostFlag;
        } else {
            message = "cannot listen on " + where + ": "
                    + (why.isEmpty() ? e.getClass().getSimpleName() : why);
        }
        return new ListenFailure(message, e);
    }
}
