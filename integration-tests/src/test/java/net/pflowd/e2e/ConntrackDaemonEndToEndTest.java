package net.pflowd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.pflowd.collectors.DecodedRecord;
import net.pflowd.collectors.Nfcapd;
import net.pflowd.testutil.ConntrackEntry;
import net.pflowd.testutil.EchoServer;
import net.pflowd.testutil.NetNs;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The whole daemon ({@code --source conntrack}) against the real kernel and a real collector, as root, in
 * namespaces of its own. What nfdump stores must be, connection by connection and direction by direction,
 * what conntrack itself counted.
 *
 * <p>Topology: client {@code c} (10.78.1.1 and .2, fd78:1::1) — router {@code r} (10.78.1.254 / 10.78.2.254,
 * fd78:1::fe / fd78:2::fe, forwarding) — server {@code s} (10.78.2.1, fd78:2::1). The router masquerades
 * what comes from 10.78.1.2, so its connections are NAT'd; pflowd and nfcapd run on the router.
 */
class ConntrackDaemonEndToEndTest {
    private static final String OWNER = "cte2e";

    /** Known payloads: TCP 100000 / 40000 (NAT'd) / 30000 (IPv6) bytes, UDP 100 / 150 (NAT'd) / 200 (IPv6). */
    private static final String CLIENT = "import socket\n"
            + "def tcp(fam,src,dst,n):\n"
            + "  c=socket.socket(fam,socket.SOCK_STREAM); c.bind((src,0)); c.connect((dst,7000))\n"
            + "  c.sendall(b'x'*n); c.shutdown(socket.SHUT_WR); got=0\n"
            + "  while True:\n"
            + "    d=c.recv(65536)\n"
            + "    if not d: break\n"
            + "    got+=len(d)\n"
            + "  c.close(); assert got==n//2, got\n"
            + "def udp(fam,src,dst,n):\n"
            + "  u=socket.socket(fam,socket.SOCK_DGRAM); u.settimeout(5); u.bind((src,0)); u.sendto(b'q'*n,(dst,7001))\n"
            + "  d,_=u.recvfrom(65535); assert len(d)==2*n; u.close()\n"
            + "tcp(socket.AF_INET,'10.78.1.1','10.78.2.1',100000)\n"
            + "tcp(socket.AF_INET,'10.78.1.2','10.78.2.1',40000)\n"
            + "tcp(socket.AF_INET6,'fd78:1::1','fd78:2::1',30000)\n"
            + "udp(socket.AF_INET,'10.78.1.1','10.78.2.1',100)\n"
            + "udp(socket.AF_INET,'10.78.1.2','10.78.2.1',150)\n"
            + "udp(socket.AF_INET6,'fd78:1::1','fd78:2::1',200)\n";

