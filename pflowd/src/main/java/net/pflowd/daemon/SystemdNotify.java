package net.pflowd.daemon;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.pflowd.os.ErrnoException;
import net.pflowd.os.UnixDatagram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service manager's notification protocol, sd_notify(3): one datagram of {@code KEY=VALUE} lines to the Unix
 * datagram socket named by {@code $NOTIFY_SOCKET} ({@code @name}: abstract namespace), sent by
 * {@link UnixDatagram}. Without {@code $NOTIFY_SOCKET} (not started by systemd with Type=notify) every method does
 * nothing.
 *
 * <p>The watchdog is enabled by systemd's {@code WATCHDOG_USEC} (WatchdogSec= in the unit), for this process only
 * when {@code WATCHDOG_PID} is unset or ours.
 */
final class SystemdNotify {
    private static final Logger log = LoggerFactory.getLogger(SystemdNotify.class);

    private final String socket;
    private final long watchdogMillis;
    private volatile boolean failedOnce;

    SystemdNotify(String socket, long watchdogMillis) {
        this.socket = socket == null || socket.isEmpty() ? null : socket;
        this.watchdogMillis = this.socket == null ? 0 : watchdogMillis;
    }

    static SystemdNotify fromEnvironment(Map<String, String> env) {
        long watchdog = 0;
        String usec = env.get("WATCHDOG_USEC");
        String pid = env.get("WATCHDOG_PID");
        if (usec != null && (pid == null || pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            try {
                watchdog = TimeUnit.MICROSECONDS.toMillis(Long.parseLong(usec));
            } catch (NumberFormatException e) {
                log.warn("WATCHDOG_USEC={} is not a number: no watchdog", usec);
            }
        }
        return new SystemdNotify(env.get("NOTIFY_SOCKET"), watchdog);
    }

    boolean enabled() {
        return socket != null;
    }

    /** The watchdog timeout systemd expects pings within, or 0 when there is no watchdog. */
    long watchdogMillis() {
        return watchdogMillis;
    }

    void ready(String status) {
        send("READY=1\nSTATUS=" + oneLine(status));
    }

    /** Before re-reading the configuration; {@link #ready} follows when it is applied. */
    void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + TimeUnit.NANOSECONDS.toMicros(System.nanoTime())
                + "\nSTATUS=reloading the configuration");
    }

    void stopping() {
        send("STOPPING=1\nSTATUS=flushing pending records");
    }

    void watchdog() {
        if (watchdogMillis > 0) {
            send("WATCHDOG=1");
        }
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ');
    }

    /** Sends one notification; a failure is logged once and otherwise ignored (systemd then times the unit out). */
    boolean send(String state) {
        if (socket == null) {
            return false;
        }
        try {
            UnixDatagram.send(socket, state.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (ErrnoException | IllegalArgumentException e) {
            if (!failedOnce) {
                failedOnce = true;
                log.warn("cannot notify systemd (NOTIFY_SOCKET): {}", e.getMessage()); // names the socket
            }
            return false;
        }
    }
}
