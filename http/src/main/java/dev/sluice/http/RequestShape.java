package dev.sluice.http;

/**
 * What a response must respect of the request it answers: a HEAD gets the head only, with the
 * length a GET would get (RFC 9110 9.3.2); an HTTP/1.0 client cannot take chunked (RFC 9112 7).
 * Four constants, so the codec keeps one per request without making one.
 */
enum RequestShape {
    FULL_1_1(false, false),
    HEAD_1_1(true, false),
    FULL_1_0(false, true),
    HEAD_1_0(true, true);

    private final boolean head;
    private final boolean http10;

    RequestShape(boolean head, boolean http10) {
        this.head = head;
        this.http10 = http10;
    }

    /** The shape of a request with {@code method} and HTTP/1.{@code minor}. */
    static RequestShape of(String method, int minor) {
        boolean h = method.equals("HEAD");
        if (minor == 0) {
            return h ? HEAD_1_0 : FULL_1_0;
        }
        return h ? HEAD_1_1 : FULL_1_1;
    }

    /** The request was HEAD: answer with the head only. */
    boolean head() {
        return head;
    }

    /** The request was HTTP/1.0: no chunked, and keep-alive only when said. */
    boolean http10() {
        return http10;
    }
}