    @Test
    void everyVersionCarriesConntracksOwnCountersToNfcapd() throws Exception {
        try (NetNs c = NetNs.create(OWNER); NetNs r = NetNs.create(OWNER); NetNs s = NetNs.create(OWNER)) {
            String tag = r.name().substring(r.name().length() - 6);
            NetNs.runCommand(List.of("ip", "link", "add", "c" + tag, "netns", c.name(), "type", "veth", "peer", "name",
                    "rc" + tag, "netns", r.name()));
            NetNs.runCommand(List.of("ip", "link", "add", "s" + tag, "netns", s.name(), "type", "veth", "peer", "name",
                    "rs" + tag, "netns", r.name()));
            c.sh("ip addr add 10.78.1.1/24 dev c" + tag + " && ip addr add 10.78.1.2/24 dev c" + tag
                    + " && ip -6 addr add fd78:1::1/64 dev c" + tag + " nodad && ip link set c" + tag + " up"
                    + " && ip route add default via 10.78.1.254 && ip -6 route add default via fd78:1::fe");
            s.sh("ip addr add 10.78.2.1/24 dev s" + tag + " && ip -6 addr add fd78:2::1/64 dev s" + tag
                    + " nodad && ip link set s" + tag + " up"
                    + " && ip route add default via 10.78.2.254 && ip -6 route add default via fd78:2::fe");
            r.sh("ip addr add 10.78.1.254/24 dev rc" + tag + " && ip -6 addr add fd78:1::fe/64 dev rc" + tag + " nodad"
                    + " && ip addr add 10.78.2.254/24 dev rs" + tag + " && ip -6 addr add fd78:2::fe/64 dev rs" + tag
                    + " nodad && ip link set rc" + tag + " up && ip link set rs" + tag + " up"
                    + " && sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1"
                    + " && nft add table ip e2enat"
                    + " && nft add chain ip e2enat post '{ type nat hook postrouting priority 100; }'"
                    + " && nft add rule ip e2enat post ip saddr 10.78.1.2 oifname rs" + tag + " masquerade");
            s.start("python3", "-c", EchoServer.SCRIPT);
            waitForListener(s);

            DaemonProcess d = DaemonProcess.startConntrack(r, List.of("pflow0 down", "set hold-timeout 1"), List.of());
            try {
                r.sh("conntrack -F 2>/dev/null; true"); // setup's packets are no test's connections
                for (int v : new int[] {5, 9, 10}) {
                    round(v, c, r, d);
                }
                // Every record the source produced went out: nothing dropped on the way to the collectors.
                Map<String, Long> st = d.statistics("pflow0");
                // (v5 has no IPv6 records: those are dropped by design, and counted.)
                assertThat(st.get("dropped") - st.get("export.dropped-v5-ipv6")).as("%s", st).isZero();
                assertThat(st.get("conntrack.overruns")).as("%s", st).isZero();
                assertThat(st.get("conntrack.skipped-malformed")).as("%s", st).isZero();
            } finally {
                d.close();
            }
            // pflowd removed its own table at exit and left the NAT table alone.
            String tables = r.execOk("nft", "list", "tables");
            assertThat(tables).doesNotContain("pflowd").contains("e2enat");
        }
    }

