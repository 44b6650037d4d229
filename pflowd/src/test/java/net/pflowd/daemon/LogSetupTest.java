package net.pflowd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSetupTest {
    private static LogRecord record(Level level, String message, Throwable thrown) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("net.pflowd.daemon.DaemonCommand");
        r.setThrown(thrown);
        return r;
    }

    @Test
    void plainLinesCarryTheLevelAndNoTimestamp() {
        LogSetup.LineFormat f = new LogSetup.LineFormat(false);
        assertThat(f.format(record(Level.INFO, "pflowd running", null))).isEqualTo("INFO DaemonCommand: pflowd running\n");
        assertThat(f.format(record(Level.WARNING, "w", null))).isEqualTo("WARN DaemonCommand: w\n");
        assertThat(f.format(record(Level.SEVERE, "e", null))).isEqualTo("ERROR DaemonCommand: e\n");
        assertThat(f.format(record(Level.FINE, "d", null))).isEqualTo("DEBUG DaemonCommand: d\n");
    }

    @Test
    void journalLinesStartWithTheSyslogPriorityOnEveryLine() {
        LogSetup.LineFormat f = new LogSetup.LineFormat(true);
        assertThat(f.format(record(Level.SEVERE, "reload: bad", null))).isEqualTo("<3>DaemonCommand: reload: bad\n");
        assertThat(f.format(record(Level.WARNING, "w", null))).isEqualTo("<4>DaemonCommand: w\n");
        assertThat(f.format(record(Level.INFO, "i", null))).isEqualTo("<6>DaemonCommand: i\n");
        assertThat(f.format(record(Level.FINE, "d", null))).isEqualTo("<7>DaemonCommand: d\n");
        String withTrace = f.format(record(Level.SEVERE, "failed", new IllegalStateException("boom")));
        assertThat(withTrace).startsWith("<3>DaemonCommand: failed\n<3>java.lang.IllegalStateException: boom\n<3>\tat ");
        assertThat(withTrace.lines()).allMatch(l -> l.startsWith("<3>"));
    }

    /** JOURNAL_STREAM names the device and inode of the stream systemd connected; anything else is not the journal. */
    @Test
    void journalOnlyWhenStderrIsTheNamedStream(@TempDir Path dir) throws Exception {
        Path stream = Files.createFile(dir.resolve("stderr"));
        String id = Files.getAttribute(stream, "unix:dev") + ":" + Files.getAttribute(stream, "unix:ino");
        assertThat(LogSetup.isJournal(id, stream)).isTrue();
        assertThat(LogSetup.isJournal(id, Files.createFile(dir.resolve("other")))).isFalse();
        assertThat(LogSetup.isJournal(null, stream)).isFalse();
        assertThat(LogSetup.isJournal("", stream)).isFalse();
        assertThat(LogSetup.isJournal(id, dir.resolve("missing"))).isFalse();
    }

    @Test
    void levelNames() {
        assertThat(LogSetup.level("debug")).isEqualTo(Level.FINE);
        assertThat(LogSetup.level("WARN")).isEqualTo(Level.WARNING);
        assertThat(LogSetup.level("error")).isEqualTo(Level.SEVERE);
        assertThat(LogSetup.level("info")).isEqualTo(Level.INFO);
        assertThat(LogSetup.level("nonsense")).isEqualTo(Level.INFO);
    }
}
