package net.pflowd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.pflowd.collectors.DecodedRecord;
import net.pflowd.collectors.Nfcapd;
import net.pflowd.e2e.RouterCaptures.Connection;
import net.pflowd.e2e.RouterCaptures.Packet;
import net.pflowd.e2e.RouterCaptures.Tuple;
import net.pflowd.testutil.ConntrackEntry;
import net.pflowd.testutil.NetNs;
import net.pflowd.testutil.Tcpdump;
import org.junit.jupiter.api.Test;

/**
 * Ground truth on a routed, NATed network: every record pflowd exports, in v5, v9 and IPFIX at once, checked
 * against what tcpdump saw on the router's interfaces, for connections that end on their own.
 *
 * <p>Topology: client {@code c} (10.79.1.1, 10.79.1.2, fd79:1::1) — router {@code r} (10.79.1.254 / 10.79.2.254,
 * fd79:1::fe / fd79:2::fe; forwards IPv4 and IPv6; masquerades what 10.79.1.2 sends out of its server side) —
 * server {@code s} (10.79.2.1, 10.79.2.2, fd79:2::1). pflowd runs on the router with pflow0/1/2 exporting v5, v9
 * and IPFIX to three nfcapd on the router's loopback. The router's conntrack timeouts are a few seconds, so every
 * connection expires on its own during the test: no entry is ever deleted or flushed.
 *
 * <p>pflowd runs twice. First without an active timeout: pings (from the client and from the router itself),
 * TCP closed with FIN, TCP reset, a single UDP exchange and a UDP stream, each exported when it expires. Then
 * with {@code --active-timeout 2}: long TCP connections, exported several times while they run. (With an active
 * timeout, every connection that lives longer than it, timeout included, is exported while idle, before it
 * expires: one run would leave the expiry path untested.)
 *
 * <p>The oracle ({@link RouterCaptures}) gives, per connection and direction, the packets, their IP lengths and
 * their times. Each record must count exactly its own packets (the records of a direction, in export order,
 * cover consecutive runs of its packets, which also tells each record's own first and last packet), start
 * within 1 s of its first packet (a later active-timeout record: no earlier than 1 s before the previous
 * record's last packet, i.e. when the previous record's counters were read), end within 1 s of its own last
 * packet, carry the router's interface indexes (0 on the side of the router itself) and the masquerade's
 * translation as the server side saw it. Nothing may be missing, nothing extra. The worst time errors are printed.
 * (The kernel keeps one last-packet time per entry, not per direction: a direction that fell silent before the
 * other, like the server's side of the reset connection, 0.4 s before the client's RST, ends that much late.)
 */
class GroundTruthTest {
    private static final String OWNER = "gt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TOLERANCE_MILLIS = 1000;
    private static final int ACTIVE_TIMEOUT_SECONDS = 2;
    private static final int[] VERSIONS = {5, 9, 10};
    /** The collector of version v listens on 127.0.0.1:COLLECTOR_PORTS + v, in the router's namespace. */
    private static final int COLLECTOR_PORTS = 9950;

    /**
     * Short conntrack timeouts in the router's namespace (they are per namespace); pflowd reads them at start.
     * Accounting, timestamps and events on before any traffic (pflowd would set them too, but only at start).
     */
    private static final String ROUTER_SYSCTLS = "sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1"
            + " net.netfilter.nf_conntrack_acct=1 net.netfilter.nf_conntrack_timestamp=1"
            + " net.netfilter.nf_conntrack_events=1"
            + " net.netfilter.nf_conntrack_icmp_timeout=3 net.netfilter.nf_conntrack_icmpv6_timeout=3"
            + " net.netfilter.nf_conntrack_udp_timeout=3 net.netfilter.nf_conntrack_udp_timeout_stream=5"
            + " net.netfilter.nf_conntrack_tcp_timeout_time_wait=3 net.netfilter.nf_conntrack_tcp_timeout_close=2"
            + " net.netfilter.nf_conntrack_tcp_timeout_fin_wait=3 net.netfilter.nf_conntrack_tcp_timeout_close_wait=3"
            + " net.netfilter.nf_conntrack_tcp_timeout_last_ack=3";

    /** What each server port is for (the client's script uses the same numbers); ICMP is "ping". */
    private static final Map<Integer, String> CASES = Map.of(7100, "tcp-fin", 7101, "tcp-rst", 7102, "tcp-long",
            7200, "udp-dns", 7201, "udp-stream");

