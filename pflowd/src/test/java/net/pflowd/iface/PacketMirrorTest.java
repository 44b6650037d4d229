package net.pflowd.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import net.pflowd.linux.Errno;
import net.pflowd.testutil.NetNs;
import net.pflowd.testutil.ProcNetSnmp;
import net.pflowd.testutil.Pcap;
import net.pflowd.testutil.Tcpdump;
import net.pflowd.testutil.TestPackets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Privileged: packets mirrored on pflow0 inside a fresh namespace are seen by tcpdump byte for byte, counted as
 * TX, and never enter the IP stack. The device is created inside the namespace; the mirror is opened from the
 * test thread (host namespace), so its socket must still be made in the device's namespace.
 */
class PacketMirrorTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static NetNs ns;
    private static TunDevice dev;
    private static PacketMirror mirror;
    private static Path dir;

    private static final Inet4Address SRC4 = v4("10.77.0.1");
    private static final Inet4Address DST4 = v4("10.77.0.2");
    private static final Inet6Address SRC6 = v6("fd00:77::1");
    private static final Inet6Address DST6 = v6("fd00:77::2");
    private static final int PORT = 2055;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("pflowd-iface-mirror");
        ns = NetNs.create("iface");
        try {
            dev = ns.call(() -> TunDevice.create("pflow0"));
            dev.setUp(true);
            mirror = PacketMirror.open(dev);
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (mirror != null) {
                mirror.close();
            }
            if (dev != null) {
                dev.close();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    private static List<byte[]> packets(int k, String tag) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            byte[] payload = (tag + " packet " + i + " " + "x".repeat(i * 37)).getBytes(StandardCharsets.US_ASCII);
            out.add(i % 3 == 2
                    ? TestPackets.ipv6Udp(SRC6, DST6, 40000 + i, PORT, payload)
                    : TestPackets.ipv4Udp(SRC4, DST4, 40000 + i, PORT, 0x1000 + i, payload));
        }
        return out;
    }

    @Test
    void tcpdumpSeesEveryMirroredPacketByteForByteInOrderAndAsOutbound() throws Exception {
        int k = 8;
        List<byte[]> sent = packets(k, "capture");
        try (Tcpdump all = Tcpdump.start(ns, "pflow0", dir.resolve("all.pcap"), k);
                Tcpdump out = Tcpdump.start(ns, "pflow0", dir.resolve("out.pcap"), k, "-Q", "out");
                Tcpdump in = Tcpdump.start(ns, "pflow0", dir.resolve("in.pcap"), 1, "-Q", "in")) {
            for (int i = 0; i < k; i++) {
                // Mix both send forms: a heap array and a direct buffer with a non-zero position.
                if (i % 2 == 0) {
                    mirror.send(sent.get(i), 0, sent.get(i).length);
                } else {
                    ByteBuffer b = ByteBuffer.allocateDirect(sent.get(i).length + 5);
                    b.position(5);
                    b.put(sent.get(i));
                    b.position(5);
                    mirror.send(b);
                    assertThat(b.position()).isEqualTo(5);
                }
            }
            List<Pcap.Record> got = all.awaitPackets(WAIT);
            List<Pcap.Record> gotOut = out.awaitPackets(WAIT);
            List<Pcap.Record> gotIn = in.stop();

            assertThat(got).hasSize(k);
            assertThat(gotOut).hasSize(k);
            for (int i = 0; i < k; i++) {
                assertThat(got.get(i).linkType()).isEqualTo(Pcap.LINKTYPE_RAW);
                assertThat(got.get(i).data()).as("packet %d", i).isEqualTo(sent.get(i));
                assertThat(gotOut.get(i).data()).as("outbound packet %d", i).isEqualTo(sent.get(i));
            }
            assertThat(gotIn).isEmpty();
        }
    }

    @Test
    void txCountersCountEachPacketAndItsBytes() throws Exception {
        int k = 6;
        List<byte[]> sent = packets(k, "counters");
        long packets0 = stat("tx_packets");
        long bytes0 = stat("tx_bytes");
        long drained0 = dev.drainedPackets();
        long sent0 = mirror.sentPackets();
        long bytes = 0;
        for (byte[] p : sent) {
            mirror.send(p, 0, p.length);
            bytes += p.length;
        }
        assertThat(mirror.sentPackets() - sent0).isEqualTo(k);
        // TUN counts a packet as transmitted when its queue is read: wait for the drainer, bounded.
        awaitAtLeast(() -> dev.drainedPackets(), drained0 + k);
        awaitAtLeast(() -> stat("tx_packets"), packets0 + k);
        assertThat(stat("tx_packets")).isEqualTo(packets0 + k);
        assertThat(stat("tx_bytes")).isEqualTo(bytes0 + bytes);
        assertThat(stat("tx_dropped")).isZero();
        assertThat(stat("rx_packets")).isZero();
        assertThat(ns.execOk("ip", "-s", "link", "show", "dev", "pflow0")).contains("TX:");
    }

    /**
     * Bursts with pauses between them, as an export storm sends: the drainer reads a burst, naps, finds the next
     * one or goes back to poll(2); every packet is read and counted, none dropped from the TUN queue.
     */
    @Test
    void burstsAreDrainedWholeAcrossTheDrainersNaps() throws Exception {
        int bursts = 4;
        int repeats = 4;
        List<byte[]> burst = packets(25, "burst"); // under the MTU, 1,000 bytes at most
        long packets0 = stat("tx_packets");
        long drained0 = dev.drainedPackets();
        for (int b = 0; b < bursts; b++) {
            for (int r = 0; r < repeats; r++) {
                for (byte[] p : burst) {
                    mirror.send(p, 0, p.length);
                }
            }
            Thread.sleep(b == 1 ? 20 : 0); // one pause long enough for the drainer to go back to poll(2)
        }
        int k = bursts * repeats * burst.size();
        awaitAtLeast(() -> dev.drainedPackets(), drained0 + k);
        awaitAtLeast(() -> stat("tx_packets"), packets0 + k);
        assertThat(dev.drainedPackets()).isEqualTo(drained0 + k);
        assertThat(stat("tx_packets")).isEqualTo(packets0 + k);
        assertThat(stat("tx_dropped")).isZero();
    }

    @Test
    void mirroredPacketsNeverReachTheIpStackOrALocalSocket() throws Exception {
        // The mirrored packets are addressed to addresses this namespace owns, where a UDP socket listens.
        ns.execOk("ip", "addr", "add", DST4.getHostAddress() + "/32", "dev", "lo");
        ns.execOk("ip", "addr", "add", DST6.getHostAddress() + "/128", "dev", "lo", "nodad");
        try (DatagramSocket s4 = ns.call(() -> new DatagramSocket(new InetSocketAddress(DST4, PORT)));
                DatagramSocket s6 = ns.call(() -> new DatagramSocket(new InetSocketAddress(DST6, PORT)))) {
            s4.setSoTimeout(1000);
            s6.setSoTimeout(1000);
            Snmp before = Snmp.read();
            long drained0 = dev.drainedPackets();
            int k = 9;
            for (byte[] p : packets(k, "local")) {
                mirror.send(p, 0, p.length);
            }
            awaitAtLeast(() -> dev.drainedPackets(), drained0 + k); // every packet went all the way out
            DatagramPacket buf = new DatagramPacket(new byte[2048], 2048);
            assertThatThrownBy(() -> s4.receive(buf)).isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> s6.receive(buf)).isInstanceOf(SocketTimeoutException.class);
            Snmp after = Snmp.read();
            assertThat(after.ipInReceives).isEqualTo(before.ipInReceives);
            assertThat(after.ipForwDatagrams).isEqualTo(before.ipForwDatagrams);
            assertThat(after.udpInDatagrams).isEqualTo(before.udpInDatagrams);
            assertThat(after.ip6InReceives).isEqualTo(before.ip6InReceives);
            assertThat(after.udp6InDatagrams).isEqualTo(before.udp6InDatagrams);

            // Control: the same socket and counters do see a datagram that really is sent to them.
            ns.run(() -> {
                try (DatagramSocket c = new DatagramSocket(new InetSocketAddress(DST4, 0))) {
                    byte[] m = "real".getBytes(StandardCharsets.US_ASCII);
                    c.send(new DatagramPacket(m, m.length, new InetSocketAddress(DST4, PORT)));
                }
            });
            s4.receive(buf);
            assertThat(new String(buf.getData(), 0, buf.getLength(), StandardCharsets.US_ASCII)).isEqualTo("real");
            assertThat(Snmp.read().ipInReceives).isGreaterThan(after.ipInReceives);
        } finally {
            ns.exec("ip", "addr", "del", DST4.getHostAddress() + "/32", "dev", "lo");
            ns.exec("ip", "addr", "del", DST6.getHostAddress() + "/128", "dev", "lo");
        }
    }

    @Test
    void sendErrorsAreTypedAndLeaveTheDeviceWorking() throws Exception {
        byte[] big = TestPackets.ipv4Udp(SRC4, DST4, 1, PORT, 1, new byte[1400]);
        dev.setMtu(1280);
        try {
            assertThatThrownBy(() -> mirror.send(big, 0, big.length)).isInstanceOf(IfaceException.class)
                    .hasMessageStartingWith("pflow0: mirror: send 1428 bytes: ")
                    .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EMSGSIZE);
        } finally {
            dev.setMtu(1500);
        }
        dev.setUp(false);
        try {
            assertThatThrownBy(() -> mirror.send(big, 0, big.length)).isInstanceOf(IfaceException.class)
                    .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.ENETDOWN);
        } finally {
            dev.setUp(true);
        }
        byte[] notIp = {0x12, 0x34, 0x56};
        assertThatThrownBy(() -> mirror.send(notIp, 0, notIp.length)).isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: mirror: not an IPv4 or IPv6 packet (version 1)");
        assertThatThrownBy(() -> mirror.send(new byte[0], 0, 0)).isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: mirror: empty packet");
        long sent0 = mirror.sentPackets();
        mirror.send(big, 0, big.length);
        assertThat(mirror.sentPackets()).isEqualTo(sent0 + 1);
    }

    @Test
    void aMirrorOpenedInsideTheNamespaceWorksToo() throws Exception {
        try (PacketMirror inner = ns.call(() -> PacketMirror.open(dev));
                Tcpdump cap = Tcpdump.start(ns, "pflow0", dir.resolve("inner.pcap"), 1)) {
            byte[] p = packets(1, "inner").get(0);
            inner.send(p, 0, p.length);
            List<Pcap.Record> got = cap.awaitPackets(WAIT);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).data()).isEqualTo(p);
        }
    }

    private static long stat(String name) {
        return Long.parseLong(ns.execOk("cat", "/sys/class/net/pflow0/statistics/" + name).trim());
    }

    private static void awaitAtLeast(LongSupplier value, long target) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (value.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + value.getAsLong() + " < " + target + " after " + WAIT);
            }
            Thread.sleep(20);
        }
    }

    /** IP/UDP counters of the namespace, from /proc/net/snmp and /proc/net/snmp6 as seen inside it. */
    private record Snmp(long ipInReceives, long ipForwDatagrams, long udpInDatagrams, long ip6InReceives,
            long udp6InDatagrams) {
        static Snmp read() {
            String snmp = ns.execOk("cat", "/proc/net/snmp");
            String snmp6 = ns.execOk("cat", "/proc/net/snmp6");
            return new Snmp(ProcNetSnmp.field(snmp, "Ip:", "InReceives"), ProcNetSnmp.field(snmp, "Ip:", "ForwDatagrams"),
                    ProcNetSnmp.field(snmp, "Udp:", "InDatagrams"), ProcNetSnmp.field6(snmp6, "Ip6InReceives"),
                    ProcNetSnmp.field6(snmp6, "Udp6InDatagrams"));
        }
    }

    private static Inet4Address v4(String s) {
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

    private static Inet6Address v6(String s) {
        try {
            return (Inet6Address) InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }
}
