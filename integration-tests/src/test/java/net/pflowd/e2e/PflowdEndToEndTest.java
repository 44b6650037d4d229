package net.pflowd.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.decode.DecodeException;
import net.pflowd.decode.DecodedMessage;
import net.pflowd.decode.FlowDecoder;
import net.pflowd.testutil.NetNs;
import net.pflowd.testutil.Pcap;
import net.pflowd.testutil.Tcpdump;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pflow interfaces end to end: the real pflowd process in a fresh network namespace, configured with the
 * ifconfig CLI over its control socket, fed by a stand-in pfctl, exporting to a collector in the namespace while
 * tcpdump watches pflowN. One daemon process per test (plus its restart in {@link #restartRestoresAndFlushes}).
 */
class PflowdEndToEndTest {
    private NetNs ns;
    private Path dir;
    private DaemonProcess daemon;

    @BeforeEach
    void setUp() throws Exception {
        // World-traversable: the unprivileged client of permissionsOfAnUnprivilegedClient must reach the socket.
        daemon = DaemonProcess.withStandInPfctl("daemon-e2e");
        ns = daemon.ns();
        dir = daemon.dir();
    }

    @AfterEach
    void tearDown() throws Exception {
        daemon.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. TUN lifecycle

    @Test
    void interfaceLifecycleThroughIfconfig() throws Exception {
        daemon.start();
        assertThat(daemon.ifconfigOk("-a")).isEmpty();

        daemon.ifconfigOk("pflow0", "create");
        Link l0 = link("pflow0");
        assertThat(l0.flags()).contains("UP");
        // ifconfig shows pflow's derived MTU; the kernel's is the requested one, the bound every datagram keeps.
        assertThat(l0.mtu()).isEqualTo(1500);
        assertThat(daemon.ifconfigOk("pflow0"))
                .isEqualTo(status("pflow0", "1<UP>", 1492, l0.index(), "receiver: INVALID:INVALID version: 5"));

        daemon.ifconfigOk("pflow0", "flowsrc", "127.0.0.1", "flowdst", "127.0.0.1:2055");
        assertThat(daemon.ifconfigOk("pflow0")).isEqualTo(status("pflow0", "41<UP,RUNNING>", 1492, l0.index(),
                "sender: 127.0.0.1 receiver: 127.0.0.1:2055 version: 5"));

        daemon.ifconfigOk("pflow0", "pflowproto", "10");
        assertThat(link("pflow0").mtu()).isEqualTo(1500);
        assertThat(daemon.ifconfigOk("pflow0")).isEqualTo(status("pflow0", "41<UP,RUNNING>", 1448, l0.index(),
                "sender: 127.0.0.1 receiver: 127.0.0.1:2055 version: 10"));

        daemon.ifconfigOk("pflow0", "pflowproto", "9", "mtu", "1400");
        assertThat(link("pflow0").mtu()).isEqualTo(1400);
        assertThat(daemon.ifconfigOk("pflow0")).startsWith("pflow0: flags=41<UP,RUNNING> mtu 1400\n");

        daemon.ifconfigOk("pflow0", "down");
        assertThat(link("pflow0").flags()).doesNotContain("UP");
        assertThat(daemon.ifconfigOk("pflow0")).isEqualTo(status("pflow0", "0<>", 1400, l0.index(),
                "sender: 127.0.0.1 receiver: 127.0.0.1:2055 version: 9"));
        daemon.ifconfigOk("pflow0", "up");
        assertThat(link("pflow0").flags()).contains("UP");
        String pflow0 = daemon.ifconfigOk("pflow0");
        assertThat(pflow0).startsWith("pflow0: flags=41<UP,RUNNING> mtu 1400\n");

        // Refused changes: one line on stderr, exit 1, nothing changed.
        assertRefused(new String[] {"pflow0", "pflowproto", "7"}, "ifconfig: Invalid pflow protocol: 7");
        assertRefused(new String[] {"pflow0", "flowdst", "10.0.0.2"}, "ifconfig: 10.0.0.2 bad value");
        assertRefused(new String[] {"pflow0", "mtu", "50"}, "ifconfig: mtu 50: too small");
        DaemonProcess.Output nonLocal = daemon.ifconfig("pflow0", "flowsrc", "192.0.2.1");
        assertThat(nonLocal.exit()).isEqualTo(1);
        assertThat(nonLocal.err()).startsWith("ifconfig: ").contains("192.0.2.1").endsWith("\n")
                .hasLineCount(1);
        assertThat(daemon.ifconfigOk("pflow0")).isEqualTo(pflow0);
        assertThat(link("pflow0").mtu()).isEqualTo(1400);

        // Several at once, listed by unit number, each with its kernel ifindex.
        daemon.ifconfigOk("pflow12", "create", "down");
        daemon.ifconfigOk("pflow1", "create", "flowdst", "[::1]:4739", "pflowproto", "10");
        Link l1 = link("pflow1");
        Link l12 = link("pflow12");
        assertThat(l12.flags()).doesNotContain("UP");
        assertThat(Set.of(l0.index(), l1.index(), l12.index())).hasSize(3);
        InterfaceStatus s1 = daemon.status("pflow1");
        assertThat(s1.mtu()).isEqualTo(1448);
        assertThat(l1.mtu()).isEqualTo(s1.config().mtu()).isEqualTo(1500);
        String all = daemon.ifconfigOk("-a");
        assertThat(all).isEqualTo(pflow0
                + status("pflow1", "41<UP,RUNNING>", s1.mtu(), l1.index(), "receiver: [::1]:4739 version: 10")
                + status("pflow12", "0<>", 1492, l12.index(), "receiver: INVALID:INVALID version: 5"));

        daemon.ifconfigOk("pflow1", "destroy");
        assertThat(ns.exec("ip", "link", "show", "dev", "pflow1").exitCode()).isNotZero();
        DaemonProcess.Output gone = daemon.ifconfig("pflow1");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).isEqualTo("ifconfig: pflow1: no such interface\n");
        assertThat(daemon.ifconfigOk("-a")).isEqualTo(pflow0
                + status("pflow12", "0<>", 1492, l12.index(), "receiver: INVALID:INVALID version: 5"));

        daemon.ifconfigOk("pflow0", "destroy");
        daemon.ifconfigOk("pflow12", "destroy");
        assertThat(ns.execOk("ip", "-o", "link", "show")).doesNotContain("pflow");
        assertThat(daemon.isAlive()).isTrue();
    }

    private void assertRefused(String[] args, String error) throws Exception {
        String before = daemon.ifconfigOk(args[0]);
        DaemonProcess.Output o = daemon.ifconfig(args);
        assertThat(o.exit()).as(String.join(" ", args)).isEqualTo(1);
        assertThat(o.err()).isEqualTo(error + "\n");
        assertThat(o.out()).isEmpty();
        assertThat(daemon.ifconfigOk(args[0])).isEqualTo(before);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2. + 3. The mirror: what tcpdump -i pflow0 shows is what the collector received

    @Test
    void mirrorMatchesTheCollectorInEveryVersion() throws Exception {
        // A socket on the same port in the test's own namespace: nothing may arrive there.
        try (UdpCollector decoy = UdpCollector.bind(null, new InetSocketAddress("127.0.0.1", 0));
             UdpCollector collector = UdpCollector.bind(ns, new InetSocketAddress("127.0.0.1", decoy.port()))) {
            daemon.start("--hold-timeout", "1");
            InetSocketAddress dst = collector.address();
            daemon.ifconfigOk("pflow0", "create", "flowdst", "127.0.0.1:" + dst.getPort());
            Path pcap = dir.resolve("pflow0.pcap");
            try (Tcpdump tcpdump = Tcpdump.start(ns, "pflow0", pcap, 100_000, "--immediate-mode")) {
                int records = 0;
                // v5: 40 records = a full datagram of 30 and a held one of 10.
                for (int[] round : new int[][] {{5, 20}, {9, 3}, {10, 3}}) {
                    if (round[0] != 5) {
                        daemon.ifconfigOk("pflow0", "pflowproto", Integer.toString(round[0]));
                    }
                    daemon.endStates("pflow0", round[1], false);
                    records += 2 * round[1];
                    int want = records;
                    daemon.await(want + " records at the collector", () -> decode(collector.received()).records == want);
                }
                InterfaceStatus st = daemon.status("pflow0");
                assertThat(st.statistic("mirror.packets")).isEqualTo(st.statistic(InterfaceStatus.PACKETS));
                List<Pcap.Record> captured = stopAfter(tcpdump, pcap, collector.count());
                List<UdpCollector.Datagram> received = collector.received();

                Decoded d = decode(received);
                assertThat(d.records).isEqualTo(52);
                assertThat(d.versions).containsExactly(5, 9, 10); // in this order, none mixed in later
                assertThat(d.versionOfEach.subList(0, 2)).containsOnly(5);
                assertThat(received).hasSize((int) st.statistic(InterfaceStatus.PACKETS));
                assertThat(st.statistic(InterfaceStatus.ERRORS)).isZero();
                assertMirror(captured, received, dst);
            }
            Thread.sleep(200);
            assertThat(decoy.received()).as("datagrams at 127.0.0.1:%d outside the namespace", decoy.port()).isEmpty();
        }
    }

    @Test
    void ipv6CollectorAndMirror() throws Exception {
        try (UdpCollector collector = UdpCollector.bind(ns, new InetSocketAddress("::1", 0))) {
            daemon.start("--hold-timeout", "1");
            InetSocketAddress dst = collector.address();
            // No receiver yet, so no template goes out before tcpdump watches.
            daemon.ifconfigOk("pflow0", "create", "pflowproto", "10");
            Path pcap = dir.resolve("pflow0.pcap");
            try (Tcpdump tcpdump = Tcpdump.start(ns, "pflow0", pcap, 100_000, "--immediate-mode")) {
                daemon.ifconfigOk("pflow0", "flowdst", "[::1]:" + dst.getPort());
                Link l0 = link("pflow0");
                InterfaceStatus st0 = daemon.status("pflow0");
                assertThat(l0.mtu()).isEqualTo(st0.config().mtu());
                assertThat(daemon.ifconfigOk("pflow0")).isEqualTo(status("pflow0", "41<UP,RUNNING>", st0.mtu(),
                        l0.index(), "receiver: [::1]:" + dst.getPort() + " version: 10"));
                daemon.endStates("pflow0", 3, false);
                daemon.endStates("pflow0", 2, true);
                daemon.await("10 records at the collector", () -> decode(collector.received()).records == 10);
                List<Pcap.Record> captured = stopAfter(tcpdump, pcap, collector.count());
                List<UdpCollector.Datagram> received = collector.received();
                InterfaceStatus st = daemon.status("pflow0");
                assertThat(st.statistic("mirror-errors")).as(st.statistics().toString()).isZero();
                assertThat(received).hasSize((int) st.statistic(InterfaceStatus.PACKETS));
                assertThat(received).allSatisfy(r -> assertThat(r.sender().getAddress().getHostAddress())
                        .isEqualTo("0:0:0:0:0:0:0:1"));
                assertMirror(captured, received, dst);
            }
        }
    }

    /**
     * Waits (10 s at most) until the capture file holds {@code n} packets, then stops tcpdump: it exits on
     * SIGTERM without reading what its ring still holds, so stopping right away could cut the last packets.
     */
    private static List<Pcap.Record> stopAfter(Tcpdump tcpdump, Path file, int n) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                if (Files.size(file) > 0 && Pcap.read(file).size() >= n) {
                    break;
                }
            } catch (IOException partlyWritten) {
                // read again
            }
            Thread.sleep(50);
        }
        Thread.sleep(100); // anything beyond n would show up as a mismatch
        return tcpdump.stop();
    }

    /** Same number, same order, same payload bytes, same addresses and ports; valid IP and UDP headers. */
    private static void assertMirror(List<Pcap.Record> captured, List<UdpCollector.Datagram> received,
                                     InetSocketAddress dst) throws Exception {
        assertThat(received).isNotEmpty();
        assertThat(captured).as("packets captured on pflow0 vs datagrams received").hasSize(received.size());
        for (int i = 0; i < captured.size(); i++) {
            byte[] p = captured.get(i).data();
            UdpCollector.Datagram r = received.get(i);
            int version = (p[0] & 0xff) >>> 4;
            int udp;
            InetAddress src;
            InetAddress to;
            long pseudo;
            if (version == 4) {
                udp = (p[0] & 0x0f) * 4;
                assertThat(p[9]).as("packet %d protocol", i).isEqualTo((byte) 17);
                assertThat(u16(p, 2)).as("packet %d total length", i).isEqualTo(p.length);
                assertThat(onesComplement(0, p, 0, udp)).as("packet %d IPv4 header checksum", i).isEqualTo(0xffff);
                src = InetAddress.getByAddress(Arrays.copyOfRange(p, 12, 16));
                to = InetAddress.getByAddress(Arrays.copyOfRange(p, 16, 20));
                pseudo = onesComplement(0, p, 12, 20) + 17 + (p.length - udp);
            } else {
                assertThat(version).as("packet %d IP version", i).isEqualTo(6);
                udp = 40;
                assertThat(p[6]).as("packet %d next header", i).isEqualTo((byte) 17);
                assertThat(u16(p, 4)).as("packet %d payload length", i).isEqualTo(p.length - 40);
                src = InetAddress.getByAddress(Arrays.copyOfRange(p, 8, 24));
                to = InetAddress.getByAddress(Arrays.copyOfRange(p, 24, 40));
                pseudo = onesComplement(0, p, 8, 40) + 17 + (p.length - udp);
            }
            assertThat(u16(p, udp + 4)).as("packet %d UDP length", i).isEqualTo(p.length - udp);
            if (version == 6 || u16(p, udp + 6) != 0) {
                assertThat(onesComplement(pseudo, p, udp, p.length)).as("packet %d UDP checksum", i)
                        .isEqualTo(0xffff);
            }
            assertThat(new InetSocketAddress(src, u16(p, udp))).as("packet %d source", i).isEqualTo(r.sender());
            assertThat(new InetSocketAddress(to, u16(p, udp + 2))).as("packet %d destination", i).isEqualTo(dst);
            assertThat(Arrays.copyOfRange(p, udp + 8, p.length)).as("packet %d payload", i).isEqualTo(r.payload());
        }
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    /** RFC 1071 sum of 16-bit words, folded: 0xffff over a region that includes a correct checksum. */
    private static int onesComplement(long sum, byte[] b, int from, int to) {
        for (int i = from; i < to; i += 2) {
            sum += (b[i] & 0xff) << 8 | (i + 1 < to ? b[i + 1] & 0xff : 0);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** What a collector makes of the datagrams, decoded in order (templates before the data that needs them). */
    record Decoded(int records, List<Integer> versions, List<Integer> versionOfEach, List<DecodedMessage> messages) {
    }

    private static Decoded decode(List<UdpCollector.Datagram> datagrams) {
        FlowDecoder decoder = new FlowDecoder();
        int records = 0;
        List<Integer> versions = new ArrayList<>();
        List<Integer> each = new ArrayList<>();
        List<DecodedMessage> messages = new ArrayList<>();
        for (UdpCollector.Datagram d : datagrams) {
            DecodedMessage m;
            try {
                m = decoder.decode(d.sender(), ByteBuffer.wrap(d.payload()));
            } catch (DecodeException e) {
                throw new AssertionError("undecodable datagram from " + d.sender() + ": " + e.getMessage(), e);
            }
            assertThat(m.dataSetsSkipped()).as("data sets without their template").isZero();
            records += m.records().size();
            each.add(m.version());
            if (versions.isEmpty() || versions.get(versions.size() - 1) != m.version()) {
                versions.add(m.version());
            }
            messages.add(m);
        }
        return new Decoded(records, versions, each, messages);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Restart

    @Test
    void restartRestoresAndFlushes() throws Exception {
        try (UdpCollector collector = UdpCollector.bind(ns, new InetSocketAddress("127.0.0.1", 0))) {
            String dst = "127.0.0.1:" + collector.port();
            daemon.start("--hold-timeout", "600"); // everything stays pending until the shutdown flush
            daemon.ifconfigOk("pflow0", "create", "flowdst", dst);
            daemon.ifconfigOk("pflow0", "pflowproto", "10");
            daemon.ifconfigOk("pflow0", "mtu", "1000");
            daemon.ifconfigOk("pflow0", "domain", "7");
            daemon.ifconfigOk("pflow2", "create", "flowdst", dst, "pflowproto", "9");
            daemon.ifconfigOk("pflow5", "create", "down");
            daemon.endStates("pflow0", 3, false);
            daemon.await("6 flows pending in each running interface", () -> {
                try {
                    return daemon.status("pflow0").statistic(InterfaceStatus.FLOWS) == 6
                            && daemon.status("pflow2").statistic(InterfaceStatus.FLOWS) == 6;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(decode(collector.received()).records).as("records sent before the shutdown").isZero();
            String before = daemon.ifconfigOk("-a");

            assertThat(daemon.stop()).as("exit status after SIGTERM").isZero();
            assertThat(ns.execOk("ip", "-o", "link", "show")).doesNotContain("pflow");
            daemon.await("the shutdown flush at the collector", () -> decode(collector.received()).records == 12);
            Decoded flushed = decode(collector.received());
            Map<String, Integer> byExporter = new LinkedHashMap<>();
            for (DecodedMessage m : flushed.messages()) {
                if (!m.records().isEmpty()) {
                    byExporter.merge("v" + m.version() + " domain " + m.domain(), m.records().size(), Integer::sum);
                }
            }
            assertThat(byExporter).containsOnly(Map.entry("v10 domain 7", 6), Map.entry("v9 domain 42", 6));

            daemon.start("--hold-timeout", "600");
            String after = daemon.ifconfigOk("-a");
            assertThat(withoutIndex(after)).isEqualTo(withoutIndex(before));
            assertThat(after).startsWith("pflow0: flags=41<UP,RUNNING> mtu ").contains("\npflow2: ", "\npflow5: flags=0<>");
            for (String name : List.of("pflow0", "pflow2", "pflow5")) {
                assertThat(daemon.status(name).index()).isEqualTo(link(name).index());
            }
            assertThat(daemon.ifconfigOk("-v", "pflow0")).contains("\tpflow domain: 7\n");
            assertThat(link("pflow0").mtu()).isEqualTo(daemon.status("pflow0").config().mtu()).isEqualTo(1000);
        }
    }

    /**
     * SIGHUP (systemctl reload): an unchanged file keeps the runtime changes; an edited one wins, through ifconfig's
     * path, so the pending records of the changed and the destroyed interface leave at once (hold timeout 600 s);
     * a bad file changes nothing and the daemon keeps running.
     */
    @Test
    void reloadAppliesTheEditedConfigurationFlushingPendingRecords() throws Exception {
        try (UdpCollector collector = UdpCollector.bind(ns, new InetSocketAddress("127.0.0.1", 0))) {
            String dst = "127.0.0.1:" + collector.port();
            Files.writeString(daemon.config(), "pflow0 flowdst " + dst + " pflowproto 10\n");
            daemon.start("--hold-timeout", "600");
            daemon.ifconfigOk("pflow3", "create", "flowdst", dst);
            daemon.endStates("pflow0", 3, false);
            daemon.await("6 flows pending in pflow0 and pflow3", () -> {
                try {
                    return daemon.status("pflow0").statistic(InterfaceStatus.FLOWS) == 6
                            && daemon.status("pflow3").statistic(InterfaceStatus.FLOWS) == 6;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            daemon.hangUp();
            daemon.await("the unchanged reload", () -> daemon.log().contains("reload: configuration file unchanged"));
            assertThat(daemon.ifconfigOk("-a")).contains("pflow0: flags=41<UP,RUNNING>", "pflow3: flags=41<UP,RUNNING>");
            assertThat(decode(collector.received()).records).as("records sent after an unchanged reload").isZero();

            Files.writeString(daemon.config(), "pflow0 flowdst " + dst + " pflowproto 9\npflow1 down\n");
            daemon.hangUp();
            daemon.await("the flush of pflow0 (changed) and pflow3 (destroyed)",
                    () -> decode(collector.received()).records == 12);
            Map<Integer, Integer> recordsByVersion = new LinkedHashMap<>();
            for (DecodedMessage m : decode(collector.received()).messages()) {
                recordsByVersion.merge(m.version(), m.records().size(), Integer::sum);
            }
            // pflow0's IPFIX records and pflow3's v5 ones; pflow0 now sends v9 templates, no records yet.
            assertThat(recordsByVersion).containsEntry(10, 6).containsEntry(5, 6);
            assertThat(recordsByVersion.getOrDefault(9, 0)).isZero();
            String after = daemon.ifconfigOk("-a");
            assertThat(after).contains("pflow0: flags=41<UP,RUNNING>", "version: 9", "pflow1: flags=0<>")
                    .doesNotContain("pflow3");
            assertThat(daemon.log()).contains("reload: configuration file changed: applied it (3 interface(s) changed,"
                    + " 2 interface(s) now)");

            Files.writeString(daemon.config(), "pflow0 flowdst " + dst + "\npflow1 pflowproto 7\n");
            daemon.hangUp();
            daemon.await("the refused reload", () -> daemon.log().contains("Invalid pflow protocol: 7; the running"
                    + " configuration is unchanged"));
            assertThat(daemon.log()).contains("ERROR DaemonCommand: reload: " + daemon.config() + ":2: ");
            assertThat(daemon.ifconfigOk("-a")).isEqualTo(after);
            assertThat(daemon.stop()).isZero();
        }
    }

    private static String withoutIndex(String ifconfigA) {
        return ifconfigA.replaceAll("\tindex \\d+ ", "\tindex N ");
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. Permissions

    @Test
    void unprivilegedClientMayReadButNotChange() throws Exception {
        daemon.start("--socket-group", "65534");
        daemon.ifconfigOk("pflow0", "create", "flowdst", "127.0.0.1:2055");
        String asRoot = daemon.ifconfigOk("pflow0");
        String classpath = copyClasspath(dir.resolve("cp"));

        DaemonProcess.Output read = asUser(classpath, 65534, "pflow0");
        assertThat(read.err()).isEmpty();
        assertThat(read.exit()).isZero();
        assertThat(read.out()).isEqualTo(asRoot);

        DaemonProcess.Output change = asUser(classpath, 65534, "pflow0", "mtu", "1400");
        assertThat(change.exit()).isEqualTo(1);
        assertThat(change.err()).isEqualTo(
                "ifconfig: pflow0: Operation not permitted (only root may change pflow interfaces)\n");
        assertThat(daemon.ifconfigOk("pflow0")).isEqualTo(asRoot);
        assertThat(daemon.status("pflow0").config().mtu()).isEqualTo(1500);
        assertThat(link("pflow0").mtu()).isEqualTo(1500);

        // Not in the socket's group: cannot even connect.
        DaemonProcess.Output outsider = asUser(classpath, 65533, "pflow0");
        assertThat(outsider.exit()).isEqualTo(1);
        assertThat(outsider.err()).startsWith("ifconfig: ").containsIgnoringCase("permission denied").hasLineCount(1);
    }

    /** IfconfigMain as uid 65534 with only group {@code gid}, in a separate JVM. */
    private DaemonProcess.Output asUser(String classpath, int gid, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=" + gid, "--clear-groups",
                "java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-cp", classpath,
                "net.pflowd.ifconfig.IfconfigMain", "--socket", daemon.socket().toString()));
        argv.addAll(List.of(args));
        NetNs.ExecResult r = NetNs.runCommand(argv);
        return new DaemonProcess.Output(r.exitCode(), r.stdout(), r.stderr());
    }

    /** This JVM's classpath copied where any user can read it (the Maven repository is root's, mode 0700). */
    private static String copyClasspath(Path to) throws IOException {
        Files.createDirectories(to);
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : DaemonProcess.CLASSPATH.split(java.io.File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = to.resolve(Integer.toString(n++) + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                try (var files = Files.walk(src)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = dst.resolve(src.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(dst.toString());
        }
        try (var files = Files.walk(to)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(
                        Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. Collector down and back

    @Test
    void collectorDownThenBack() throws Exception {
        int port;
        try (UdpCollector probe = UdpCollector.bind(ns, new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.port(); // free in the namespace, and nobody listens once this is closed
        }
        daemon.start("--hold-timeout", "1");
        daemon.ifconfigOk("pflow0", "create", "flowdst", "127.0.0.1:" + port);
        // A connected UDP socket learns of the refusal from the ICMP error of one datagram and fails the next send.
        for (int round = 1; round <= 5 && daemon.status("pflow0").statistic(InterfaceStatus.ERRORS) == 0; round++) {
            long attempts = attempts();
            daemon.endStates("pflow0", 2, false);
            daemon.await("a send attempt", () -> attempts() > attempts);
        }
        InterfaceStatus down = daemon.status("pflow0");
        assertThat(down.statistic(InterfaceStatus.ERRORS)).isPositive();
        assertThat(down.isRunning()).isTrue();
        Map<String, Long> stats = verboseStats(daemon.ifconfigOk("-v", "pflow0"));
        assertThat(stats.get("errors")).isEqualTo(down.statistic(InterfaceStatus.ERRORS));
        assertThat(stats.get("flows")).isEqualTo(down.statistic(InterfaceStatus.FLOWS));
        assertThat(daemon.isAlive()).isTrue();

        try (UdpCollector collector = UdpCollector.bind(ns, new InetSocketAddress("127.0.0.1", port))) {
            // The first datagram after the collector is back may still meet an ICMP error queued before: repeat.
            for (int round = 1; round <= 3 && decode(collector.received()).records == 0; round++) {
                long attempts = attempts();
                daemon.endStates("pflow0", 2, false);
                daemon.await("a send attempt", () -> attempts() > attempts);
                Thread.sleep(100);
            }
            Decoded d = decode(collector.received());
            assertThat(d.records).isEqualTo(4);
            // Our states: client 10.9.x.x, server 10.8.0.1, one record per direction.
            assertThat(d.messages()).allSatisfy(m -> assertThat(m.records()).allSatisfy(
                    r -> assertThat(List.of(r.src().getHostAddress(), r.dst().getHostAddress()))
                            .contains("10.8.0.1").anyMatch(a -> a.startsWith("10.9."))));
            assertThat(daemon.status("pflow0").statistic(InterfaceStatus.PACKETS)).isPositive();
        }
    }

    private long attempts() {
        try {
            InterfaceStatus s = daemon.status("pflow0");
            return s.statistic(InterfaceStatus.PACKETS) + s.statistic(InterfaceStatus.ERRORS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code pflow stats:} line of {@code ifconfig -v}, as name/value pairs (each name one word). */
    private static Map<String, Long> verboseStats(String verbose) {
        Matcher m = Pattern.compile("(?m)^\tpflow stats:((?: \\S+ \\d+)+)$").matcher(verbose);
        assertThat(m.find()).as("pflow stats line of\n" + verbose).isTrue();
        String[] words = m.group(1).trim().split(" ");
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < words.length; i += 2) {
            out.put(words[i], Long.parseLong(words[i + 1]));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // 7. Refused starts

    @Test
    void badConfigurationRefusesToStart() throws Exception {
        Files.writeString(daemon.config(), "# test\npflow0 flowdst 127.0.0.1:2055\npflow1 pflowproto 7\n");
        DaemonProcess.Output r = daemon.run();
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("pflowd: " + daemon.config() + ":3: ifconfig: Invalid pflow protocol: 7");
        assertThat(ns.execOk("ip", "-o", "link", "show")).doesNotContain("pflow");

        Files.delete(daemon.config());
        for (String[] bad : new String[][] {{"--hold-timeout", "0"}, {"--hold-timeout", "soon"},
                {"--pfctl-interval", "0"}, {"--engine-type", "256"}}) {
            DaemonProcess.Output o = daemon.run(bad);
            assertThat(o.exit()).as(String.join(" ", bad)).isNotZero();
            // The error is the last line (the startup log may come before it), and says which option.
            String[] lines = o.err().strip().split("\n");
            assertThat(lines[lines.length - 1]).as(String.join(" ", bad)).startsWith("pflowd: ").contains(bad[0]);
            assertThat(ns.execOk("ip", "-o", "link", "show")).doesNotContain("pflow");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** One line of {@code ip -o link show dev NAME}. */
    record Link(int index, List<String> flags, int mtu) {
    }

    private Link link(String name) {
        String line = ns.execOk("ip", "-o", "link", "show", "dev", name);
        Matcher m = Pattern.compile("^(\\d+): " + name + ": <([^>]*)> mtu (\\d+) ").matcher(line);
        assertThat(m.find()).as(line).isTrue();
        return new Link(Integer.parseInt(m.group(1)), List.of(m.group(2).split(",")), Integer.parseInt(m.group(3)));
    }

    /** OpenBSD's ifconfig lines for a pflow interface. */
    private static String status(String name, String flags, int mtu, int index, String pflow) {
        return name + ": flags=" + flags + " mtu " + mtu + "\n"
                + "\tindex " + index + " priority 0 llprio 3\n"
                + "\tpflow: " + pflow + "\n"
                + "\tgroups: pflow\n";
    }
}
