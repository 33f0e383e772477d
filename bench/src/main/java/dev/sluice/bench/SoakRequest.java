package dev.sluice.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One ordinary request of the soak and what its answer must be: the status and, byte for byte,
 * the body ({@code expected[from, to)}), or for the listing a name it must contain.
 *
 * @param method GET or HEAD
 * @param target the request target
 * @param range the Range header, or null
 * @param status the status the answer must have
 * @param expected the array holding the expected body; null when only {@code contains} is checked
 * @param from first expected byte
 * @param to one past the last expected byte
 * @param contains text the body must contain (the listing), or null
 */
record SoakRequest(String method, String target, String range, int status,
                   byte[] expected, int from, int to, String contains) {

    /** A request drawn from the mix: mostly small files, then the big file whole or in a range. */
    static SoakRequest pick(SplittableRandom random, SoakFiles files) {
        int dice = random.nextInt(100);
        if (dice < 45) {
            int i = random.nextInt(files.small().size());
            byte[] b = files.small().get(i);
            return new SoakRequest("GET", "/" + SoakFiles.smallName(i), null, 200, b, 0, b.length, null);
        }
        byte[] big = files.big();
        String bigPath = "/" + SoakFiles.BIG_NAME;
        if (dice < 55) {
            return new SoakRequest("GET", bigPath, null, 200, big, 0, big.length, null);
        }
        if (dice < 75) {
            int first = random.nextInt(big.length);
            int last = Math.min(big.length - 1, first + random.nextInt(256 * 1024));
            return new SoakRequest("GET", bigPath, "bytes=" + first + "-" + last, 206, big, first, last + 1, null);
        }
        if (dice < 82) {
            int n = 1 + random.nextInt(64 * 1024);
            return new SoakRequest("GET", bigPath, "bytes=-" + n, 206, big, big.length - n, big.length, null);
        }
        if (dice < 89) {
            return new SoakRequest("HEAD", bigPath, null, 200, big, 0, 0, null);
        }
        if (dice < 95) {
            return new SoakRequest("GET", "/missing-" + random.nextInt(1000), null, 404, null, 0, 0, null);
        }
        return new SoakRequest("GET", "/", null, 200, null, 0, 0, SoakFiles.BIG_NAME);
    }

    /** The request bytes; {@code close} adds {@code Connection: close}. */
    byte[] bytes(boolean close) {
        StringBuilder sb = new StringBuilder(128).append(method).append(' ').append(target)
                .append(" HTTP/1.1\r\nHost: soak\r\nUser-Agent: sluice-soak\r\n");
        if (range != null) {
            sb.append("Range: ").append(range).append("\r\n");
        }
        if (close) {
            sb.append("Connection: close\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Null when {@code reply} is right; else what is wrong, as {@code got X; want Y}. */
    String check(HttpReply reply) {
        if (reply.status() != status) {
            return "status: got " + reply.status() + "; want " + status;
        }
        byte[] body = reply.body();
        if (contains != null) {
            String text = new String(body, StandardCharsets.UTF_8);
            return text.contains(contains) ? null : "body: does not contain " + contains;
        }
        if (method.equals("HEAD")) {
            String cl = reply.header("content-length");
            return String.valueOf(expected.length).equals(cl) ? null
                    : "HEAD content-length: got " + cl + "; want " + expected.length;
        }
        if (expected == null) {
            return null; // 404: the status is the contract, the text is not
        }
        if (range != null) {
            String want = "bytes " + from + "-" + (to - 1) + "/" + expected.length;
            String got = reply.header("content-range");
            if (!want.equals(got)) {
                return "content-range: got " + got + "; want " + want;
            }
        }
        if (body.length != to - from) {
            return "body length: got " + body.length + "; want " + (to - from);
        }
        if (!Arrays.equals(body, 0, body.length, expected, from, to)) {
            return "body: " + (to - from) + " bytes differ from the file at " + from;
        }
        return null;
    }

    @Override
    public String toString() {
        return method + " " + target + (range == null ? "" : " Range: " + range);
    }
}
