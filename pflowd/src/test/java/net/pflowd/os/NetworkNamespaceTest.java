package net.pflowd.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import net.pflowd.linux.Errno;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Privileged: entering a network namespace made for the test and coming back, told apart by what each namespace
 * holds (a default TTL set only in the test's namespace) and by the namespace links of /proc.
 */
class NetworkNamespaceTest {
    /** The test namespace's default TTL: a mark no other namespace on the machine is expected to carry. */
    private static final String MARK_TTL = "37";
    private static NetNs ns;

    @BeforeAll
    static void namespace() {
        ns = NetNs.create("os");
        ns.execOk("sysctl", "-qw", "net.ipv4.ip_default_ttl=" + MARK_TTL);
    }

    @AfterAll
    static void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    /** Whether the calling thread is in the test's namespace (/proc/sys/net resolves per thread). */
    private static boolean seesMark() {
        // One read from offset 0: a sysctl's text is read whole or not at all (a read at offset 1 finds EOF), and
        // Files.readString of a file whose size says 0 reads a single byte first.
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_default_ttl"))) {
            byte[] text = new byte[32];
            int n = in.read(text);
            return new String(text, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim().equals(MARK_TTL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void callRunsInsideAndComesBack() throws Exception {
        String home = NetworkNamespace.currentId();
        try (NetworkNamespace target = NetworkNamespace.open(ns.path().toString())) {
            assertThat(target.id()).startsWith("net:[").isNotEqualTo(home);
            assertThat(seesMark()).isFalse();
            String inside = target.call(() -> {
                assertThat(seesMark()).isTrue();
                return NetworkNamespace.currentId();
            });
            assertThat(inside).isEqualTo(target.id());
            assertThat(NetworkNamespace.currentId()).isEqualTo(home);
            assertThat(seesMark()).isFalse();
        }
    }

    @Test
    void callComesBackWhenTheWorkThrows() throws Exception {
        String home = NetworkNamespace.currentId();
        try (NetworkNamespace target = NetworkNamespace.open(ns.path().toString())) {
            assertThatThrownBy(() -> target.call(() -> {
                throw new IOException("inside");
            })).hasMessage("inside");
            assertThat(NetworkNamespace.currentId()).isEqualTo(home);
        }
    }

    @Test
    void callInTheCurrentNamespaceNeedsNoSetns() throws Exception {
        try (NetworkNamespace here = NetworkNamespace.current()) {
            assertThat(here.id()).isEqualTo(NetworkNamespace.currentId());
            assertThat(here.call(NetworkNamespace::currentId)).isEqualTo(here.id());
        }
    }

    @Test
    void enterStaysAndOfPidNamesAProcesssNamespace() throws Exception {
        String target;
        try (NetworkNamespace n = NetworkNamespace.open(ns.path().toString())) {
            target = n.id();
        }
        String[] seen = new String[2];
        boolean[] marked = new boolean[1];
        Thread t = new Thread(() -> {
            try (NetworkNamespace n = NetworkNamespace.open(ns.path().toString())) {
                n.enter();
                seen[0] = NetworkNamespace.currentId();
                marked[0] = seesMark();
                try (NetworkNamespace self = NetworkNamespace.ofPid(ProcessHandle.current().pid())) {
                    seen[1] = self.id(); // the process's (main thread's) namespace, not this thread's
                }
            } catch (ErrnoException e) {
                seen[0] = e.getMessage();
            }
        });
        t.start();
        t.join();
        assertThat(seen[0]).isEqualTo(target);
        assertThat(marked[0]).isTrue();
        assertThat(seen[1]).isEqualTo(NetworkNamespace.currentId());
    }

    @Test
    void aMissingNamespaceIsAOneLineErrorWithItsErrno(@TempDir Path dir) {
        String missing = dir.resolve("no-such-netns").toString();
        assertThatThrownBy(() -> NetworkNamespace.open(missing))
                .isInstanceOfSatisfying(ErrnoException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.subject()).isEqualTo(missing);
                    assertThat(e.call()).isEqualTo("open");
                })
                .hasMessage(missing + ": open: No such file or directory");
    }

    @Test
    void aFileThatIsNoNamespaceIsRefusedBySetns(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        String home = NetworkNamespace.currentId();
        try (NetworkNamespace n = NetworkNamespace.open(file.toString())) {
            assertThatThrownBy(n::enter)
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                    .hasMessage(file + ": setns: Invalid argument");
            assertThatThrownBy(() -> n.call(() -> "never"))
                    .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
        assertThat(NetworkNamespace.currentId()).isEqualTo(home);
    }

    @Test
    void aClosedNamespaceIsNotEntered() throws Exception {
        NetworkNamespace n = NetworkNamespace.open(ns.path().toString());
        n.close();
        n.close();
        assertThatThrownBy(n::enter).isInstanceOfSatisfying(ErrnoException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }
}
