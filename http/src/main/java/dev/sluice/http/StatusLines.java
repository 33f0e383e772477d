package dev.sluice.http;

import java.nio.charset.StandardCharsets;

/**
 * Status lines ({@code HTTP/1.1 200 OK\r\n}) as bytes, built once for the registered codes of
 * RFC 9110 15 and a few others; any other code gets an empty reason phrase, which RFC 9112 4
 * allows.
 */
final class StatusLines {
    private static final byte[][] LINES = new byte[1000][];
    private static final String[] REASONS = new String[1000];

    static {
        String[] table = {
            "100", "Continue", "200", "OK", "201", "Created", "202", "Accepted",
            "203", "Non-Authoritative Information", "204", "No Content", "205", "Reset Content",
            "206", "Partial Content", "300", "Multiple Choices", "301", "Moved Permanently",
            "302", "Found", "303", "See Other", "304", "Not Modified", "307", "Temporary Redirect",
            "308", "Permanent Redirect", "400", "Bad Request", "401", "Unauthorized",
            "402", "Payment Required", "403", "Forbidden", "404", "Not Found",
            "405", "Method Not Allowed", "406", "Not Acceptable", "408", "Request Timeout",
            "409", "Conflict", "410", "Gone", "411", "Length Required",
            "412", "Precondition Failed", "413", "Content Too Large", "414", "URI Too Long",
            "415", "Unsupported Media Type", "416", "Range Not Satisfiable",
            "417", "Expectation Failed", "421", "Misdirected Request", "422", "Unprocessable Content",
            "426", "Upgrade Required", "428", "Precondition Required", "429", "Too Many Requests",
            "431", "Request Header Fields Too Large", "500", "Internal Server Error",
            "501", "Not Implemented", "502", "Bad Gateway", "503", "Service Unavailable",
            "504", "Gateway Timeout", "505", "HTTP Version Not Supported",
        };
        for (int i = 0; i < table.length; i += 2) {
            int code = Integer.parseInt(table[i]);
            REASONS[code] = table[i + 1];
            LINES[code] = build(code);
        }
    }

    private StatusLines() {
    }

    /** The status line for {@code status} (100..999), CRLF included. Callers must not change it. */
    static byte[] of(int status) {
        byte[] line = LINES[status];
        return line != null ? line : build(status);
    }

    /** The registered reason phrase, or the empty string. */
    static String reason(int status) {
        String reason = REASONS[status];
        return reason == null ? "" : reason;
    }

    private static byte[] build(int status) {
        return ("HTTP/1.1 " + status + " " + reason(status) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
