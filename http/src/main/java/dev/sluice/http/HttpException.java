package dev.sluice.http;

import dev.sluice.core.ProtocolException;

/**
 * An HTTP error status with a short fixed reason. Thrown by the codec for a request it refuses
 * (the connection then answers with {@link #status()} and {@code Connection: close}); a handler may
 * throw one too, and the client gets that status instead of 500.
 *
 * <p>The reason is sent to the client and logged, so it must never quote the client's input.
 */
public class HttpException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * @param status a 4xx or 5xx status code
     * @param reason a fixed phrase, sent as the body of the error response; never client input
     * @throws IllegalArgumentException if {@code status} is not in 400..599
     */
    public HttpException(int status, String reason) {
        super(checkStatus(status), reason);
    }

    /** The status code the client is answered with. */
    public int status() {
        return code();
    }

    static HttpException badRequest(String reason) {
        return new HttpException(400, reason);
    }

    private static int checkStatus(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        return status;
    }
}
