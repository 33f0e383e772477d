package dev.sluice.tls;

/**
 * Certificates or keys could not be loaded: a file is missing or unreadable, is not what it should
 * be, the password is wrong, or the key does not belong to the certificate. The message names the
 * file and says what was wrong, fit for one line of a log or of a command's error output.
 */
public final class KeyMaterialException extends Exception {
    public KeyMaterialException(String message) {
        super(message);
    }

    public KeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
