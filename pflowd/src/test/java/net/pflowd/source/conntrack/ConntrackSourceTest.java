package net.pflowd.source.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.pflowd.flow.Clock;
import net.pflowd.flow.FlowRecord;
import net.pflowd.linux.Errno;
import net.pflowd.os.ErrnoException;
import net.pflowd.testutil.ConntrackEntry;
import net.pflowd.testutil.EchoServer;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conntrack source against the real kernel, as root, in namespaces of its own: client "a" and server
 * "b" joined by a veth (10.77.0.1/24 and fd77::1/64 on a, .2 / ::2 on b), the source reading a's table.
 */
class ConntrackSourceTest {
    private NetNs a, b;
    private final List<FlowRecord> records = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void namespaces() throws IOException {
        a = NetNs.create("conntrack-a");
        b = NetNs.create("conntrack-b");
        String va = "ct" + a.name().substring(a.name().length() - 6), vb = "ct" + b.name().substring(b.name().length() - 6);
        NetNs.runOk(List.of("ip", "link", "add", va, "netns", a.name(), "type", "veth", "peer", "name", vb, "netns", b.name()));
        a.sh("ip addr add 10.77.0.1/24 dev " + va + " && ip addr add 10.77.0.3/24 dev " + va
                + " && ip -6 addr add fd77::1/64 dev " + va + " nodad && ip link set " + va + " up");
        b.sh("ip addr add 10.77.0.2/24 dev " + vb + " && ip -6 addr add fd77::2/64 dev " + vb
                + " nodad && ip link set " + vb + " up");
    }

