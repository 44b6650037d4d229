package net.pflowd.daemon;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The daemon's log (SLF4J over java.util.logging): one line per event on stderr, with the level, the class and
 * the message, and no timestamp (systemd's journal, Docker and a terminal's scrollback each add their own).
 *
 * <p>When stderr is the journal (systemd sets {@code JOURNAL_STREAM=DEV:INODE} of the stream it connected, see
 * systemd.exec(5)), each line starts with the syslog priority in angle brackets, {@code <3>} error, {@code <4>}
 * warning, {@code <6>} info, {@code <7>} debug, which journald turns into the entry's level ({@code journalctl -p
 * warning} then works) and strips from the text.
 *
 * <p>The level is INFO, or {@code -Dpflowd.log.level=debug|info|warn|error} (PFLOWD_JAVA_OPTS).
 */
public final class LogSetup {
    static final String LEVEL_PROPERTY = "pflowd.log.level";

    private LogSetup() {
    }

    /** Replaces java.util.logging's default console output with ours; call first thing in main. */
    public static void install(Map<String, String> env) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler stderr = new ConsoleHandler();
        stderr.setLevel(Level.ALL);
        stderr.setFormatter(new LineFormat(isJournal(env.get("JOURNAL_STREAM"), Path.of("/proc/self/fd/2"))));
        root.addHandler(stderr);
        root.setLevel(level(System.getProperty(LEVEL_PROPERTY, "info")));
    }

    static Level level(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "error": return Level.SEVERE;
            case "warn": return Level.WARNING;
            case "debug": return Level.FINE;
            case "trace": return Level.FINEST;
            default: return Level.INFO;
        }
    }

    /** Whether {@code stderr} is the stream {@code JOURNAL_STREAM} names (not one inherited by a child's child). */
    static boolean isJournal(String journalStream, Path stderr) {
        if (journalStream == null || journalStream.isEmpty()) {
            return false;
        }
        try {
            Object dev = Files.getAttribute(stderr, "unix:dev");
            Object ino = Files.getAttribute(stderr, "unix:ino");
            return journalStream.equals(dev + ":" + ino);
        } catch (Exception e) {
            return false; // no /proc or no unix attributes: be a plain stream
        }
    }

    /** {@code LEVEL Class: message}, or {@code <N>Class: message} for the journal, then the stack trace of a throwable, each line prefixed alike. */
    static final class LineFormat extends Formatter {
        private final boolean journal;

        LineFormat(boolean journal) {
            this.journal = journal;
        }

        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            // In the journal the priority prefix is the level: the word would say it twice.
            String text = (journal ? "" : slf4jLevel(r.getLevel()) + " ") + name.substring(name.lastIndexOf('.') + 1) + ": "
                    + formatMessage(r);
            if (r.getThrown() != null) {
                StringWriter trace = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(trace));
                text += "\n" + trace.toString().stripTrailing();
            }
            if (!journal) {
                return text + "\n";
            }
            String prefix = "<" + syslogPriority(r.getLevel()) + ">";
            StringBuilder sb = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                sb.append(prefix).append(line).append('\n');
            }
            return sb.toString();
        }

        static String slf4jLevel(Level l) {
            int v = l.intValue();
            if (v >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (v >= Level.WARNING.intValue()) {
                return "WARN";
            }
            if (v >= Level.INFO.intValue()) {
                return "INFO";
            }
            return v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
        }

        /** syslog(3): LOG_ERR 3, LOG_WARNING 4, LOG_INFO 6, LOG_DEBUG 7. */
        static int syslogPriority(Level l) {
            int v = l.intValue();
            if (v >= Level.SEVERE.intValue()) {
                return 3;
            }
            if (v >= Level.WARNING.intValue()) {
                return 4;
            }
            return v >= Level.INFO.intValue() ? 6 : 7;
        }
    }
}
