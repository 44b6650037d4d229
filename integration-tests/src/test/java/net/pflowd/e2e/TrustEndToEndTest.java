package net.pflowd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.control.StateStore;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules that make pflowd a daemon one can trust with its configuration, end to end: the real daemon in a
 * fresh network namespace. Configuration that cannot come up is kept and comes up by itself; a second daemon
 * changes nothing; leftovers are cleaned; root is served whatever other users do; errors are one line.
 */
class TrustEndToEndTest {
    private NetNs ns;
    private Path dir;
    private DaemonProcess daemon;
    private final List<Process> children = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        // World-traversable: the unprivileged clients of rootIsServedWhateverOthersDo must reach the socket.
        daemon = DaemonProcess.withStandInPfctl("trust-e2e");
        ns = daemon.ns();
        dir = daemon.dir();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        daemon.close();
    }

    private String stateFile() throws IOException {
        return Files.readString(daemon.stateDir().resolve(StateStore.FILE_NAME));
    }

    private boolean running(String name) {
        try {
            return daemon.status(name).isRunning();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anInterfaceThatCannotComeUpIsKeptShownAndComesUpByItself() throws Exception {
        // pflow0's flowsrc is not yet an address of the host (DHCP, a VPN not up yet); the name pflow2 is taken.
        Files.writeString(daemon.config(), "pflow0 flowsrc 10.77.0.1 flowdst 10.77.0.2:2055\n"
                + "pflow1 create flowdst 127.0.0.1:2055\n"
                + "pflow2 flowdst 127.0.0.1:2056\n");
        ns.execOk("ip", "tuntap", "add", "dev", "pflow2", "mode", "tun"); // persistent: somebody else's
        daemon.start();
        assertThat(running("pflow1")).isTrue();
        InterfaceStatus waiting = daemon.status("pflow0");
        assertThat(waiting.isUp()).isTrue();
        assertThat(waiting.isRunning()).isFalse();
        assertThat(daemon.ifconfigOk("-v", "pflow0")).startsWith("pflow0: flags=1<UP> mtu 1492\n")
                .contains("\tpflow waiting: flowsrc 10.77.0.1: not an address of this host (yet)\n");
        assertThat(daemon.ifconfigOk("-v", "pflow2"))
                .contains("\tpflow waiting: pflow2: an interface of that name exists (not this pflowd's)");
        assertThat(daemon.ifconfigOk("-a")).contains("pflow0: ", "pflow1: ", "pflow2: ");
        assertThat(stateFile()).contains("\"pflow0\"", "\"10.77.0.1\"", "\"pflow2\"");

        // Kept across a restart, still waiting.
        assertThat(daemon.stop()).isZero();
        daemon.start();
        assertThat(stateFile()).contains("\"pflow0\"", "\"pflow2\"");
        assertThat(running("pflow0")).isFalse();

        // The address appears, the other interface goes: both come up without anybody asking.
        ns.execOk("ip", "addr", "add", "10.77.0.1/24", "dev", "lo");
        ns.execOk("ip", "link", "del", "pflow2");
        daemon.await("pflow0 and pflow2 running", () -> running("pflow0") && running("pflow2"));
        assertThat(daemon.ifconfigOk("-v", "pflow0")).startsWith("pflow0: flags=41<UP,RUNNING> mtu 1492\n")
                .doesNotContain("waiting");
        assertThat(ns.execOk("ip", "-o", "link", "show")).contains("pflow0", "pflow1", "pflow2");

        // A change to a waiting interface is kept too; destroy forgets it.
        ns.execOk("ip", "tuntap", "add", "dev", "pflow3", "mode", "tun");
        Files.writeString(daemon.config(), "pflow3 flowdst 127.0.0.1:2057\n");
        assertThat(daemon.stop()).isZero();
        daemon.start(); // the configuration file changed: it wins, and pflow3 waits
        daemon.ifconfigOk("pflow3", "pflowproto", "10");
        assertThat(daemon.status("pflow3").config().pflowproto()).isEqualTo(10);
        assertThat(stateFile()).contains("\"pflowproto\" : 10");
        daemon.ifconfigOk("pflow3", "destroy");
        assertThat(daemon.list()).isEmpty();
        assertThat(stateFile()).doesNotContain("pflow3");
    }

    @Test
    void aSecondDaemonChangesNothingAndSaysWhatIsInUse() throws Exception {
        daemon.start();
        daemon.ifconfigOk("pflow0", "create", "flowdst", "127.0.0.1:2055");
        String state = stateFile();
        String links = ns.execOk("ip", "-o", "link", "show");

        // Same state directory and socket; same state directory, another socket.
        for (String[] extra : new String[][] {{}, {"--socket", dir.resolve("other.sock").toString()}}) {
            DaemonProcess.Output o = daemon.run(extra);
            assertThat(o.exit()).isEqualTo(1);
            assertThat(o.err()).isEqualTo("pflowd: " + daemon.stateDir()
                    + ": state directory in use by another pflowd (pid " + daemonPid() + ")\n");
        }
        // Another state directory, the same socket.
        Path otherState = dir.resolve("other-state");
        DaemonProcess.Output o = daemon.run("--state-dir", otherState.toString());
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err().strip().split("\n")).hasSize(1);
        assertThat(o.err()).isEqualTo("pflowd: " + daemon.socket() + ": another pflowd is listening on this socket\n");
        assertThat(otherState.resolve(StateStore.FILE_NAME)).doesNotExist();

        assertThat(stateFile()).isEqualTo(state);
        assertThat(ns.execOk("ip", "-o", "link", "show")).isEqualTo(links);
        assertThat(running("pflow0")).isTrue();
        assertThat(dir.resolve("other.sock")).doesNotExist();
    }

    private long daemonPid() throws IOException {
        return Long.parseLong(Files.readString(daemon.stateDir().resolve(StateStore.LOCK_NAME)).strip());
    }

    @Test
    void leftoversOfAKilledDaemonAreCleanedAndItsStateRestored() throws Exception {
        daemon.start();
        daemon.ifconfigOk("pflow4", "create", "flowdst", "127.0.0.1:2055", "pflowproto", "9");
        long pid = daemonPid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        // A save interrupted by the crash.
        Path tmp = daemon.stateDir().resolve(".interfaces.json.4242.tmp");
        Files.writeString(tmp, "{\"format\":1,\"interf");
        daemon.start();
        assertThat(tmp).doesNotExist();
        assertThat(daemon.log()).contains("removed 1 temporary file(s)");
        assertThat(running("pflow4")).isTrue();
        assertThat(daemon.status("pflow4").config().pflowproto()).isEqualTo(9);
    }

    @Test
    void rootIsServedWhateverOthersDo() throws Exception {
        daemon.start("--socket-group", "65534");
        daemon.ifconfigOk("pflow0", "create", "flowdst", "127.0.0.1:2055");
        // Far more unprivileged clients than the daemon serves at once: idle ones that hold their connection,
        // and busy ones sending valid read-only requests in a loop.
        List<Path> busyReplies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String script = i % 2 == 0 ? "exec nc -U " + daemon.socket()
                    : "while :; do echo '{\"op\":\"list\"}'; sleep 0.01; done | nc -U " + daemon.socket();
            Path replies = dir.resolve("client" + i + ".out");
            if (i % 2 == 1) {
                busyReplies.add(replies);
            }
            Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), "setpriv", "--reuid=65534",
                    "--regid=65534", "--clear-groups", "sh", "-c", script)
                    .redirectOutput(replies.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            children.add(p); // its stdin stays open: the idle ones never send anything
        }
        Thread.sleep(1000);
        for (int round = 0; round < 10; round++) {
            long t0 = System.nanoTime();
            DaemonProcess.Output o = daemon.ifconfig("pflow0", "mtu", Integer.toString(1400 + round));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(o.err()).isEmpty();
            assertThat(o.exit()).isZero();
            assertThat(millis).as("root's change waited").isLessThan(1000);
        }
        assertThat(daemon.status("pflow0").config().mtu()).isEqualTo(1409);
        assertThat(daemon.log()).contains("control socket: refused a connection of user");
        // The others were served meanwhile, not shut out: root did not win by the busy clients never getting in.
        long served = 0;
        for (Path f : busyReplies) {
            served += Files.readAllLines(f).stream().filter(l -> l.startsWith("{\"ok\":true")).count();
        }
        assertThat(served).as("replies to the busy unprivileged clients").isGreaterThan(10);
    }

    @Test
    void everyErrorIsOneLine() throws Exception {
        daemon.start();
        DaemonProcess.Output o = daemon.ifconfig("pflow0", "create", "flowdst", "10.0.0.1\nifconfig: all good\u001b[2J:2055");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).isEqualTo("ifconfig: error in parsing address string: 10.0.0.1\\nifconfig: all good\\e[2J:2055\n");
        o = daemon.ifconfig("pflow0", "create", "flowsrc", "1".repeat(10_000));
        assertThat(o.err()).hasLineCount(1);
        assertThat(o.err().length()).isLessThan(200);
        assertThat(daemon.list()).isEmpty();

        // Errors in set lines name the file and line; "pflowN create" alone is an interface.
        Files.writeString(daemon.config(), "pflow0 create\nset hold-timeout soon\n");
        assertThat(daemon.stop()).isZero();
        DaemonProcess.Output bad = daemon.run();
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).hasLineCount(1).startsWith("pflowd: " + daemon.config() + ":2: ")
                .contains("--hold-timeout").contains("soon");
        Files.writeString(daemon.config(), "pflow0 create\nset hold-timeout 5\n");
        daemon.start();
        assertThat(daemon.list()).extracting(InterfaceStatus::name).containsExactly("pflow0");
    }

    @Test
    void aChangeThatCannotBeSavedReportsFailure() throws Exception {
        daemon.start();
        daemon.ifconfigOk("pflow0", "create", "flowdst", "127.0.0.1:2055");
        // The state directory is gone and a file stands in its place: nothing can be saved.
        Files.move(daemon.stateDir(), dir.resolve("state.moved"));
        Files.writeString(daemon.stateDir(), "not a directory");
        DaemonProcess.Output o = daemon.ifconfig("pflow0", "pflowproto", "10");
        assertThat(o.exit()).isEqualTo(1);
        assertThat(o.err()).hasLineCount(1)
                .startsWith("ifconfig: changed pflow0, but could not save it (lost at restart): ");
        // In effect all the same: the running system is right.
        assertThat(daemon.status("pflow0").config().pflowproto()).isEqualTo(10);
    }
}
