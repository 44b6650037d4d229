package net.pflowd.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
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
 * Privileged: the export path between two fresh namespaces. The exporter namespace holds pflow0 (up, with its
 * mirror) and one end of a veth pair; the collector namespace holds the other end. Every path is opened on a
 * thread inside the exporter namespace, as the daemon does in its own. What tcpdump sees on pflow0 is compared
 * with what the collector socket really received: count, order, addresses, ports, payload bytes.
 *
 * <p>Addresses: exporter 10.78.0.1/24, fd00:78::1/64 on vexp0; collector 10.78.0.2/24, fd00:78::2/64 on vexp1.
 */
class ExportPathTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final InetAddress EXP4 = ip("10.78.0.1");
    private static final InetAddress COL4 = ip("10.78.0.2");
    private static final InetAddress EXP6 = ip("fd00:78::1");
    private static final InetAddress COL6 = ip("fd00:78::2");
    /** Reached through a route via the collector, added and removed by the unreachable-collector test. */
    private static final InetAddress FAR4 = ip("10.79.0.2");

    private static NetNs exp;
    private static NetNs col;
    private static TunDevice dev;
    private static PacketMirror mirror;
    private static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("pflowd-exportpath");
        try {
            exp = NetNs.create("exportpath");
            col = NetNs.create("exportpath");
            exp.execOk("ip", "link", "add", "vexp0", "type", "veth", "peer", "name", "vexp1", "netns", col.name());
            exp.execOk("ip", "addr", "add", "10.78.0.1/24", "dev", "vexp0");
            exp.execOk("ip", "addr", "add", "fd00:78::1/64", "dev", "vexp0", "nodad");
            exp.execOk("ip", "link", "set", "vexp0", "up");
            col.execOk("ip", "addr", "add", "10.78.0.2/24", "dev", "vexp1");
            col.execOk("ip", "addr", "add", "fd00:78::2/64", "dev", "vexp1", "nodad");
            col.execOk("ip", "addr", "add", "10.79.0.2/32", "dev", "lo");
            col.execOk("ip", "link", "set", "vexp1", "up");
            dev = exp.call(() -> TunDevice.create("pflow0"));
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
            try {
                if (exp != null) {
                    exp.close(); // takes vexp0 and with it its peer vexp1
                }
            } finally {
                if (col != null) {
                    col.close();
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
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1, 2, 4: one datagram on the wire, one packet on pflow0, identical

    @Test
    void ipv4OverVethKernelChosenSource() throws Exception {
        MirrorRun r = exportAndCompare("v4", col, null, new InetSocketAddress(COL4, 0), 7);
        assertThat(r.localAddress.getAddress()).isEqualTo(EXP4);
    }

    @Test
    void ipv4OverVethFromAnExplicitFlowsrcPort() throws Exception {
        int port = freePort(exp, EXP4);
        MirrorRun r = exportAndCompare("v4src", col, new InetSocketAddress(EXP4, port),
                new InetSocketAddress(COL4, 0), 5);
        assertThat(r.localAddress).isEqualTo(new InetSocketAddress(EXP4, port));
        assertThat(r.received).allSatisfy(d -> assertThat(d.getPort()).isEqualTo(port));
    }

    @Test
    void ipv4LoopbackCollectorInTheSameNamespace() throws Exception {
        InetAddress lo = ip("127.0.0.1");
        MirrorRun r = exportAndCompare("lo4", exp, new InetSocketAddress(lo, 0), new InetSocketAddress(lo, 0), 4);
        assertThat(r.localAddress.getAddress()).isEqualTo(lo);
    }

    @Test
    void ipv6OverVeth() throws Exception {
        MirrorRun r = exportAndCompare("v6", col, null, new InetSocketAddress(COL6, 0), 6);
        assertThat(r.localAddress.getAddress()).isEqualTo(EXP6);
    }

    @Test
    void ipv6OverVethFromAnExplicitFlowsrcPort() throws Exception {
        int port = freePort(exp, EXP6);
        MirrorRun r = exportAndCompare("v6src", col, new InetSocketAddress(EXP6, port),
                new InetSocketAddress(COL6, 0), 3);
        assertThat(r.localAddress).isEqualTo(new InetSocketAddress(EXP6, port));
    }

    @Test
    void ipv6LoopbackCollectorInTheSameNamespace() throws Exception {
        InetAddress lo = ip("::1");
        MirrorRun r = exportAndCompare("lo6", exp, null, new InetSocketAddress(lo, 0), 4);
        assertThat(r.localAddress.getAddress()).isEqualTo(lo);
    }

    private record MirrorRun(InetSocketAddress localAddress, List<DatagramPacket> received) {
    }

    /**
     * Opens a path from {@code flowsrc} to a fresh collector socket bound to {@code bind} in {@code collectorNs},
     * sends {@code k} payloads and asserts: the collector got exactly them, tcpdump on pflow0 got exactly k
     * packets, and packet i carries datagram i's source and destination address and port and payload bytes,
     * with valid IP and UDP checksums. Nothing else reached any UDP socket of either namespace.
     */
    private static MirrorRun exportAndCompare(String tag, NetNs collectorNs, InetSocketAddress flowsrc,
            InetSocketAddress bind, int k) throws Exception {
        List<byte[]> payloads = payloads(tag, k);
        Udp expBefore = Udp.read(exp);
        Udp colBefore = collectorNs == exp ? null : Udp.read(collectorNs);
        try (DatagramSocket collector = collectorNs.call(() -> new DatagramSocket(bind))) {
            collector.setSoTimeout((int) WAIT.toMillis());
            InetSocketAddress flowdst = new InetSocketAddress(bind.getAddress(), collector.getLocalPort());
            long mirrored0 = mirror.sentPackets();
            List<DatagramPacket> received = new ArrayList<>();
            List<Pcap.Record> captured;
            ExportPath path = exp.call(() -> ExportPath.open("pflow0", flowsrc, flowdst, mirror));
            try (Tcpdump cap = Tcpdump.start(exp, "pflow0", dir.resolve(tag + ".pcap"), k)) {
                assertThat(path.isConnected()).isTrue();
                sendAll(path, payloads);
                for (int i = 0; i < k; i++) {
                    DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                    collector.receive(p);
                    received.add(p);
                }
                captured = cap.awaitPackets(WAIT);
                collector.setSoTimeout(300);
                DatagramPacket extra = new DatagramPacket(new byte[65536], 65536);
                assertThatThrownBy(() -> collector.receive(extra)).isInstanceOf(SocketTimeoutException.class);
            } finally {
                path.close();
            }

            assertThat(path.sentDatagrams()).isEqualTo(k);
            assertThat(path.sentBytes()).isEqualTo(payloads.stream().mapToLong(p -> p.length).sum());
            assertThat(path.mirroredPackets()).isEqualTo(k);
            assertThat(path.outputErrors()).isZero();
            assertThat(path.droppedDatagrams()).isZero();
            assertThat(path.mirrorErrors()).isZero();
            assertThat(mirror.sentPackets() - mirrored0).isEqualTo(k);

            assertThat(captured).hasSize(k);
            for (int i = 0; i < k; i++) {
                DatagramPacket got = received.get(i);
                byte[] data = Arrays.copyOfRange(got.getData(), got.getOffset(), got.getOffset() + got.getLength());
                assertThat(data).as("%s datagram %d", tag, i).isEqualTo(payloads.get(i));
                Udp4or6 pkt = Udp4or6.parse(captured.get(i));
                assertThat(pkt.source()).as("%s packet %d source", tag, i).isEqualTo(got.getSocketAddress());
                assertThat(pkt.source()).isEqualTo(path.localAddress());
                assertThat(pkt.destination()).as("%s packet %d destination", tag, i).isEqualTo(flowdst);
                assertThat(pkt.payload()).as("%s packet %d payload", tag, i).isEqualTo(data);
            }

            // Only the k datagrams reached a socket: none found no port, no socket has anything queued, and the
            // collector namespace delivered exactly k.
            Udp expAfter = Udp.read(exp);
            assertThat(expAfter.noPorts).isEqualTo(expBefore.noPorts);
            assertThat(expAfter.queued).isZero();
            if (collectorNs == exp) {
                assertThat(expAfter.inDatagrams - expBefore.inDatagrams).isEqualTo(k);
            } else {
                Udp colAfter = Udp.read(collectorNs);
                assertThat(expAfter.inDatagrams).isEqualTo(expBefore.inDatagrams);
                assertThat(colAfter.inDatagrams - colBefore.inDatagrams).isEqualTo(k);
                assertThat(colAfter.noPorts).isEqualTo(colBefore.noPorts);
                assertThat(colAfter.queued).isZero();
            }
            return new MirrorRun(path.localAddress(), received);
        }
    }

    /** Sends from a heap buffer and a direct buffer with a non-zero position; neither position moves. */
    private static void sendAll(ExportPath path, List<byte[]> payloads) throws Exception {
        for (int i = 0; i < payloads.size(); i++) {
            byte[] p = payloads.get(i);
            ByteBuffer b;
            if (i % 2 == 0) {
                b = ByteBuffer.wrap(p);
            } else {
                b = ByteBuffer.allocateDirect(p.length + 3);
                b.position(3);
                b.put(p);
                b.position(3);
            }
            int pos = b.position();
            path.send(b);
            assertThat(b.position()).isEqualTo(pos);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 3: collector down, then back

    @Test
    void collectorDownIsCountedAndTheFirstDatagramAfterItsReturnArrives() throws Exception {
        int port = freePort(col, COL4);
        InetSocketAddress flowdst = new InetSocketAddress(COL4, port);
        int down = 4;
        int up = 3;
        List<byte[]> payloads = payloads("down", down + up);
        long noPorts0 = Udp.read(col).noPorts;
        ExportPath path = exp.call(() -> ExportPath.open("pflow0", null, flowdst, mirror));
        try (Tcpdump cap = Tcpdump.start(exp, "pflow0", dir.resolve("down.pcap"), down + up)) {
            for (int i = 0; i < down; i++) {
                long unreach0 = icmpInDestUnreachs(exp);
                path.send(ByteBuffer.wrap(payloads.get(i))); // never throws: the refusal is about an earlier one
                // The collector host answers port unreachable; wait until it is back before the next send, so
                // that every send after the first finds exactly one pending report.
                awaitAtLeast(() -> icmpInDestUnreachs(exp), unreach0 + 1);
                assertThat(path.sentDatagrams()).isEqualTo(i + 1);
                assertThat(path.outputErrors()).as("reports after send %d", i).isEqualTo(i);
                assertThat(path.droppedDatagrams()).isZero();
            }
            assertThat(path.lastError()).isEqualTo("pflow0: send to 10.78.0.2:" + port + ": "
                    + IfaceException.strerror(Errno.ECONNREFUSED));
            assertThat(Udp.read(col).noPorts - noPorts0).as("datagrams that reached the port-less host")
                    .isEqualTo(down);

            try (DatagramSocket collector = col.call(() -> new DatagramSocket(flowdst))) {
                collector.setSoTimeout((int) WAIT.toMillis());
                // The first send reports the refusal of the last datagram sent while down, and still goes out.
                for (int i = down; i < down + up; i++) {
                    path.send(ByteBuffer.wrap(payloads.get(i)));
                }
                assertThat(path.outputErrors()).isEqualTo(down);
                for (int i = down; i < down + up; i++) {
                    DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                    collector.receive(p);
                    assertThat(Arrays.copyOfRange(p.getData(), 0, p.getLength())).as("datagram %d", i)
                            .isEqualTo(payloads.get(i));
                    assertThat(p.getSocketAddress()).isEqualTo(path.localAddress());
                }
                collector.setSoTimeout(300);
                DatagramPacket extra = new DatagramPacket(new byte[65536], 65536);
                assertThatThrownBy(() -> collector.receive(extra)).isInstanceOf(SocketTimeoutException.class);
            }
            assertThat(path.sentDatagrams()).isEqualTo(down + up);
            assertThat(path.droppedDatagrams()).isZero();
            assertThat(path.mirroredPackets()).isEqualTo(down + up);
            assertThat(path.mirrorErrors()).isZero();

            // Every datagram went on the wire (the ones while down drew the ICMP errors): all are on pflow0.
            List<Pcap.Record> captured = cap.awaitPackets(WAIT);
            assertThat(captured).hasSize(down + up);
            for (int i = 0; i < down + up; i++) {
                Udp4or6 pkt = Udp4or6.parse(captured.get(i));
                assertThat(pkt.payload()).isEqualTo(payloads.get(i));
                assertThat(pkt.destination()).isEqualTo(flowdst);
                assertThat(pkt.source()).isEqualTo(path.localAddress());
            }
        } finally {
            path.close();
        }
    }

    @Test
    void noRouteToTheCollectorLosesDatagramsUnmirroredUntilTheRouteExists() throws Exception {
        int port = freePort(col, FAR4);
        InetSocketAddress flowdst = new InetSocketAddress(FAR4, port);
        long mirrored0 = mirror.sentPackets();
        // No route to 10.79.0.2 yet: opening succeeds unconnected, the configuration is valid.
        ExportPath path = exp.call(() -> ExportPath.open("pflow0", null, flowdst, mirror));
        try (DatagramSocket collector = col.call(() -> new DatagramSocket(flowdst));
                Tcpdump cap = Tcpdump.start(exp, "pflow0", dir.resolve("noroute.pcap"), 2)) {
            collector.setSoTimeout((int) WAIT.toMillis());
            assertThat(path.isConnected()).isFalse();
            assertThat(path.localAddress()).isNull();
            String unreachable = IfaceException.strerror(Errno.ENETUNREACH);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> path.send(ByteBuffer.wrap(new byte[] {1, 2, 3})))
                        .isInstanceOf(IfaceException.class)
                        .hasMessage("pflow0: connect to 10.79.0.2:" + port + ": " + unreachable)
                        .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.ENETUNREACH);
            }
            assertThat(path.outputErrors()).isEqualTo(2);
            assertThat(path.droppedDatagrams()).isEqualTo(2);
            assertThat(path.sentDatagrams()).isZero();
            assertThat(mirror.sentPackets()).isEqualTo(mirrored0);

            exp.execOk("ip", "route", "add", "10.79.0.0/24", "via", "10.78.0.2");
            byte[] first = "after the route appeared".getBytes(StandardCharsets.US_ASCII);
            path.send(ByteBuffer.wrap(first));
            assertThat(path.isConnected()).isTrue();
            assertThat(path.localAddress().getAddress()).isEqualTo(EXP4);
            assertThat(receive(collector)).isEqualTo(first);

            // The route goes away under a connected socket: the send fails at once, is not mirrored, and the
            // engine sees the error; when the route is back, export goes on.
            exp.execOk("ip", "route", "del", "10.79.0.0/24");
            long mirroredBefore = mirror.sentPackets();
            assertThatThrownBy(() -> path.send(ByteBuffer.wrap(new byte[] {9})))
                    .isInstanceOf(IfaceException.class)
                    .hasMessage("pflow0: send to 10.79.0.2:" + port + ": " + unreachable);
            assertThat(mirror.sentPackets()).isEqualTo(mirroredBefore);
            assertThat(path.outputErrors()).isEqualTo(3);
            assertThat(path.droppedDatagrams()).isEqualTo(3);

            exp.execOk("ip", "route", "add", "10.79.0.0/24", "via", "10.78.0.2");
            byte[] second = "route back".getBytes(StandardCharsets.US_ASCII);
            path.send(ByteBuffer.wrap(second));
            assertThat(receive(collector)).isEqualTo(second);
            assertThat(path.sentDatagrams()).isEqualTo(2);
            assertThat(path.mirroredPackets()).isEqualTo(2);

            List<Pcap.Record> captured = cap.awaitPackets(WAIT);
            assertThat(captured).hasSize(2);
            assertThat(Udp4or6.parse(captured.get(0)).payload()).isEqualTo(first);
            assertThat(Udp4or6.parse(captured.get(1)).payload()).isEqualTo(second);
            assertThat(mirror.sentPackets() - mirrored0).isEqualTo(2);
        } finally {
            path.close();
            exp.exec("ip", "route", "del", "10.79.0.0/24");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Configuration errors, mirror errors, close

    @Test
    void flowsrcThatIsNotLocalOrInUseIsATypedError() throws Exception {
        InetSocketAddress flowdst = new InetSocketAddress(COL4, 2055);
        assertThatThrownBy(() -> exp.call(() -> ExportPath.open("pflow0",
                new InetSocketAddress(ip("10.9.9.9"), 0), flowdst, mirror)))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: flowsrc 10.9.9.9: " + IfaceException.strerror(Errno.EADDRNOTAVAIL))
                .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EADDRNOTAVAIL);
        // The collector's address is local only in the collector namespace.
        assertThatThrownBy(() -> exp.call(() -> ExportPath.open("pflow0",
                new InetSocketAddress(COL6, 4739), new InetSocketAddress(COL6, 4739), mirror)))
                .isInstanceOf(IfaceException.class)
                .hasMessage("pflow0: flowsrc [fd00:78::2]:4739: " + IfaceException.strerror(Errno.EADDRNOTAVAIL));
        assertThatThrownBy(() -> exp.call(() -> ExportPath.open("pflow0",
                new InetSocketAddress(EXP6, 0), flowdst, mirror)))
                .isInstanceOf(IfaceException.class)
                .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EAFNOSUPPORT);
        try (DatagramSocket taken = exp.call(() -> new DatagramSocket(new InetSocketAddress(EXP4, 0)))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> exp.call(() -> ExportPath.open("pflow0",
                    new InetSocketAddress(EXP4, port), flowdst, mirror)))
                    .isInstanceOf(IfaceException.class)
                    .hasMessage("pflow0: flowsrc 10.78.0.1:" + port + ": " + IfaceException.strerror(Errno.EADDRINUSE));
        }
    }

    @Test
    void openingOutsidePflowNamespaceIsRefused() {
        // The test thread is in the host namespace; pflow0 is not.
        assertThatThrownBy(() -> ExportPath.open("pflow0", null, new InetSocketAddress(COL4, 2055), mirror))
                .isInstanceOf(IfaceException.class)
                .hasMessageStartingWith("pflow0: export socket: calling thread is in network namespace net:[");
    }

    @Test
    void aMirrorFailureIsCountedAndTheDatagramStillGoesOut() throws Exception {
        try (DatagramSocket collector = col.call(() -> new DatagramSocket(new InetSocketAddress(COL4, 0)))) {
            collector.setSoTimeout((int) WAIT.toMillis());
            InetSocketAddress flowdst = new InetSocketAddress(COL4, collector.getLocalPort());
            try (ExportPath path = exp.call(() -> ExportPath.open("pflow0", null, flowdst, mirror))) {
                byte[] a = "pflow0 down".getBytes(StandardCharsets.US_ASCII);
                byte[] b = "pflow0 up again".getBytes(StandardCharsets.US_ASCII);
                dev.setUp(false);
                try {
                    path.send(ByteBuffer.wrap(a));
                } finally {
                    dev.setUp(true);
                }
                assertThat(receive(collector)).isEqualTo(a);
                assertThat(path.mirrorErrors()).isEqualTo(1);
                assertThat(path.mirroredPackets()).isZero();
                assertThat(path.outputErrors()).isZero();
                path.send(ByteBuffer.wrap(b));
                assertThat(receive(collector)).isEqualTo(b);
                assertThat(path.mirroredPackets()).isEqualTo(1);
                assertThat(path.sentDatagrams()).isEqualTo(2);
            }
        }
    }

    @Test
    void withoutMirrorOnlyTheCollectorGetsTheDatagram() throws Exception {
        try (DatagramSocket collector = exp.call(() -> new DatagramSocket(new InetSocketAddress(EXP4, 0)))) {
            collector.setSoTimeout((int) WAIT.toMillis());
            InetSocketAddress flowdst = new InetSocketAddress(EXP4, collector.getLocalPort());
            long mirrored0 = mirror.sentPackets();
            try (ExportPath path = exp.call(() -> ExportPath.open("pflow7", null, flowdst, null))) {
                byte[] a = "no mirror".getBytes(StandardCharsets.US_ASCII);
                path.send(ByteBuffer.wrap(a));
                assertThat(receive(collector)).isEqualTo(a);
                assertThat(path.ifname()).isEqualTo("pflow7");
                assertThatThrownBy(() -> path.send(ByteBuffer.allocate(0))).isInstanceOf(IfaceException.class)
                        .hasMessage("pflow7: send to 10.78.0.1:" + flowdst.getPort() + ": empty datagram");
                assertThat(path.sentDatagrams()).isEqualTo(1);
                assertThat(path.mirroredPackets()).isZero();
                assertThat(path.mirrorErrors()).isZero();
            }
            assertThat(mirror.sentPackets()).isEqualTo(mirrored0);
        }
    }

    @Test
    void closeFromAnotherThreadStopsSendingCleanly() throws Exception {
        try (DatagramSocket collector = exp.call(() -> new DatagramSocket(new InetSocketAddress(EXP4, 0)))) {
            InetSocketAddress flowdst = new InetSocketAddress(EXP4, collector.getLocalPort());
            ExportPath path = exp.call(() -> ExportPath.open("pflow0", null, flowdst, mirror));
            AtomicReference<Throwable> end = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                ByteBuffer b = ByteBuffer.wrap(new byte[64]);
                try {
                    while (true) {
                        try {
                            path.send(b);
                        } catch (IfaceException e) {
                            if (e.errno() != Errno.EAGAIN) {
                                throw e; // a full send buffer is a lost datagram, anything else ends the loop
                            }
                        }
                        Thread.sleep(1);
                    }
                } catch (Throwable t) {
                    end.set(t);
                }
            });
            sender.start();
            try {
                awaitAtLeast(path::sentDatagrams, 10);
            } finally {
                path.close();
                sender.join(WAIT.toMillis());
            }
            assertThat(sender.isAlive()).isFalse();
            // The only way out of the loop is the typed "closed" error: nothing else escaped send().
            assertThat(end.get()).isInstanceOf(IfaceException.class).hasMessage("pflow0: export: closed");
            assertThatThrownBy(() -> path.send(ByteBuffer.wrap(new byte[1])))
                    .isInstanceOf(IfaceException.class).hasMessage("pflow0: export: closed")
                    .extracting(e -> ((IfaceException) e).errno()).isEqualTo(Errno.EBADF);
            path.close(); // idempotent
            assertThat(path.mirroredPackets() + path.mirrorErrors()).isEqualTo(path.sentDatagrams());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    /** Payloads of assorted lengths (odd and even, 1 byte to over 1 KB), each distinct. */
    private static List<byte[]> payloads(String tag, int k) {
        List<byte[]> out = new ArrayList<>();
        int[] lengths = {1, 24, 1385, 77, 464, 2, 1024, 999};
        for (int i = 0; i < k; i++) {
            byte[] p = new byte[lengths[i % lengths.length]];
            byte[] label = (tag + ":" + i + ":").getBytes(StandardCharsets.US_ASCII);
            for (int j = 0; j < p.length; j++) {
                p[j] = j < label.length ? label[j] : (byte) (i * 31 + j);
            }
            out.add(p);
        }
        return out;
    }

    private static byte[] receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.receive(p);
        return Arrays.copyOfRange(p.getData(), 0, p.getLength());
    }

    private static int freePort(NetNs ns, InetAddress addr) throws Exception {
        return ns.call(() -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(addr, 0))) {
                return s.getLocalPort();
            }
        });
    }

    private static void awaitAtLeast(LongSupplier value, long target) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (value.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + value.getAsLong() + " < " + target + " after " + WAIT);
            }
            Thread.sleep(10);
        }
    }

    private static long icmpInDestUnreachs(NetNs ns) {
        return ProcNetSnmp.field(ns.execOk("cat", "/proc/net/snmp"), "Icmp:", "InDestUnreachs");
    }

    /** A captured IPv4/IPv6 + UDP packet, its checksums verified on parsing. */
    private record Udp4or6(InetSocketAddress source, InetSocketAddress destination, byte[] payload) {
        static Udp4or6 parse(Pcap.Record r) throws Exception {
            assertThat(r.linkType()).isEqualTo(Pcap.LINKTYPE_RAW);
            byte[] d = r.data();
            assertThat(r.originalLength()).isEqualTo(d.length);
            ByteBuffer b = ByteBuffer.wrap(d);
            int version = (d[0] & 0xff) >>> 4;
            InetAddress src;
            InetAddress dst;
            int udp;
            long pseudo;
            if (version == 4) {
                assertThat(d[0] & 0x0f).isEqualTo(5);
                assertThat(b.getShort(2) & 0xffff).as("IPv4 total length").isEqualTo(d.length);
                assertThat(d[9]).as("protocol").isEqualTo((byte) 17);
                assertThat(TestPackets.checksum(d, 0, 20, 0)).as("IPv4 header checksum").isZero();
                src = InetAddress.getByAddress(Arrays.copyOfRange(d, 12, 16));
                dst = InetAddress.getByAddress(Arrays.copyOfRange(d, 16, 20));
                udp = 20;
            } else {
                assertThat(version).isEqualTo(6);
                assertThat(b.getShort(4) & 0xffff).as("IPv6 payload length").isEqualTo(d.length - 40);
                assertThat(d[6]).as("next header").isEqualTo((byte) 17);
                src = InetAddress.getByAddress(Arrays.copyOfRange(d, 8, 24));
                dst = InetAddress.getByAddress(Arrays.copyOfRange(d, 24, 40));
                udp = 40;
            }
            int udpLength = b.getShort(udp + 4) & 0xffff;
            assertThat(udpLength).as("UDP length").isEqualTo(d.length - udp);
            assertThat(b.getShort(udp + 6)).as("UDP checksum present").isNotZero();
            pseudo = sum(src.getAddress()) + sum(dst.getAddress()) + 17 + udpLength;
            assertThat(TestPackets.checksum(d, udp, udpLength, pseudo)).as("UDP checksum").isZero();
            return new Udp4or6(new InetSocketAddress(src, b.getShort(udp) & 0xffff),
                    new InetSocketAddress(dst, b.getShort(udp + 2) & 0xffff),
                    Arrays.copyOfRange(d, udp + 8, d.length));
        }

        private static long sum(byte[] a) {
            long s = 0;
            for (int i = 0; i < a.length; i += 2) {
                s += ((a[i] & 0xff) << 8) | (a[i + 1] & 0xff);
            }
            return s;
        }
    }

    /** UDP counters of a namespace (IPv4 + IPv6) and the bytes queued on all its UDP sockets. */
    private record Udp(long inDatagrams, long noPorts, long queued) {
        static Udp read(NetNs ns) {
            String snmp = ns.execOk("cat", "/proc/net/snmp");
            String snmp6 = ns.execOk("cat", "/proc/net/snmp6");
            long queued = rxQueued(ns.execOk("cat", "/proc/net/udp")) + rxQueued(ns.execOk("cat", "/proc/net/udp6"));
            return new Udp(ProcNetSnmp.field(snmp, "Udp:", "InDatagrams") + ProcNetSnmp.field6(snmp6, "Udp6InDatagrams"),
                    ProcNetSnmp.field(snmp, "Udp:", "NoPorts") + ProcNetSnmp.field6(snmp6, "Udp6NoPorts"), queued);
        }

        /** Sum of rx_queue (the hex after ':' in "tx_queue:rx_queue") over every socket line. */
        private static long rxQueued(String table) {
            long sum = 0;
            String[] lines = table.split("\n");
            for (int i = 1; i < lines.length; i++) {
                String[] cols = lines[i].trim().split("\\s+");
                if (cols.length > 4) {
                    sum += Long.parseLong(cols[4].substring(cols[4].indexOf(':') + 1), 16);
                }
            }
            return sum;
        }
    }

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(s, e);
        }
    }

}