    /** Dual stack. TCP 7100-7102: echoes every read until EOF (or a reset); UDP 7200-7201: answers twice the bytes. */
    private static final String SERVER = "import socket,threading\n"
            + "def echo(c):\n"
            + "  try:\n"
            + "    while True:\n"
            + "      d=c.recv(65536)\n"
            + "      if not d: break\n"
            + "      c.sendall(d)\n"
            + "  except OSError: pass\n"
            + "  c.close()\n"
            + "def tcp(port):\n"
            + "  s=socket.socket(socket.AF_INET6,socket.SOCK_STREAM); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
            + "  s.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0); s.bind(('::',port)); s.listen(64)\n"
            + "  while True:\n"
            + "    c,_=s.accept(); threading.Thread(target=echo,args=(c,),daemon=True).start()\n"
            + "def udp(port):\n"
            + "  u=socket.socket(socket.AF_INET6,socket.SOCK_DGRAM); u.setsockopt(socket.IPPROTO_IPV6,socket.IPV6_V6ONLY,0)\n"
            + "  u.bind(('::',port))\n"
            + "  while True:\n"
            + "    d,a=u.recvfrom(65535); u.sendto(b'R'*(2*len(d)),a)\n"
            + "ts=[threading.Thread(target=tcp,args=(p,)) for p in (7100,7101,7102)]\n"
            + "ts+=[threading.Thread(target=udp,args=(p,)) for p in (7200,7201)]\n"
            + "for t in ts: t.start()\n";

    /**
     * Every case from each source (plain IPv4, masqueraded IPv4, IPv6), all at once. "short": TCP closed with FIN
     * after 5 exchanges 0.5 s apart; TCP reset (SO_LINGER 0) after 3 exchanges 0.4 s apart; one UDP request and
     * its answer; a UDP stream of 7 exchanges 0.5 s apart. "long": TCP exchanges 0.1 s apart for 8.5 s (at least
     * two active-timeout exports, which come every 2 to 3 s: a dump each second, an export when 2 s have passed),
     * closed with FIN. Connected sockets, so that each has its own IPv4
     * identification sequence.
     */
    private static final String CLIENT = "import socket,struct,sys,threading,time\n"
            + "def tcp(fam,src,dst,port,n,size,gap,reset,seconds=0):\n"
            + "  c=socket.socket(fam,socket.SOCK_STREAM); c.bind((src,0)); c.connect((dst,port))\n"
            + "  end=time.time()+seconds; i=0\n"
            + "  while (time.time()<end) if seconds else i<n:\n"
            + "    i+=1\n"
            + "    c.sendall(b'x'*size); got=0\n"
            + "    while got<size:\n"
            + "      d=c.recv(65536); assert d, 'early EOF'; got+=len(d)\n"
            + "    time.sleep(gap)\n"
            + "  if reset:\n"
            + "    c.setsockopt(socket.SOL_SOCKET,socket.SO_LINGER,struct.pack('ii',1,0)); c.close(); return\n"
            + "  c.shutdown(socket.SHUT_WR)\n"
            + "  while c.recv(65536): pass\n"
            + "  c.close()\n"
            + "def udp(fam,src,dst,port,n,size,gap):\n"
            + "  u=socket.socket(fam,socket.SOCK_DGRAM); u.settimeout(5); u.bind((src,0)); u.connect((dst,port))\n"
            + "  for i in range(n):\n"
            + "    u.send(b'q'*size); d=u.recv(65535); assert len(d)==2*size, len(d)\n"
            + "    if i<n-1: time.sleep(gap)\n"
            + "  u.close()\n"
            + "LONG_SECONDS=8.5\n"
            + "errors=[]\n"
            + "def run(f,*a):\n"
            + "  try: f(*a)\n"
            + "  except Exception as e: errors.append('%s%s: %r'%(f.__name__,a[1:],e))\n"
            + "ts=[]\n"
            + "for fam,src,dst in ((socket.AF_INET,'10.79.1.1','10.79.2.1'),(socket.AF_INET,'10.79.1.2','10.79.2.1'),"
            + "(socket.AF_INET6,'fd79:1::1','fd79:2::1')):\n"
            + "  if sys.argv[1]=='long':\n"
            + "    ts.append(threading.Thread(target=run,args=(tcp,fam,src,dst,7102,0,500,0.1,False,LONG_SECONDS)))\n"
            + "    continue\n"
            + "  ts.append(threading.Thread(target=run,args=(tcp,fam,src,dst,7100,5,3000,0.5,False)))\n"
            + "  ts.append(threading.Thread(target=run,args=(tcp,fam,src,dst,7101,3,800,0.4,True)))\n"
            + "  ts.append(threading.Thread(target=run,args=(udp,fam,src,dst,7200,1,40,0)))\n"
            + "  ts.append(threading.Thread(target=run,args=(udp,fam,src,dst,7201,7,120,0.5)))\n"
            + "for t in ts: t.start()\n"
            + "for t in ts: t.join()\n"
            + "if errors: sys.exit('; '.join(errors))\n";

