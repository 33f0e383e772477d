package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LineFormatterTest {
    private final LineFormatter formatter = new LineFormatter(ZoneOffset.UTC);

    private static LogRecord record(Level level, String message, Object... params) {
        LogRecord r = new LogRecord(level, message);
        r.setInstant(Instant.parse("2026-11-25T18:02:03.123456Z"));
        r.setParameters(params);
        return r;
    }

    @Test
    void writesTimeLevelAndMessageOnOneLine() {
        String line = formatter.format(record(Level.INFO, "shutdown_started signal={0} timeout={1}",
                "SIGTERM", "30s"));
        assertThat(line).isEqualTo("2026-11-25T18:02:03.123Z INFO shutdown_started signal=SIGTERM "
                + "timeout=30s" + System.lineSeparator());
    }

    @Test
    void namesLevelsAsSystemLoggerDoes() {
        assertThat(LineFormatter.levelName(Level.SEVERE)).isEqualTo("ERROR");
        assertThat(LineFormatter.levelName(Level.WARNING)).isEqualTo("WARNING");
        assertThat(LineFormatter.levelName(Level.INFO)).isEqualTo("INFO");
        assertThat(LineFormatter.levelName(Level.FINE)).isEqualTo("DEBUG");
        assertThat(LineFormatter.levelName(Level.FINER)).isEqualTo("TRACE");
        assertThat(LineFormatter.levelName(Level.FINEST)).isEqualTo("TRACE");
    }

    @Test
    void writesNumbersWithoutGrouping() {
        String line = formatter.format(record(Level.FINE, "conn={0} closed", 1234567L));
        assertThat(line).contains(" DEBUG conn=1234567 closed");
    }

    @Test
    void fillsNumberPatternsAsTheCoreWritesThem() {
        String line = formatter.format(record(Level.FINE, "conn={0,number,#} closed reason={1} bytes={2}",
                1234567L, "idle", 5000));
        assertThat(line).contains(" DEBUG conn=1234567 closed reason=idle bytes=5000");
    }

    @Test
    void keepsAnExceptionAndLineBreaksOnTheSameLine() {
        LogRecord r = record(Level.WARNING, "conn=7 handler_failed\nsecond line");
        r.setThrown(new IOException("boom\nagain"));
        String line = formatter.format(r);
        assertThat(line.strip()).doesNotContain("\n").doesNotContain("\r");
        assertThat(line).contains("WARNING conn=7 handler_failed\\nsecond line: "
                + "java.io.IOException: boom\\nagain");
    }
}
