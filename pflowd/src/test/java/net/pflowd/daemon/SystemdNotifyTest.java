package net.pflowd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import net.pflowd.linux.LibC;
import net.pflowd.linux.Socket;
import net.pflowd.linux.SocketType;
import net.pflowd.linux.Un;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a real Unix datagram socket, as systemd binds it (a path, or a name in the abstract namespace). */
class SystemdNotifyTest {
    /** A bound, non-blocking receiver; {@link #next()} is the next datagram or null. */
    private static final class Receiver implements AutoCloseable {
        private final int fd;

        Receiver(String name) {
            fd = LibC.INSTANCE.socket(Socket.AF_UNIX, SocketType.SOCK_DGRAM | SocketType.SOCK_CLOEXEC, 0);
            Un.SockaddrUn address = new Un.SockaddrUn(name);
            LibC.INSTANCE.bind(fd, address, address.length());
        }

        String next() {
            ByteBuffer buf = ByteBuffer.allocateDirect(4096);
            try {
                long n = LibC.INSTANCE.recv(fd, buf, buf.capacity(), Socket.MSG_DONTWAIT);
                byte[] b = new byte[(int) n];
                buf.get(b);
                return new String(b, StandardCharsets.UTF_8);
            } catch (com.sun.jna.LastErrorException e) {
                return null;
            }
        }

        @Override
        public void close() {
            LibC.INSTANCE.close(fd);
        }
    }

    @Test
    void sendsEachStateToAPathSocket(@TempDir Path dir) {
        String path = dir.resolve("notify").toString();
        try (Receiver systemd = new Receiver(path)) {
            SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", path));
            assertThat(n.enabled()).isTrue();
            assertThat(n.watchdogMillis()).isZero();
            n.ready("1 interface(s), 1 running;\nsource conntrack");
            assertThat(systemd.next()).isEqualTo("READY=1\nSTATUS=1 interface(s), 1 running; source conntrack");
            n.reloading();
            assertThat(systemd.next()).startsWith("RELOADING=1\nMONOTONIC_USEC=").endsWith("\nSTATUS=reloading the configuration");
            n.watchdog();
            n.stopping();
            assertThat(systemd.next()).as("no watchdog without WATCHDOG_USEC").isEqualTo("STOPPING=1\nSTATUS=flushing pending records");
            assertThat(systemd.next()).isNull();
        }
    }

    @Test
    void abstractNamespaceAndWatchdogForThisProcessOnly() {
        String name = "@pflowd-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (Receiver systemd = new Receiver(name)) {
            String pid = Long.toString(ProcessHandle.current().pid());
            SystemdNotify n = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "30000000",
                    "WATCHDOG_PID", pid));
            assertThat(n.watchdogMillis()).isEqualTo(30_000);
            n.watchdog();
            assertThat(systemd.next()).isEqualTo("WATCHDOG=1");
            SystemdNotify other = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", name, "WATCHDOG_USEC", "30000000",
                    "WATCHDOG_PID", "1"));
            assertThat(other.watchdogMillis()).as("the watchdog of another process").isZero();
        }
    }

    @Test
    void withoutNotifySocketNothingIsSentAndAMissingSocketIsNoError() {
        SystemdNotify off = SystemdNotify.fromEnvironment(Map.of());
        assertThat(off.enabled()).isFalse();
        assertThat(off.send("READY=1")).isFalse();
        SystemdNotify gone = SystemdNotify.fromEnvironment(Map.of("NOTIFY_SOCKET", "/nonexistent/notify"));
        assertThat(gone.send("READY=1")).isFalse();
    }
}