    /** The router's side of the topology, as the phases need it. */
    private record Router(NetNs c, NetNs r, String clientSide, String serverSide, int clientSideIndex,
            int serverSideIndex, byte[] clientSideMac, byte[] serverSideMac) {
    }

    /** What one phase produced: the oracle, each version's stored records and pflowd's counters, the timings. */
    private record PhaseResult(String name, RouterCaptures truth, Map<Integer, List<DecodedRecord>> stored,
            Map<Integer, Map<String, Long>> stats, Map<Integer, Long> sequenceFailures, Laps laps) {
    }

    /** How long each step of a phase took, for the report. */
    private static final class Laps {
        private final StringBuilder text = new StringBuilder();
        private long last = System.nanoTime();

        void lap(String step) {
            long now = System.nanoTime();
            text.append(text.length() == 0 ? "" : ", ").append(String.format("%s %.1f s", step, (now - last) / 1e9));
            last = now;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    @Test
    void everyExportedRecordMatchesThePacketsOnTheRoutersInterfaces() throws Exception {
        long testStart = System.nanoTime();
        Laps setup = new Laps();
        Path dir = Files.createTempDirectory("pflowd-groundtruth");
        try (NetNs c = NetNs.create(OWNER); NetNs r = NetNs.create(OWNER); NetNs s = NetNs.create(OWNER)) {
            String tag = r.name().substring(r.name().length() - 6);
            String rc = "rc" + tag, rs = "rs" + tag;
            for (List<String> veth : List.of(
                    List.of("ip", "link", "add", "c" + tag, "netns", c.name(), "type", "veth", "peer", "name", rc, "netns", r.name()),
                    List.of("ip", "link", "add", "s" + tag, "netns", s.name(), "type", "veth", "peer", "name", rs, "netns", r.name()))) {
                NetNs.ExecResult made = NetNs.runCommand(veth);
                assertThat(made.exitCode()).as("%s: %s", veth, made.stderr()).isZero();
            }
            c.sh("ip addr add 10.79.1.1/24 dev c" + tag + " && ip addr add 10.79.1.2/24 dev c" + tag
                    + " && ip -6 addr add fd79:1::1/64 dev c" + tag + " nodad && ip link set c" + tag + " up"
                    + " && ip route add default via 10.79.1.254 && ip -6 route add default via fd79:1::fe");
            s.sh("ip addr add 10.79.2.1/24 dev s" + tag + " && ip addr add 10.79.2.2/24 dev s" + tag
                    + " && ip -6 addr add fd79:2::1/64 dev s" + tag + " nodad && ip link set s" + tag + " up"
                    + " && ip route add default via 10.79.2.254 && ip -6 route add default via fd79:2::fe");
            r.sh("ip addr add 10.79.1.254/24 dev " + rc + " && ip -6 addr add fd79:1::fe/64 dev " + rc + " nodad"
                    + " && ip addr add 10.79.2.254/24 dev " + rs + " && ip -6 addr add fd79:2::fe/64 dev " + rs + " nodad"
                    + " && ip link set " + rc + " up && ip link set " + rs + " up && " + ROUTER_SYSCTLS
                    + " && nft add table ip gtnat"
                    + " && nft add chain ip gtnat post '{ type nat hook postrouting priority 100; }'"
                    + " && nft add rule ip gtnat post ip saddr 10.79.1.2 oifname " + rs + " masquerade");
            Map<String, JsonNode> links = new LinkedHashMap<>();
            for (JsonNode l : JSON.readTree(r.execOk("ip", "-j", "link", "show"))) {
                links.put(l.get("ifname").asText(), l);
            }
            Router router = new Router(c, r, rc, rs, links.get(rc).get("ifindex").asInt(),
                    links.get(rs).get("ifindex").asInt(), mac(links.get(rc)), mac(links.get(rs)));
            s.start("python3", "-c", SERVER);
            waitForListeners(s);
            setup.lap("namespaces, router and server");

            // Two runs of pflowd over the same router. Without an active timeout every record comes from the end
            // of its connection (with one, every connection older than the timeout would be exported while idle,
            // before it expires, and the expiry path would go untested). Then with an active timeout, long
            // connections only.
            // The same collector ports both times: the first run's exports to them are still in the table when
            // the second starts, and the second must recognise them as its own.
            PhaseResult expiry = phase("expiry", router, dir, COLLECTOR_PORTS, List.of(), false);
            PhaseResult active = phase("active-timeout", router, dir, COLLECTOR_PORTS,
                    List.of("--active-timeout", Integer.toString(ACTIVE_TIMEOUT_SECONDS)), true);
            setup.lap("both runs");

            Failures failures = new Failures();
            List<String> want = new ArrayList<>();
            for (String src : List.of("v4", "v4 nat", "v6")) {
                for (String cs : List.of("ping", "tcp-fin", "tcp-rst", "udp-dns", "udp-stream")) {
                    want.add(cs + " " + src);
                }
            }
            want.add("ping v4 from router");
            checkCoverage(failures, expiry, want);
            checkCoverage(failures, active, List.of("tcp-long v4", "tcp-long v4 nat", "tcp-long v6"));
            List<String> report = new ArrayList<>();
            Map<Integer, VersionCheck> worst = new LinkedHashMap<>();
            for (PhaseResult p : List.of(expiry, active)) {
                failures.check(p.truth.unexplained.isEmpty(), "%s: captured packets the oracle cannot place: %s", p.name,
                        p.truth.unexplained);
                report.add(String.format("%s: %d connections, %d packets ignored (ARP, ND, MLD); %s", p.name,
                        p.truth.connections.size(), p.truth.ignored, p.laps));
                for (int version : VERSIONS) {
                    Map<String, Long> st = p.stats.get(version);
                    String at = p.name + " v" + version;
                    failures.equal(p.sequenceFailures.get(version), 0L, "%s: nfdump's sequence failures", at);
                    failures.equal(st.get("dropped") - st.get("export.dropped-v5-ipv6"), 0L, "%s: dropped; %s", at, st);
                    failures.equal(st.get("errors"), 0L, "%s: errors; %s", at, st);
                    failures.equal(st.get("conntrack.overruns"), 0L, "%s: overruns; %s", at, st);
                    failures.equal((long) p.stored.get(version).size(), st.get("flows"),
                            "%s: records at nfcapd, records pflowd sent; %s", at, st);
                    VersionCheck check = new VersionCheck(p.name, version, p.truth, router, failures);
                    report.add(check.check(p.stored.get(version)));
                    worst.merge(version, check, VersionCheck::worse);
                }
            }
            List<String> worstLines = new ArrayList<>();
            for (VersionCheck w : worst.values()) {
                worstLines.add(String.format("v%d worst start error %+d ms (%s), worst end error %+d ms (%s)", w.version,
                        w.worstStart, w.worstStartAt, w.worstEnd, w.worstEndAt));
            }
            report.addAll(0, worstLines);
            setup.lap("checks");
            report.add(String.format("ground truth test: %.1f s (%s)", (System.nanoTime() - testStart) / 1e9, setup));
            report.forEach(System.out::println);
            if (!failures.lines.isEmpty()) {
                throw new AssertionError(failures.lines.size() + " checks failed:\n" + String.join("\n", failures.lines));
            }
            // pflowd removed its own table at exit and left the masquerade alone.
            assertThat(r.execOk("nft", "list", "tables")).doesNotContain("pflowd").contains("gtnat");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * One run of pflowd on the router, v5, v9 and IPFIX to three nfcapd, with tcpdump on both router interfaces:
     * the traffic, every connection expiring on its own, pflowd's records sent by the hold timeout.
     */
    private static PhaseResult phase(String name, Router router, Path dir, int basePort, List<String> daemonArgs,
            boolean longConnections) throws Exception {
        NetNs c = router.c, r = router.r;
        Laps laps = new Laps();
        // --immediate-mode: without it, packets of the last second may still sit in the kernel's capture block
        // when tcpdump is stopped, and never reach the file
        try (Tcpdump clientSide = Tcpdump.start(r, router.clientSide, dir.resolve(name + "-client-side.pcap"), 10_000_000,
                        "--immediate-mode");
                Tcpdump serverSide = Tcpdump.start(r, router.serverSide, dir.resolve(name + "-server-side.pcap"), 10_000_000,
                        "--immediate-mode");
                Nfcapd v5 = nfcapd(r, basePort + 5);
                Nfcapd v9 = nfcapd(r, basePort + 9);
                Nfcapd v10 = nfcapd(r, basePort + 10)) {
            Map<Integer, Nfcapd> collectors = Map.of(5, v5, 9, v9, 10, v10);
            List<String> config = new ArrayList<>();
            for (int i = 0; i < VERSIONS.length; i++) {
                config.add("pflow" + i + " flowdst 127.0.0.1:" + (basePort + VERSIONS[i]) + " pflowproto " + VERSIONS[i]);
            }
            config.add("set hold-timeout 1");
            laps.lap("tcpdump and nfcapd start");
            DaemonProcess d = DaemonProcess.startConntrack(r, config, daemonArgs);
            RouterCaptures truth;
            Map<Integer, Map<String, Long>> stats = new LinkedHashMap<>();
            try {
                // the control socket answers before the source runs; its counters appear once it does
                waitUntil(() -> d.statistics("pflow0").containsKey("conntrack.connections"), 30_000,
                        name + ": pflowd's conntrack source to start");
                laps.lap("pflowd start");
                assertThat(trackedConnections(r)).as("%s: the router's table before any traffic", name).isEmpty();

                Map<String, Process> traffic = new LinkedHashMap<>();
                if (!longConnections) {
                    traffic.put("ping v4", c.start("ping", "-q", "-c", "5", "-i", "0.5", "10.79.2.1"));
                    traffic.put("ping v4 nat", c.start("ping", "-q", "-c", "5", "-i", "0.5", "-I", "10.79.1.2", "10.79.2.1"));
                    traffic.put("ping v6", c.start("ping", "-q", "-6", "-c", "5", "-i", "0.5", "fd79:2::1"));
                    traffic.put("ping from router", r.start("ping", "-q", "-c", "4", "-i", "0.5", "10.79.2.2"));
                }
                traffic.put("client script", c.start("python3", "-c", CLIENT, longConnections ? "long" : "short"));
                for (Map.Entry<String, Process> t : traffic.entrySet()) {
                    Process p = t.getValue();
                    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s: %s finished", name, t.getKey()).isTrue();
                    assertThat(p.exitValue()).as("%s: %s: %s", name, t.getKey(),
                            new String(p.getErrorStream().readAllBytes())).isZero();
                }
                laps.lap("traffic");

                // Every connection ends on its own: TIME_WAIT, CLOSE, UDP and ICMP timeouts. Listing the table
                // also makes the kernel reap what has expired, as its garbage collector would later.
                waitUntil(() -> trackedConnections(r).isEmpty(), 30_000, name + ": every connection to expire");
                laps.lap("all expired");
                truth = new RouterCaptures(clientSide.stop(), router.clientSideMac, serverSide.stop(),
                        router.serverSideMac);

                // The source has handed every connection to the interfaces, and the hold timeout has sent them.
                int expected = truth.connections.size();
                waitUntil(() -> d.statistics("pflow0").get("conntrack.connections") >= expected, 10_000,
                        name + ": pflowd to export " + expected + " connections");
                for (int i = 0; i < VERSIONS.length; i++) {
                    String ifname = "pflow" + i;
                    waitUntil(() -> {
                        Map<String, Long> st = d.statistics(ifname);
                        return st.get("export.records-sent").equals(st.get("flows"));
                    }, 5_000, name + ": " + ifname + " to send its pending records (hold-timeout 1)");
                    stats.put(VERSIONS[i], d.statistics(ifname));
                }
                laps.lap("records sent");
            } finally {
                d.close();
            }
            laps.lap("pflowd stop");
            Map<Integer, List<DecodedRecord>> stored = new LinkedHashMap<>();
            Map<Integer, Long> sequenceFailures = new LinkedHashMap<>();
            for (int version : VERSIONS) {
                Nfcapd n = collectors.get(version);
                n.stop();
                List<DecodedRecord> records = new ArrayList<>();
                for (JsonNode j : n.flows()) {
                    records.add(DecodedRecord.fromNfdump(j, records.size()));
                }
                stored.put(version, records);
                sequenceFailures.put(version, n.sequenceFailures());
            }
            laps.lap("nfcapd stop and nfdump");
            return new PhaseResult(name, truth, stored, stats, sequenceFailures, laps);
        }
    }

    /** The oracle saw exactly the cases the phase made, each in both directions: what the checks rest on. */
    private static void checkCoverage(Failures failures, PhaseResult phase, List<String> want) {
        List<String> seen = new ArrayList<>();
        for (Connection k : phase.truth.connections) {
            seen.add(caseName(k));
            failures.check(k.translated != null, "%s: %s never left the router on the server side", phase.name, k);
            failures.check(!k.originalPackets.isEmpty() && !k.replyPackets.isEmpty(),
                    "%s: %s: %d original, %d reply packets", phase.name, k, k.originalPackets.size(), k.replyPackets.size());
        }
        List<String> expected = new ArrayList<>(want);
        seen.sort(null);
        expected.sort(null);
        failures.equal(seen, expected, "%s: connections on the wire", phase.name);
    }

    /**
     * The failed checks, one line each, reported together once everything has been compared (AssertJ's soft
     * assertions print pages per failure, and their proxies cost seconds on a loaded machine).
     */
    private static final class Failures {
        final List<String> lines = new ArrayList<>();

        void check(boolean ok, String format, Object... args) {
            if (!ok) {
                lines.add(String.format(format, args));
            }
        }

        void equal(Object actual, Object expected, String format, Object... args) {
            if (!java.util.Objects.equals(actual, expected)) {
                lines.add(String.format(format, args) + ": " + actual + ", expected " + expected);
            }
        }
    }

    static String caseName(Connection k) {
        String cs = k.original.isIcmp() ? "ping" : CASES.getOrDefault(k.original.dport(), "port " + k.original.dport());
        return cs + " v" + k.original.family() + (k.isNat() ? " nat" : "") + (k.fromRouter ? " from router" : "");
    }

    /** One version's records against the oracle; returns its summary line (worst time errors). */
    private static final class VersionCheck {
        final String phase;
        final int version;
        final RouterCaptures truth;
        final int clientSideIndex, serverSideIndex;
        final Failures failures;
        final List<String> details = new ArrayList<>();
        long worstStart, worstEnd;
        String worstStartAt = "-", worstEndAt = "-";
        int directions;

        VersionCheck(String phase, int version, RouterCaptures truth, Router router, Failures failures) {
            this.phase = phase;
            this.version = version;
            this.truth = truth;
            this.clientSideIndex = router.clientSideIndex;
            this.serverSideIndex = router.serverSideIndex;
            this.failures = failures;
        }

        /** The worst errors of both checks (same version, different phases). */
        static VersionCheck worse(VersionCheck a, VersionCheck b) {
            if (Math.abs(b.worstStart) > Math.abs(a.worstStart)) {
                a.worstStart = b.worstStart;
                a.worstStartAt = b.worstStartAt;
            }
            if (Math.abs(b.worstEnd) > Math.abs(a.worstEnd)) {
                a.worstEnd = b.worstEnd;
                a.worstEndAt = b.worstEndAt;
            }
            return a;
        }

        String check(List<DecodedRecord> stored) {
            boolean[] used = new boolean[stored.size()];
            for (Connection k : truth.connections) {
                if (version == 5 && k.original.family() == 6) {
                    continue; // v5 cannot carry IPv6: dropped and counted by design
                }
                for (boolean reply : new boolean[] {false, true}) {
                    List<DecodedRecord> mine = new ArrayList<>();
                    for (int i = 0; i < stored.size(); i++) {
                        if (!used[i] && matches(stored.get(i), k, reply)) {
                            used[i] = true;
                            mine.add(stored.get(i));
                        }
                    }
                    direction(k, reply, mine);
                }
            }
            for (int i = 0; i < stored.size(); i++) {
                failures.check(used[i], "%s v%d: %s belongs to no connection on the wire (or to one whose records"
                        + " were all used)", phase, version, stored.get(i));
            }
            StringBuilder b = new StringBuilder(String.format("%s v%d: %d records for %d directions; worst start error"
                    + " %+d ms (%s), worst end error %+d ms (%s)", phase, version, stored.size(), directions, worstStart,
                    worstStartAt, worstEnd, worstEndAt));
            details.forEach(l -> b.append("\n  ").append(l));
            return b.toString();
        }

        /** The record is one of {@code k}'s in that direction, as pf exports them: both from the originator's view. */
        private static boolean matches(DecodedRecord x, Connection k, boolean reply) {
            Tuple t = reply ? k.original.reversed() : k.original;
            if (x.protocol == null || x.protocol != t.proto() || !t.src().equals(x.src) || !t.dst().equals(x.dst)) {
                return false;
            }
            return t.isIcmp() || (x.srcPort != null && x.srcPort == t.sport() && x.dstPort != null && x.dstPort == t.dport());
        }

        private void direction(Connection k, boolean reply, List<DecodedRecord> records) {
            List<Packet> packets = reply ? k.replyPackets : k.originalPackets;
            String at = phase + " v" + version + " " + caseName(k) + (reply ? " reply" : " original");
            if (packets.isEmpty()) {
                failures.check(records.isEmpty(), "%s: no packets, yet records %s", at, records);
                return;
            }
            directions++;
            failures.check(!records.isEmpty(), "%s: %d packets, no record", at, packets.size());
            if (CASES.get(7102).equals(caseName(k).split(" ")[0])) {
                // what this case is for; a shorter run would not test the active timeout
                failures.check(records.size() >= 3, "%s: %d records of a %.1f s connection with an active timeout of"
                        + " %d s", at, records.size(), (packets.get(packets.size() - 1).epochNanos()
                        - packets.get(0).epochNanos()) / 1e9, ACTIVE_TIMEOUT_SECONDS);
            }
            long packetSum = 0, byteSum = 0, wireBytes = 0;
            for (DecodedRecord x : records) {
                packetSum += x.packets == null ? 0 : x.packets;
                byteSum += x.bytes == null ? 0 : x.bytes;
            }
            for (Packet p : packets) {
                wireBytes += p.ipLength();
            }
            failures.equal(packetSum, (long) packets.size(), "%s: packets (sum of %d records)", at, records.size());
            failures.equal(byteSum, wireBytes, "%s: bytes (sum of %d records)", at, records.size());

            List<String> starts = new ArrayList<>(), ends = new ArrayList<>();
            int first = 0; // the record's first packet
            DecodedRecord previous = null;
            for (DecodedRecord x : records) {
                String rat = at + " record " + (records.indexOf(x) + 1) + "/" + records.size() + " (" + x.where + ")";
                int n = x.packets == null ? 0 : (int) Math.min(x.packets, Integer.MAX_VALUE);
                if (n <= 0 || first + n > packets.size()) {
                    failures.check(false, "%s counts packets %d..%d of %d on the wire: %s", rat, first + 1, first + n,
                            packets.size(), x);
                    break;
                }
                List<Packet> own = packets.subList(first, first + n);
                long ownBytes = own.stream().mapToLong(Packet::ipLength).sum();
                failures.equal(x.bytes, ownBytes, "%s: bytes of its own packets %d..%d", rat, first + 1, first + n);
                long ownFirst = own.get(0).epochMillis(), ownLast = own.get(n - 1).epochMillis();
                if (x.start == null || x.end == null) {
                    failures.check(false, "%s has no start or end: %s", rat, x);
                } else {
                    // The first record starts with the direction's first packet; a later one (active timeout) no
                    // earlier than the previous record's last packet (when its counters were read) and no later
                    // than its own first packet.
                    long lowest = first == 0 ? ownFirst : packets.get(first - 1).epochMillis();
                    long startError = x.start < lowest ? x.start - lowest : x.start > ownFirst ? x.start - ownFirst : 0;
                    long endError = x.end - ownLast;
                    starts.add(String.format("%+d", startError));
                    ends.add(String.format("%+d", endError));
                    if (Math.abs(startError) > Math.abs(worstStart)) {
                        worstStart = startError;
                        worstStartAt = at;
                    }
                    if (Math.abs(endError) > Math.abs(worstEnd)) {
                        worstEnd = endError;
                        worstEndAt = at;
                    }
                    failures.check(Math.abs(startError) <= TOLERANCE_MILLIS, "%s: start %+d ms from its first packet"
                            + (first == 0 ? "" : " (or the previous record's last)"), rat, startError);
                    failures.check(Math.abs(endError) <= TOLERANCE_MILLIS, "%s: end %+d ms from its last packet", rat,
                            endError);
                    failures.check(x.end >= x.start, "%s: end before start: %s", rat, x);
                    if (previous != null && previous.end != null) {
                        failures.check(x.start >= previous.end - TOLERANCE_MILLIS, "%s: starts %d ms before the previous"
                                + " record's end: not its own interval", rat, previous.end - x.start);
                    }
                }
                interfaces(x, k, reply, rat);
                if (version != 5) {
                    postNat(x, k, reply, rat);
                }
                if (k.original.isIcmp()) {
                    int type = k.original.family() == 4 ? (reply ? 0 : 8) : (reply ? 129 : 128);
                    // nfdump 1.7.1's v9 decoder reads ICMP type/code only from ICMP_TYPE elements, not from the
                    // destination port pflow puts them in: it shows 0/0 (see CollectorInteropTest)
                    if (version != 9 || x.dstPort == null || x.dstPort != 0) {
                        failures.equal(x.dstPort, type << 8, "%s: ICMP type << 8 | code", rat);
                    }
                }
                first += n;
                previous = x;
            }
            details.add(String.format("%-50s %3d packets, %d records; start error ms %s; end error ms %s", at,
                    packets.size(), records.size(), starts, ends));
        }

        private void interfaces(DecodedRecord x, Connection k, boolean reply, String at) {
            int client = k.fromRouter ? 0 : clientSideIndex; // the router's own side has no interface
            // nfdump leaves out interfaces that are 0
            int input = x.inputIf == null ? 0 : x.inputIf, output = x.outputIf == null ? 0 : x.outputIf;
            failures.equal(input, reply ? serverSideIndex : client, "%s: input interface", at);
            failures.equal(output, reply ? client : serverSideIndex, "%s: output interface", at);
        }

        /** NAT'd: the addresses (and ports) of this direction's packets as the server side saw them. */
        private void postNat(DecodedRecord x, Connection k, boolean reply, String at) {
            if (!k.isNat()) {
                failures.check((x.postSrc == null || x.postSrc.isAnyLocalAddress())
                        && (x.postDst == null || x.postDst.isAnyLocalAddress()), "%s: post-NAT addresses without NAT: %s",
                        at, x);
                return;
            }
            Tuple wire = reply ? k.translated.reversed() : k.translated;
            failures.equal(x.postSrc, wire.src(), "%s: post-NAT source", at);
            failures.equal(x.postDst, wire.dst(), "%s: post-NAT destination", at);
            if (!k.original.isIcmp()) {
                failures.equal(x.postSrcPort, wire.sport(), "%s: post-NAT source port", at);
                failures.equal(x.postDstPort, wire.dport(), "%s: post-NAT destination port", at);
            }
        }
    }

    /** Entries of the router's table other than pflowd's own exports to its collectors on loopback. */
    private static List<ConntrackEntry> trackedConnections(NetNs r) {
        List<ConntrackEntry> out = new ArrayList<>();
        for (ConntrackEntry k : ConntrackEntry.parse(r.execOk("conntrack", "-L", "-o", "extended"))) {
            if (!k.involvesLoopback()) {
                out.add(k);
            }
        }
        return out;
    }

    private static Nfcapd nfcapd(NetNs r, int port) throws Exception {
        return Nfcapd.start(InetAddress.getByName("127.0.0.1"), port, List.of("ip", "netns", "exec", r.name()));
    }

    private static byte[] mac(JsonNode link) {
        return HexFormat.ofDelimiter(":").parseHex(link.get("address").asText());
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitUntil(Condition c, long millis, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void waitForListeners(NetNs s) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            String out = s.execOk("ss", "-H", "-ltun");
            if (CASES.keySet().stream().allMatch(p -> out.contains(":" + p))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("test server did not start");
    }
}
