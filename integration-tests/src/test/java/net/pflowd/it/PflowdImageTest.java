package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;

/** The pflowd image's entrypoint: refusals without privileges, config from the environment, the tools. */
class PflowdImageTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    @BeforeAll
    static void docker() {
        DockerImages.requireDockerEngine();
    }

    @Test
    void withoutNetAdminExitsAtOnceNamingTheFlag() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withoutNetAdmin()) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip())
                    .isEqualTo("pflowd: missing capability CAP_NET_ADMIN (run the container with --cap-add NET_ADMIN)");
        }
    }

    @Test
    void explicitPflowdCommandIsCheckedToo() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withoutNetAdmin().withCommand("pflowd")) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip())
                    .isEqualTo("pflowd: missing capability CAP_NET_ADMIN (run the container with --cap-add NET_ADMIN)");
        }
    }

    @Test
    void withoutNetRawExitsAtOnceNamingTheFlag() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withoutNetRaw()) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip())
                    .isEqualTo("pflowd: missing capability CAP_NET_RAW (run the container with --cap-add NET_RAW)");
        }
    }

    @Test
    void withNothingExitsNamingEveryFlagOnOneLine() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withoutNetAdmin().withoutNetRaw().withoutTun()) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip()).isEqualTo("pflowd: missing capability CAP_NET_ADMIN,"
                    + " capability CAP_NET_RAW and /dev/net/tun"
                    + " (run the container with --cap-add NET_ADMIN --cap-add NET_RAW --device /dev/net/tun)");
        }
    }

    @Test
    void theDaemonItselfRefusesInOneLineWithoutTheEntrypoint() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withoutNetRaw()
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("pflowd"))) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip()).isEqualTo(
                    "pflowd: missing capability CAP_NET_RAW (run as root, or in a container with --cap-add NET_RAW)");
        }
    }

    @Test
    void withoutTunDeviceExitsAtOnceNamingTheFlag() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withoutTun()) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip())
                    .isEqualTo("pflowd: missing /dev/net/tun (run the container with --device /dev/net/tun)");
        }
    }

    @Test
    void withNeitherExitsNamingBothFlagsOnOneLine() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withoutNetAdmin().withoutTun()) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip()).isEqualTo("pflowd: missing capability CAP_NET_ADMIN and /dev/net/tun"
                    + " (run the container with --cap-add NET_ADMIN --device /dev/net/tun)");
        }
    }

    @Test
    void environmentBecomesTheOneLineConfig() throws Exception {
        // No network: the daemon now really exports, and 10.0.0.2 is no address of ours.
        try (PflowdContainer pflowd = new PflowdContainer(null).withNetworkMode("none")
                .withEnv("PFLOW_FLOWSRC", "10.0.0.1")
                .withEnv("PFLOW_FLOWDST", "10.0.0.2:2055")
                .withEnv("PFLOW_PROTO", "10")) {
            pflowd.start();
            String expected = "pflowd: wrote /etc/pflowd.conf: pflow0 flowsrc 10.0.0.1 flowdst 10.0.0.2:2055"
                    + " pflowproto 10";
            // The daemon may keep running or (while it is unfinished) exit; the entrypoint's line comes first.
            long deadline = System.nanoTime() + EXIT.toNanos();
            while (!pflowd.getLogs().contains(expected) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(pflowd.getLogs()).contains(expected).doesNotContain("missing");
        }
    }

    @Test
    void badProtocolInEnvironmentIsAOneLineError() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withEnv("PFLOW_PROTO", "7")) {
            pflowd.start();
            assertThat(pflowd.awaitExit(EXIT)).isNotZero();
            assertThat(pflowd.getLogs().strip()).isEqualTo("pflowd: PFLOW_PROTO must be 5, 9 or 10, got '7'");
        }
    }

    @Test
    void containerAsRunByTheHarnessCanCreateATunInterface() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withCommand("sleep", "infinity")) {
            pflowd.start();
            ExecResult add = pflowd.execInContainer("ip", "tuntap", "add", "dev", "pflowit0", "mode", "tun");
            assertThat(add.getExitCode()).as(add.getStderr()).isZero();
            ExecResult show = pflowd.execInContainer("ip", "-o", "link", "show", "pflowit0");
            assertThat(show.getStdout()).contains("pflowit0");
            // pflowd's ifconfig precedes any system one on PATH.
            ExecResult which = pflowd.execInContainer("bash", "-c", "command -v ifconfig pflowd");
            assertThat(which.getStdout().lines()).containsExactly("/usr/local/bin/ifconfig", "/usr/local/bin/pflowd");
        }
    }

    /**
     * Each launcher gives its JVM a heap limit suited to the process (issue: a flood must not grow either without
     * bound): the JVMs' own final MaxHeapSize, printed through JAVA_TOOL_OPTIONS, which the launchers' -Xmx
     * overrides. Without a limit the JVM would take a quarter of the host's memory.
     */
    @Test
    void bothLaunchersGiveTheirJvmAHeapLimit() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withCommand("sleep", "infinity")) {
            pflowd.start();
            assertThat(maxHeapMiB(pflowd, "pflowd --version")).isBetween(32L, 256L);
            assertThat(maxHeapMiB(pflowd, "ifconfig --help")).isBetween(16L, 64L);
        }
    }

    private static long maxHeapMiB(PflowdContainer c, String command) throws Exception {
        ExecResult r = c.execInContainer("bash", "-c", "JAVA_TOOL_OPTIONS=-XX:+PrintFlagsFinal " + command);
        String line = r.getStdout().lines().filter(l -> l.matches("\\s*size_t MaxHeapSize\\s*=.*")).findFirst()
                .orElseThrow(() -> new AssertionError(command + " printed no MaxHeapSize: " + r.getStderr()));
        return Long.parseLong(line.replaceAll(".*=\\s*(\\d+).*", "$1")) >> 20;
    }

    /**
     * {@code --metrics} in the image: its runtime holds the HTTP server module, and a scraper that prefers protobuf
     * (Prometheus with native histograms) gets the text format, since the image carries the text formats only.
     */
    @Test
    void metricsEndpointServesTheCountersInTheImage() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withEnv("PFLOW_FLOWDST", "127.0.0.1:9995")
                .withCommand("--metrics", "127.0.0.1:9134")) {
            pflowd.start();
            String scrape = String.join("\n",
                    "for i in $(seq 150); do",
                    "  if exec 3<>/dev/tcp/127.0.0.1/9134; then break; fi 2>/dev/null; sleep 0.2",
                    "done",
                    "printf 'GET /metrics HTTP/1.0\\r\\nAccept: application/vnd.google.protobuf;"
                            + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,"
                            + "text/plain;version=0.0.4;q=0.3\\r\\n\\r\\n' >&3",
                    "cat <&3");
            ExecResult r = pflowd.execInContainer("bash", "-c", scrape);
            assertThat(r.getStdout()).as(r.getStderr() + pflowd.getLogs()).startsWith("HTTP/1.1 200")
                    .containsIgnoringCase("content-type: text/plain")
                    .contains("pflowd_interface_running{interface=\"pflow0\"} 1.0");
        }
    }

    @Test
    void withTcpdumpCapturesInsideTheContainer() throws Exception {
        try (PflowdContainer pflowd = new PflowdContainer(null).withTcpdump().withCommand("sleep", "infinity")) {
            pflowd.start();
            // Send to the container's own loopback until tcpdump has its one packet (it may start late);
            // /proc, not kill -0: tcpdump runs as user tcpdump and the container has no CAP_KILL.
            ExecResult capture = pflowd.execInContainer("bash", "-c", String.join("\n",
                    "tcpdump -c 1 -nl -i lo udp port 9 >/tmp/cap 2>/tmp/cap.err & pid=$!",
                    "for i in $(seq 100); do [ -d /proc/$pid ] || break; echo x >/dev/udp/127.0.0.1/9; sleep 0.1; done",
                    "wait $pid; echo rc=$?; cat /tmp/cap"));
            assertThat(capture.getStdout()).as(capture.getStderr()).contains("rc=0")
                    .containsPattern("127\\.0\\.0\\.1\\.\\d+ > 127\\.0\\.0\\.1\\.9: UDP, length 2");
        }
    }
}