    @AfterEach
    void cleanup() throws IOException {
        try {
            if (a != null) {
                a.close();
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }

    private ConntrackSource source(ConntrackSettings s) throws Exception {
        s.netnsPath = a.path().toString();
        ConntrackSource src = new ConntrackSource(s, Clock.SYSTEM);
        src.start(r -> records.add(r.copy()));
        return src;
    }

    private List<ConntrackEntry> conntrackList() {
        return ConntrackEntry.parse(a.sh("conntrack -L -o extended 2>/dev/null"));
    }

    private List<FlowRecord> recordsOf(String srcName, int sport, String dstName, int dport, int proto)
            throws IOException {
        java.net.InetAddress src = java.net.InetAddress.getByName(srcName), dst = java.net.InetAddress.getByName(dstName);
        List<FlowRecord> out = new ArrayList<>();
        synchronized (records) {
            for (FlowRecord r : records) {
                if (r.protocol == proto && r.src().equals(src) && r.srcPort == sport
                        && r.dst().equals(dst) && r.dstPort == dport) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static final String CLIENT = "python3 -c \"\n"
            + "import socket,time\n"
            + "def tcp(fam,addr,n):\n"
            + "  c=socket.socket(fam,socket.SOCK_STREAM); c.connect((addr,7000)); c.sendall(b'x'*n); c.shutdown(socket.SHUT_WR)\n"
            + "  got=0\n"
            + "  while True:\n"
            + "    d=c.recv(65536)\n"
            + "    if not d: break\n"
            + "    got+=len(d)\n"
            + "  c.close(); assert got==n//2, got\n"
            + "def udp(fam,addr,n):\n"
            + "  u=socket.socket(fam,socket.SOCK_DGRAM); u.settimeout(5); u.sendto(b'q'*n,(addr,7001)); d,_=u.recvfrom(65535); assert len(d)==2*n\n"
            + "for i in range(50):\n"
            + "  try:\n"
            + "    socket.create_connection(('10.77.0.2',7000),timeout=0.2).close(); break\n"
            + "  except OSError: time.sleep(0.1)\n"
            + "tcp(socket.AF_INET,'10.77.0.2',100000)\n"
            + "tcp(socket.AF_INET6,'fd77::2',30000)\n"
            + "udp(socket.AF_INET,'10.77.0.2',100)\n"
            + "udp(socket.AF_INET6,'fd77::2',200)\n"
            + "\"";

    @Test
    void everyProtocolAndFamilyMatchesConntracksOwnCounters() throws Exception {
        b.start("python3", "-c", EchoServer.SCRIPT);
        ConntrackSource src = source(new ConntrackSettings());
        boolean closed = false;
        try {
            // The source made the kernel track (its own nft table) and account.
            assertThat(a.sh("nft list tables")).contains("inet pflowd");
            assertThat(a.sh("sysctl -n net.netfilter.nf_conntrack_acct").trim()).isEqualTo("1");
            long before = System.currentTimeMillis();
            a.sh(CLIENT);
            a.sh("ping -c 3 -i 0.2 -q 10.77.0.2 >/dev/null && ping -6 -c 2 -i 0.2 -q fd77::2 >/dev/null");
            long trafficEnd = System.currentTimeMillis();
            List<ConntrackEntry> kernel = conntrackList();
            assertThat(kernel).extracting(ConntrackEntry::protocol).contains("tcp", "udp", "icmp", "icmpv6");
            Thread.sleep(2500); // so that the removal time is well after the last packet
            a.sh("conntrack -F 2>/dev/null");
            Thread.sleep(500);
            src.close();
            closed = true;
            // The source removed its table at close.
            assertThat(a.sh("nft list tables")).doesNotContain("pflowd");

            int checked = 0;
            for (ConntrackEntry k : kernel) {
                if (k.protocol().equals("tcp") && k.original().sport() == 0) {
                    continue;
                }
                int proto = switch (k.protocol()) {
                    case "tcp" -> 6;
                    case "udp" -> 17;
                    case "icmp" -> 1;
                    case "icmpv6" -> 58;
                    default -> -1;
                };
                int dport = proto == 1 ? 8 << 8 : proto == 58 ? 128 << 8 : k.original().dport();
                List<FlowRecord> fwd = recordsOf(k.original().src(), k.original().sport(), k.original().dst(), dport, proto);
                assertThat(fwd).as("original direction of %s", k).hasSize(1);
                assertThat(fwd.get(0).packets).as("packets of %s", k).isEqualTo(k.original().packets());
                assertThat(fwd.get(0).bytes).as("bytes of %s", k).isEqualTo(k.original().bytes());
                int rsport = proto == 1 ? 0 : proto == 58 ? 0 : k.original().dport();
                int rdport = proto == 1 ? 0 : proto == 58 ? 129 << 8 : k.original().sport();
                List<FlowRecord> rev = recordsOf(k.original().dst(), rsport, k.original().src(), rdport, proto);
                assertThat(rev).as("reply direction of %s", k).hasSize(1);
                assertThat(rev.get(0).packets).isEqualTo(k.reply().packets());
                assertThat(rev.get(0).bytes).isEqualTo(k.reply().bytes());
                FlowRecord r = fwd.get(0);
                assertThat(r.startMillis).isBetween(before - 1000, trafficEnd + 1000);
                // Last packet derived from the remaining timeout, not the removal 2.5 s later.
                assertThat(r.endMillis).as("end of %s", r).isBetween(r.startMillis, trafficEnd + 1500);
                assertThat(r.nat).isFalse();
                checked++;
            }
            assertThat(checked).isGreaterThanOrEqualTo(6);
            // What the traffic must produce: UDP/IPv4 100 bytes out (128 on the wire), 200 back (228).
            List<FlowRecord> udp4 = new ArrayList<>();
            synchronized (records) {
                for (FlowRecord r : records) {
                    if (r.protocol == 17 && r.family == FlowRecord.IPV4) {
                        udp4.add(r);
                    }
                }
            }
            assertThat(udp4).extracting(r -> r.bytes).containsExactlyInAnyOrder(128L, 228L);
            // ICMP echo: 3 requests of 84 bytes each way.
            assertThat(recordsOf("10.77.0.1", 0, "10.77.0.2", 8 << 8, 1).get(0).bytes).isEqualTo(3 * 84);
            // TCP/IPv4 carried at least its 100000 bytes of payload.
            assertThat(recordsOf("10.77.0.1", -1, "10.77.0.2", 7000, 6)).isEmpty();
            Map<String, Long> c = src.counters();
            assertThat(c.get("overruns")).isZero();
            assertThat(c.get("skipped-malformed")).isZero();
            assertThat(c.get("records")).isEqualTo(records.size());
        } finally {
            if (!closed) {
                src.close();
            }
        }
    }

    @Test
    void sourceNatShowsThePostNatAddressAndMarkSelects() throws Exception {
        b.start("python3", "-c", EchoServer.SCRIPT);
        a.sh("nft add table ip ctnat && nft add chain ip ctnat post '{ type nat hook postrouting priority 100; }'"
                + " && nft add rule ip ctnat post ip daddr 10.77.0.2 udp dport 7001 snat to 10.77.0.3"
                + " && nft add chain ip ctnat out '{ type filter hook output priority 0; }'"
                + " && nft add rule ip ctnat out udp dport 7001 ct mark set 0x51");
        ConntrackSettings s = new ConntrackSettings().mark("0x51");
        ConntrackSource src = source(s);
        try {
            // The ruleset makes conntrack track IPv4 only: the source still installs its table, for IPv6.
            assertThat(a.sh("nft list tables")).contains("pflowd");
            a.sh(CLIENT);
            List<ConntrackEntry> kernel = conntrackList();
            a.sh("conntrack -F 2>/dev/null");
            Thread.sleep(500);
            src.close();
            ConntrackEntry udp = kernel.stream().filter(k -> k.protocol().equals("udp") && k.original().dst().equals("10.77.0.2"))
                    .findFirst().orElseThrow();
            List<FlowRecord> fwd = recordsOf("10.77.0.1", udp.original().sport(), "10.77.0.2", 7001, 17);
            assertThat(fwd).hasSize(1);
            assertThat(fwd.get(0).nat).isTrue();
            assertThat(fwd.get(0).postSrc().getHostAddress()).isEqualTo("10.77.0.3");
            assertThat(fwd.get(0).bytes).isEqualTo(udp.original().bytes());
            List<FlowRecord> rev = recordsOf("10.77.0.2", 7001, "10.77.0.1", udp.original().sport(), 17);
            assertThat(rev).hasSize(1);
            assertThat(rev.get(0).postDst().getHostAddress()).isEqualTo("10.77.0.3");
            assertThat(kernel).anyMatch(k -> k.original().src().startsWith("fd77"));
            // Only the marked connections were exported: no TCP, no IPv6.
            assertThat(records).allMatch(r -> r.protocol == 17 && r.family == FlowRecord.IPV4);
            assertThat(src.counters().get("skipped-filtered")).as("%s %s", kernel, src.counters()).isGreaterThanOrEqualTo(4);
        } finally {
            src.close();
        }
    }

    @Test
    void activeTimeoutRecordsAddUpToTheKernelsTotals() throws Exception {
        b.start("python3", "-c", EchoServer.SCRIPT);
        ConntrackSettings s = new ConntrackSettings();
        s.activeTimeoutSeconds = 1;
        ConntrackSource src = source(s);
        try {
            // One UDP flow of 10 exchanges over ~3 s from one socket: the dumps split it.
            a.sh("python3 -c \"\nimport socket,time\nu=socket.socket(); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                    + "u.bind(('10.77.0.1',5555))\nfor i in range(10):\n  u.sendto(b'z'*50,('10.77.0.2',7001)); u.recvfrom(1000); time.sleep(0.3)\n\"");
            List<ConntrackEntry> kernel = conntrackList();
            ConntrackEntry k = kernel.stream().filter(l -> l.original().sport() == 5555).findFirst().orElseThrow();
            a.sh("conntrack -F 2>/dev/null");
            Thread.sleep(500);
            src.close();
            List<FlowRecord> fwd = recordsOf("10.77.0.1", 5555, "10.77.0.2", 7001, 17);
            List<FlowRecord> rev = recordsOf("10.77.0.2", 7001, "10.77.0.1", 5555, 17);
            assertThat(fwd.size()).isGreaterThan(1);
            assertThat(fwd.stream().mapToLong(r -> r.packets).sum()).isEqualTo(k.original().packets()).isEqualTo(10);
            assertThat(fwd.stream().mapToLong(r -> r.bytes).sum()).isEqualTo(k.original().bytes()).isEqualTo(10 * 78);
            assertThat(rev.stream().mapToLong(r -> r.bytes).sum()).isEqualTo(k.reply().bytes()).isEqualTo(10 * 128);
            assertThat(src.counters().get("active-exports")).isGreaterThanOrEqualTo(1);
        } finally {
            src.close();
        }
    }

    /** Fills a's table with n unreplied UDP entries 127.0.0.1 -> 127.0.0.{1,2}:port (dropped on input). */
    static final String BURST = "python3 -c \"\n"
            + "import socket,sys\n"
            + "n=int(sys.argv[1]); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
            + "for i in range(n):\n"
            + "  u.sendto(b'b',('127.0.0.%d'%(1+i//50000),10000+i%50000))\n"
            + "\" ";

    private void burst(boolean startFirst, int bufferBytes) throws Exception {
        int n = 100_000;
        a.sh("nft add table inet ctdrop && nft add chain inet ctdrop in '{ type filter hook input priority 0; }'"
                + " && nft add rule inet ctdrop in ct state new udp dport 10000-59999 drop");
        ConntrackSettings s = new ConntrackSettings();
        s.receiveBufferBytes = bufferBytes;
        ConntrackSource src = startFirst ? source(s) : null;
        a.sh("sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1"
                + " net.netfilter.nf_conntrack_events=1");
        try {
            a.sh(BURST + n);
            long count = Long.parseLong(a.sh("conntrack -C").trim());
            assertThat(count).isGreaterThanOrEqualTo(n);
            if (src == null) {
                src = source(s);
            }
            a.sh("conntrack -F 2>/dev/null");
            long deadline = System.currentTimeMillis() + 60_000;
            while (src.counters().get("connections") < count && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            src.close();
            Map<String, Long> c = src.counters();
            Map<Long, Integer> seen = new HashMap<>();
            long bad = 0;
            synchronized (records) {
                for (FlowRecord r : records) {
                    if (r.protocol == 17 && r.srcLo == 0x7f000001L && r.dstPort >= 10000 && r.dstPort < 60000) {
                        seen.merge((r.dstLo & 0xff) << 16 | r.dstPort, 1, Integer::sum);
                        if (r.packets != 1 || r.bytes != 29) {
                            bad++;
                        }
                    }
                }
            }
            assertThat(seen).as("distinct burst connections exported; counters %s", c).hasSize(n);
            assertThat(seen.values()).as("each exactly once").allMatch(v -> v == 1);
            assertThat(bad).isZero();
            if (c.get("overruns") > 0) {
                assertThat(c.get("resyncs")).isEqualTo(c.get("overruns"));
            }
            System.out.println("burst start-first=" + startFirst + " buffer=" + bufferBytes + ": " + c);
        } finally {
            if (src != null) {
                src.close();
            }
        }
    }

    @Test
    void entriesWithoutEventsAreExportedFromTheirLastDump() throws Exception {
        // Created while events were off, these entries have no event cache: their removal sends nothing.
        int n = 1000;
        a.sh("nft add table inet ctdrop && nft add chain inet ctdrop in '{ type filter hook input priority 0; }'"
                + " && nft add rule inet ctdrop in ct state new udp dport 10000-59999 drop"
                + " && sysctl -qw net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1"
                + " net.netfilter.nf_conntrack_events=0");
        a.sh(BURST + n);
        ConntrackSettings s = new ConntrackSettings();
        s.reconcileSeconds = 1;
        s.redeliveryGraceMillis = 500;
        ConntrackSource src = source(s);
        try {
            assertThat(src.counters().get("live-entries")).isEqualTo(n);
            a.sh("conntrack -F 2>/dev/null");
            long deadline = System.currentTimeMillis() + 30_000;
            while (src.counters().get("connections") < n && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            src.close();
            Map<String, Long> c = src.counters();
            assertThat(c.get("events")).isZero();
            assertThat(c.get("dump-exported")).isEqualTo(n);
            assertThat(records).hasSize(n);
            assertThat(records).allMatch(r -> r.packets == 1 && r.bytes == 29 && r.endMillis >= r.startMillis);
            assertThat(records.stream().map(r -> r.dstLo << 16 | r.dstPort).distinct().count()).isEqualTo(n);
        } finally {
            src.close();
        }
    }

    @Test
    void flushOfAHundredThousandEntriesLosesNone() throws Exception {
        burst(true, 256 << 20);
    }

    @Test
    void overrunWithASmallBufferIsRecoveredExactlyOnce() throws Exception {
        burst(false, 1 << 20);
    }

    @Test
    void aNamespaceThatCannotBeEnteredRefusesTheStartWithItsErrno() throws Exception {
        String missing = a.path() + "-missing";
        ConntrackSettings gone = new ConntrackSettings();
        gone.netnsPath = missing;
        assertThatThrownBy(() -> new ConntrackSource(gone, Clock.SYSTEM).start(r -> records.add(r.copy())))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                .hasMessage(missing + ": open: No such file or directory");
        // A file that is no namespace: open succeeds, setns says EINVAL.
        ConntrackSettings notNs = new ConntrackSettings();
        notNs.netnsPath = "/proc/self/status";
        assertThatThrownBy(() -> new ConntrackSource(notNs, Clock.SYSTEM).start(r -> records.add(r.copy())))
                .isInstanceOfSatisfying(ErrnoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessage("/proc/self/status: setns: Invalid argument");
        assertThat(records).isEmpty();
    }
}