    /** One version: traffic, conntrack's own view of it, flush, and nfdump's view of what pflowd sent. */
    private void round(int version, NetNs c, NetNs r, DaemonProcess d) throws Exception {
        int port = 9900 + version;
        try (Nfcapd nfcapd = Nfcapd.start(InetAddress.getByName("127.0.0.1"), port, List.of("ip", "netns", "exec", r.name()))) {
            d.ifconfigOk("pflow0", "flowdst", "127.0.0.1:" + port, "pflowproto", Integer.toString(version), "up");
            Map<String, Long> before = d.statistics("pflow0");
            long flowsBefore = before.get("flows"), sourceBefore = before.get("conntrack.records");
            long roundStart = System.currentTimeMillis();
            c.execOk("python3", "-c", CLIENT);
            c.execOk("ping", "-c", "3", "-i", "0.2", "-q", "10.78.2.1");
            c.execOk("ping", "-c", "2", "-i", "0.2", "-q", "-I", "10.78.1.2", "10.78.2.1");
            c.execOk("ping", "-6", "-c", "2", "-i", "0.2", "-q", "fd78:2::1");
            Thread.sleep(300); // the last ACKs of the TCP closes
            List<ConntrackEntry> kernel = new ArrayList<>();
            for (ConntrackEntry k : ConntrackEntry.parse(r.execOk("conntrack", "-L", "-o", "extended"))) {
                if (!k.involvesLoopback()) { // pflowd's own export to nfcapd, which it never exports
                    kernel.add(k);
                }
            }
            r.execOk("sh", "-c", "conntrack -F 2>/dev/null");
            long flushed = System.currentTimeMillis();

            long expected = 0, v6 = 0;
            for (ConntrackEntry k : kernel) {
                long n = (k.original().bytes() != 0 ? 1 : 0) + (k.reply().bytes() != 0 ? 1 : 0);
                expected += n;
                v6 += k.isIpv6() ? n : 0;
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (d.statistics("pflow0").get("conntrack.records") < sourceBefore + expected
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            d.ifconfigOk("pflow0", "down"); // flushes the pending datagram to this round's collector
            Map<String, Long> st = d.statistics("pflow0");
            assertThat(st.get("conntrack.records") - sourceBefore).as("v%d records from the source; %s", version, st)
                    .isEqualTo(expected);
            if (version == 5) { // NetFlow v5 cannot carry IPv6: its records are dropped and counted, as pflow(4) does
                assertThat(v6).isPositive();
                assertThat(st.get("export.dropped-v5-ipv6") - before.get("export.dropped-v5-ipv6")).as("%s", st)
                        .isEqualTo(v6);
                expected -= v6;
                kernel.removeIf(ConntrackEntry::isIpv6);
            }
            assertThat(st.get("flows") - flowsBefore).as("v%d records exported; %s", version, st).isEqualTo(expected);

            nfcapd.stop();
            List<DecodedRecord> stored = new ArrayList<>();
            int i = 0;
            for (JsonNode j : nfcapd.flows()) {
                stored.add(DecodedRecord.fromNfdump(j, i++));
            }
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(nfcapd.sequenceFailures()).as("v%d sequence failures", version).isZero();
            soft.assertThat(stored).as("v%d: nfdump holds one record per direction that carried traffic; kernel %s",
                    version, kernel).hasSize((int) expected);

            Set<String> kinds = new HashSet<>();
            for (ConntrackEntry k : kernel) {
                String at = "v" + version + " " + k;
                DecodedRecord fwd = one(soft, stored, k, false, at);
                DecodedRecord rev = one(soft, stored, k, true, at);
                if (fwd == null || rev == null) {
                    continue;
                }
                soft.assertThat(fwd.packets).as(at + " original packets").isEqualTo(k.original().packets());
                soft.assertThat(fwd.bytes).as(at + " original bytes").isEqualTo(k.original().bytes());
                soft.assertThat(rev.packets).as(at + " reply packets").isEqualTo(k.reply().packets());
                soft.assertThat(rev.bytes).as(at + " reply bytes").isEqualTo(k.reply().bytes());
                for (DecodedRecord x : List.of(fwd, rev)) {
                    soft.assertThat(x.start).as(at + " start").isNotNull().isBetween(roundStart - 1000, flushed + 1000);
                    soft.assertThat(x.end).as(at + " end").isNotNull().isBetween(roundStart - 1000, flushed + 1000);
                    if (x.start != null && x.end != null) {
                        soft.assertThat(x.start).as(at + " start <= end").isLessThanOrEqualTo(x.end);
                    }
                }
                boolean v4 = !k.isIpv6();
                if (k.isNat()) {
                    kinds.add("nat-" + k.protocol());
                    if (version != 5) {
                        // As the router's other side sees them: from the masquerade address, replies to it.
                        soft.assertThat(fwd.postSrc).as(at + " post-NAT source").isEqualTo(k.reply().dstAddress());
                        soft.assertThat(fwd.postDst).as(at + " post-NAT destination").isEqualTo(k.reply().srcAddress());
                        soft.assertThat(rev.postSrc).as(at + " reply post-NAT source").isEqualTo(k.reply().srcAddress());
                        soft.assertThat(rev.postDst).as(at + " reply post-NAT destination").isEqualTo(k.reply().dstAddress());
                        if (!k.isIcmp()) {
                            soft.assertThat(fwd.postSrcPort).as(at + " post-NAT source port").isEqualTo(k.reply().dport());
                            soft.assertThat(fwd.postDstPort).as(at + " post-NAT destination port").isEqualTo(k.reply().sport());
                            soft.assertThat(rev.postSrcPort).as(at + " reply post-NAT source port").isEqualTo(k.reply().sport());
                            soft.assertThat(rev.postDstPort).as(at + " reply post-NAT destination port").isEqualTo(k.reply().dport());
                        }
                    }
                } else {
                    kinds.add((v4 ? "" : "v6-") + k.protocol());
                    if (version != 5 && v4) {
                        soft.assertThat(fwd.postSrc == null || fwd.postSrc.isAnyLocalAddress())
                                .as(at + " no post-NAT address without NAT: " + fwd).isTrue();
                    }
                }
            }
            soft.assertThat(kinds).as("v%d connections compared", version)
                    .contains("tcp", "udp", "icmp", "nat-tcp", "nat-udp", "nat-icmp");
            if (version != 5) {
                soft.assertThat(kinds).as("v%d IPv6 connections compared", version).contains("v6-tcp", "v6-udp", "v6-icmpv6");
            }
            soft.assertAll();
        }
    }

    /** Fills the table with n unreplied UDP entries 127.0.0.1 -> 127.0.0.{1,2,..}:10000-59999 (dropped on input). */
    private static final String BURST = "import socket,sys\n"
            + "n=int(sys.argv[1]); u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
            + "for i in range(n):\n"
            + "  u.sendto(b'b',('127.0.0.%d'%(1+i//50000),10000+i%50000))\n";

    @Test
    void aHundredThousandEntriesFlushedAtOnceAllReachNfcapd() throws Exception {
        int n = 100_000;
        try (NetNs b = NetNs.create(OWNER)) {
            b.sh("nft add table inet burst && nft add chain inet burst in '{ type filter hook input priority 0; }'"
                    + " && nft add rule inet burst in ct state new udp dport 10000-59999 drop");
            try (Nfcapd nfcapd = Nfcapd.start(InetAddress.getByName("127.0.0.1"), 9995, List.of("ip", "netns", "exec", b.name()))) {
                DaemonProcess d = DaemonProcess.startConntrack(b,
                        List.of("pflow0 flowdst 127.0.0.1:9995 pflowproto 10", "set hold-timeout 1"), List.of());
                Map<String, Long> st;
                try {
                    b.execOk("python3", "-c", BURST, Integer.toString(n));
                    long count = Long.parseLong(b.execOk("conntrack", "-C").trim());
                    assertThat(count).isGreaterThanOrEqualTo(n);
                    b.execOk("sh", "-c", "conntrack -F 2>/dev/null");
                    long deadline = System.currentTimeMillis() + 40_000;
                    while (d.statistics("pflow0").get("conntrack.connections") < n && System.currentTimeMillis() < deadline) {
                        Thread.sleep(100);
                    }
                    d.ifconfigOk("pflow0", "down"); // the last, partly filled datagram
                    st = d.statistics("pflow0");
                } finally {
                    d.close();
                }
                nfcapd.stop();
                // Each burst entry: 1 packet of 29 bytes from 127.0.0.1 to a distinct address:port.
                Set<String> burst = new HashSet<>();
                long all = 0, bad = 0;
                for (String line : nfcapd.query("-q", "-o", "fmt:%sa %da %dp %pkt %byt").split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 5) {
                        continue;
                    }
                    all++;
                    int dport = Integer.parseInt(f[2]);
                    if (f[0].equals("127.0.0.1") && dport >= 10000 && dport < 60000) {
                        if (!burst.add(f[1] + ":" + dport) || !f[3].equals("1") || !f[4].equals("29")) {
                            bad++;
                        }
                    }
                }
                SoftAssertions soft = new SoftAssertions();
                soft.assertThat(burst).as("distinct burst connections at nfcapd; %s", st).hasSize(n);
                soft.assertThat(bad).as("duplicates or wrong counters").isZero();
                soft.assertThat(all).as("every record at nfcapd is one pflowd exported").isEqualTo(st.get("flows"));
                soft.assertThat(nfcapd.sequenceFailures()).as("sequence failures").isZero();
                soft.assertThat(st.get("conntrack.records")).as("%s", st).isEqualTo(n);
                soft.assertThat(st.get("flows")).as("%s", st).isEqualTo(n);
                soft.assertThat(st.get("dropped")).as("%s", st).isZero();
                soft.assertThat(st.get("errors")).as("%s", st).isZero();
                // Every full datagram also went out on pflow0 (the kernel MTU of pflow0 bounds them all).
                soft.assertThat(st.get("mirror.errors")).as("%s", st).isZero();
                soft.assertThat(st.get("mirror.packets")).as("%s", st).isEqualTo(st.get("packets"));
                soft.assertThat(st.get("conntrack.resyncs")).as("every overrun recovered; %s", st)
                        .isEqualTo(st.get("conntrack.overruns"));
                soft.assertAll();
                System.out.println("burst of " + n + " through the daemon: " + st);
            }
        }
    }

    @Test
    void withoutNftTheSourceRefusesToStartWithOneClearLine() throws Exception {
        try (NetNs ns = NetNs.create(OWNER)) {
            Path dir = Files.createTempDirectory("pflowd-nonft");
            try {
                String acctBefore = ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_acct").strip();
                String eventsBefore = ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_events").strip();
                // A PATH with java but without /usr/sbin, where nft lives.
                assertThat(Files.exists(Path.of("/usr/bin/nft"))).as("nft must not be in /usr/bin for this test").isFalse();
                List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
                cmd.addAll(DaemonProcess.javaMain(List.of()));
                cmd.addAll(List.of("--config", dir.resolve("none.conf").toString(), "--state-dir", dir.resolve("state").toString(),
                        "--socket", dir.resolve("s.sock").toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                        .redirectError(dir.resolve("err").toFile());
                pb.environment().put("PATH", "/usr/bin:/bin");
                Process p = pb.start();
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String err = Files.readString(dir.resolve("err"));
                assertThat(p.exitValue()).as(err).isEqualTo(1);
                assertThat(err).contains("pflowd: conntrack: nft not found: install nftables, or add a rule that uses ct"
                        + " and start with --no-nft-table\n").doesNotContain("Cannot run program").doesNotContain("Exception");
                // A refused start leaves the kernel as it found it: the sysctls it had turned on are back.
                assertThat(ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_acct").strip()).isEqualTo(acctBefore);
                assertThat(ns.execOk("sysctl", "-n", "net.netfilter.nf_conntrack_events").strip()).isEqualTo(eventsBefore);
                // ...and with --no-nft-table it does not need nft.
                cmd.add("--no-nft-table");
                Process q = pb.command(cmd).start();
                try {
                    // The socket file exists from bind(2) on, a moment before listen(2): wait for an answer.
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    List<net.pflowd.control.InterfaceStatus> listed = null;
                    while (listed == null && q.isAlive() && System.nanoTime() < deadline) {
                        try {
                            listed = new net.pflowd.control.ControlClient(dir.resolve("s.sock")).list();
                        } catch (net.pflowd.control.ControlException notYet) {
                            Thread.sleep(100);
                        }
                    }
                    assertThat(q.isAlive()).as(Files.readString(dir.resolve("err"))).isTrue();
                    assertThat(listed).isEmpty();
                } finally {
                    q.destroy();
                    q.waitFor(30, TimeUnit.SECONDS);
                }
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /** The one stored record of {@code k}'s original (or reply) direction; null (and a failure) if not exactly one. */
    private static DecodedRecord one(SoftAssertions soft, List<DecodedRecord> stored, ConntrackEntry k, boolean reply,
            String at) {
        InetAddress src = reply ? k.original().dstAddress() : k.original().srcAddress(), dst = reply ? k.original().srcAddress() : k.original().dstAddress();
        int sport = reply ? k.original().dport() : k.original().sport(), dport = reply ? k.original().sport() : k.original().dport();
        List<DecodedRecord> m = new ArrayList<>();
        for (DecodedRecord x : stored) {
            if (x.protocol == k.protocolNumber() && src.equals(x.src) && dst.equals(x.dst)
                    && (k.isIcmp() || (x.srcPort == sport && x.dstPort == dport))) {
                m.add(x);
            }
        }
        soft.assertThat(m).as(at + (reply ? " reply" : " original") + " direction at nfdump").hasSize(1);
        return m.size() == 1 ? m.get(0) : null;
    }

    private static void waitForListener(NetNs s) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String out = s.execOk("ss", "-H", "-ltun");
            if (out.contains(":7000") && out.contains(":7001")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("test server did not start");
    }
}
