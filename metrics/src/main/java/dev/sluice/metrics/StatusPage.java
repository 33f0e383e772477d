package dev.sluice.metrics;

import dev.sluice.core.CloseReason;
import dev.sluice.core.Server;
import dev.sluice.core.Stats;
import dev.sluice.core.internal.Spelling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The admin port's {@code /status} (an HTML page that reloads itself every
 * {@value #REFRESH_SECONDS} seconds) and {@code /status.json}, both rendered from one
 * {@link Snapshot} of the main server. Pure functions of the snapshot, so tests need no server.
 */
final class StatusPage {
    static final int REFRESH_SECONDS = 2;

    /**
     * What the page shows, read at one moment.
     *
     * @param requests responses so far by status class ({@code 2xx}...), in order
     * @param closes connections closed so far by reason ({@code normal}...), in order
     * @param accessLogDropped access log lines dropped, or -1 without an access log
     */
    record Snapshot(String version, String engine, String listening, Duration uptime, boolean ready,
                    long open, int idle, long accepted, long rejected, long busyThreads,
                    int queueDepth, RecentWindow.Summary recent, Map<String, Long> requests,
                    Map<String, Long> closes, long bytesIn, long bytesOut, long accessLogDropped) {
    }

    /** The project version, from {@code version.properties}, which Maven fills in from the pom. */
    static final String VERSION = version();

    private StatusPage() {
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = StatusPage.class.getResourceAsStream("version.properties")) {
            p.load(Objects.requireNonNull(in, "version.properties is missing from the build"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    /** Reads {@code main}'s stats and {@code metrics} now; {@code log} may be null. */
    static Snapshot snapshot(Server main, ServerMetrics metrics, AccessLog log, Duration uptime) {
        Stats s = main.stats();
        int port = main.port() == -1 ? main.config().port() : main.port();
        String listening = "http://" + Spelling.hostPort(main.config().host(), port);
        Map<String, Long> requests = new LinkedHashMap<>();
        for (int c = 2; c <= 9; c++) {
            long n = metrics.requests(c);
            if (c <= 5 || n > 0) {
                requests.put(c + "xx", n);
            }
        }
        Map<String, Long> closes = new LinkedHashMap<>();
        for (CloseReason r : CloseReason.values()) {
            closes.put(r.logName(), s.closes(r));
        }
        return new Snapshot(VERSION, main.config().engine().cliName(), listening,
                uptime, main.port() != -1 && !main.isClosing(), s.open(), s.idle(), s.accepted(),
                s.rejected(), s.busyThreads(), s.queueDepth(), metrics.recent(), requests, closes,
                s.bytesIn(), s.bytesOut(), log == null ? -1 : log.dropped());
    }

    /** The page. */
    static String html(Snapshot s) {
        RecentWindow.Summary r = s.recent();
        StringBuilder h = new StringBuilder(4096);
        h.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>sluice status</title>\n<style>\n").append(CSS).append("</style>\n")
                .append("</head>\n<body>\n<header>\n<h1>sluice <span class=\"")
                .append(s.ready() ? "ok\">serving" : "warn\">not ready").append("</span></h1>\n<p>")
                .append(escape(s.listening())).append(" · engine <b>").append(escape(s.engine()))
                .append("</b> · up <b>").append(uptime(s.uptime())).append("</b> · version ")
                .append(escape(s.version())).append("</p>\n</header>\n<section class=\"cards\">\n");
        card(h, "requests/s", fixed(r.perSecond(), 1), "last " + Math.round(r.seconds()) + " s");
        card(h, "p50", millis(r.p50()), "latency");
        card(h, "p90", millis(r.p90()), "latency");
        card(h, "p99", millis(r.p99()), "latency");
        card(h, "open", count(s.open()), count(s.idle()) + " idle");
        card(h, "busy threads", count(s.busyThreads()), "queue " + count(s.queueDepth()));
        h.append("</section>\n<section class=\"tables\">\n");
        table(h, "Responses", s.requests());
        Map<String, Long> conns = new LinkedHashMap<>();
        conns.put("accepted", s.accepted());
        conns.put("rejected", s.rejected());
        conns.put("open", s.open());
        conns.put("idle", (long) s.idle());
        table(h, "Connections", conns);
        table(h, "Closes by reason", s.closes());
        Map<String, Long> traffic = new LinkedHashMap<>();
        traffic.put("bytes received", s.bytesIn());
        traffic.put("bytes sent", s.bytesOut());
        if (s.accessLogDropped() >= 0) {
            traffic.put("access log lines dropped", s.accessLogDropped());
        }
        table(h, "Traffic", traffic);
        return h.append("</section>\n<footer>Reloads every ").append(REFRESH_SECONDS)
                .append(" s · latency from the first byte of a request to its response · ")
                .append("<a href=\"/status.json\">status.json</a> · <a href=\"/metrics\">metrics</a>")
                .append("</footer>\n</body>\n</html>\n").toString();
    }

    /** The same numbers for machines: one JSON object; unknown percentiles are null. */
    static String json(Snapshot s) {
        RecentWindow.Summary r = s.recent();
        StringBuilder j = new StringBuilder(1024).append('{');
        j.append("\"version\":");
        AccessLogFormat.jsonString(j, s.version());
        j.append(",\"engine\":");
        AccessLogFormat.jsonString(j, s.engine());
        j.append(",\"listening\":");
        AccessLogFormat.jsonString(j, s.listening());
        j.append(",\"uptime_seconds\":").append(s.uptime().toSeconds())
                .append(",\"ready\":").append(s.ready())
                .append(",\"connections\":{\"open\":").append(s.open()).append(",\"idle\":").append(s.idle())
                .append(",\"accepted\":").append(s.accepted()).append(",\"rejected\":").append(s.rejected())
                .append("},\"threads_busy\":").append(s.busyThreads())
                .append(",\"queue_depth\":").append(s.queueDepth())
                .append(",\"recent\":{\"window_seconds\":").append(number(r.seconds()))
                .append(",\"requests\":").append(r.requests())
                .append(",\"per_second\":").append(number(r.perSecond()))
                .append(",\"p50_ms\":").append(number(r.p50()))
                .append(",\"p90_ms\":").append(number(r.p90()))
                .append(",\"p99_ms\":").append(number(r.p99())).append('}');
        object(j, "requests", s.requests());
        object(j, "closes", s.closes());
        j.append(",\"bytes\":{\"received\":").append(s.bytesIn()).append(",\"sent\":")
                .append(s.bytesOut()).append('}');
        if (s.accessLogDropped() >= 0) {
            j.append(",\"access_log_dropped\":").append(s.accessLogDropped());
        }
        return j.append("}\n").toString();
    }

    private static void object(StringBuilder j, String name, Map<String, Long> values) {
        j.append(",\"").append(name).append("\":{");
        String sep = "";
        for (Map.Entry<String, Long> e : values.entrySet()) {
            j.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
            sep = ",";
        }
        j.append('}');
    }

    /** A figure; a unit after its last space ({@code 2.50 ms}) is set smaller. */
    private static void card(StringBuilder h, String label, String value, String note) {
        int space = value.lastIndexOf(' ');
        String figure = space < 0 ? escape(value) : escape(value.substring(0, space))
                + "<small> " + escape(value.substring(space + 1)) + "</small>";
        h.append("<div class=\"card\"><div class=\"label\">").append(escape(label))
                .append("</div><div class=\"value\">").append(figure)
                .append("</div><div class=\"note\">").append(escape(note)).append("</div></div>\n");
    }

    private static void table(StringBuilder h, String title, Map<String, Long> rows) {
        h.append("<table>\n<caption>").append(escape(title)).append("</caption>\n");
        for (Map.Entry<String, Long> e : rows.entrySet()) {
            h.append("<tr><th>").append(escape(e.getKey())).append("</th><td>")
                    .append(count(e.getValue())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    /** {@code 1234567}: {@code 1,234,567}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Milliseconds with three significant digits ({@code 0.153 ms}, {@code 12.4 ms}); {@code –} for NaN. */
    static String millis(double ms) {
        if (Double.isNaN(ms)) {
            return "–";
        }
        if (ms >= 1000) {
            return fixed(ms / 1000, ms >= 10_000 ? 1 : 2) + " s";
        }
        return fixed(ms, ms < 1 ? 3 : ms < 10 ? 2 : ms < 100 ? 1 : 0) + " ms";
    }

    static String fixed(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** {@code 3d 4h}, {@code 2h 5m}, {@code 4m 12s}, {@code 12s}. */
    static String uptime(Duration d) {
        long s = d.toSeconds();
        if (s >= 86_400) {
            return s / 86_400 + "d " + s % 86_400 / 3_600 + "h";
        }
        if (s >= 3_600) {
            return s / 3_600 + "h " + s % 3_600 / 60 + "m";
        }
        return s >= 60 ? s / 60 + "m " + s % 60 + "s" : s + "s";
    }

    private static String number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : fixed(v, 3);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;
            padding:24px 32px;background:#f6f7f9;color:#1d232b}
            header h1{margin:0;font-size:22px}header p{margin:4px 0 20px;color:#5b6573}
            h1 span{font-size:13px;font-weight:600;padding:2px 8px;border-radius:10px;vertical-align:middle}
            .ok{background:#dff5e3;color:#17692c}.warn{background:#fde8e8;color:#a4161a}
            .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:12px}
            .card,table{background:#fff;border:1px solid #e3e6ea;border-radius:8px}
            .card{padding:12px 16px}.label{color:#5b6573;font-size:13px}
            .value{font-size:26px;font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
            .value small{font-size:14px;font-weight:500;color:#5b6573}
            .note{color:#8a93a0;font-size:12px}
            .tables{display:flex;flex-wrap:wrap;gap:12px;margin-top:16px;align-items:flex-start}
            table{border-collapse:separate;border-spacing:0;min-width:220px;padding:6px 0}
            caption{text-align:left;font-weight:600;padding:0 0 6px 4px}
            th,td{padding:4px 16px;text-align:left;font-weight:normal}
            td{text-align:right;font-variant-numeric:tabular-nums}
            footer{margin-top:20px;color:#8a93a0;font-size:12px}a{color:#2457c5}
            """;
}
