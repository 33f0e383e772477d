package dev.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/** The byte-at-a-time I/O of the soak's slow clients ({@link SoakClients#slowHead}, {@code slowBody}). */
final class Dribble {
    /** {@link #peek}: no byte within the read timeout. */
    static final int NOTHING_YET = -2;

    private Dribble() {
    }

    /** Sends byte {@code i} of {@code filler} (cycling), if any; a server that closed is seen by the read. */
    static void sendQuietly(OutputStream out, byte[] filler, int i) {
        try {
            if (filler.length > 0) {
                out.write(filler[i % filler.length]);
                out.flush();
            }
        } catch (IOException e) {
            // The server closed: an answer may still wait in our receive buffer.
        }
    }

    /** The next byte, left unread; {@link #NOTHING_YET} within the read timeout, -1 at the end. */
    static int peek(InputStream in) {
        try {
            in.mark(1);
            int b = in.read();
            if (b >= 0) {
                in.reset();
            }
            return b;
        } catch (SocketTimeoutException e) {
            return NOTHING_YET;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The status of the answer that starts in {@code in}, or {@code partial_answer}. */
    static String answer(InputStream in) {
        try {
            return String.valueOf(HttpReply.read(in, "POST").status());
        } catch (IOException e) {
            return "partial_answer";
        }
    }
}
