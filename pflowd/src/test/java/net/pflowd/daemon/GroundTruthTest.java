package net.pflowd.daemon;

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
import net.pflowd.daemon.RouterCaptures.Connection;
import net.pflowd.daemon.RouterCaptures.Packet;
import net.pflowd.daemon.RouterCaptures.Tuple;
import net.pflowd.testutil.NetNs;
import net.pflowd.testutil.Tcpdump;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Ground truth on a routed, NATed network: every record pflowd exports, in v5, v9 and IPFIX at once, checked
 * against what tcpdump saw on the router's interfaces, for connections that end on their own.
 *
 * <p>Topology: client {@code c} (10.79.1.1, 10.79.1.2, fd79:1::1) — router {@code r} (10.79.1.254 / 10.79.2.254,
 * fd79:1::fe / fd79:2::fe; forwards IPv4 and IPv6; masquerades what 10.79.1.2 sends out of its server side) —
 * server {@code s} (10.79.2.1, 10.79.2.2, fd79:2::1). pflowd runs on the router with pflow0/1/2 exporting v5, v9
 * and IPFIX to three nfcapd on the router's loopback, with an active timeout of 2 s. The router's conntrack
 * timeouts are a few seconds, so every connection expires on its own during the test: no entry is ever
 * deleted or flushed.
 *
 * <p>The oracle ({@link RouterCaptures}) gives, per connection and direction, the packets, their IP lengths and
 * their times. Each record must count exactly its own packets (the records of a direction, in export order,
 * cover consecutive runs of its packets, which also tells each record's own first and last packet), start
 * within 1 s of its first packet (a later active-timeout record: no earlier than 1 s before the previous
 * record's last packet), end within 1 s of its own last packet, carry the router's interface indexes and the
 * masquerade's translation as the server side saw it. Nothing may be missing, nothing extra.
 */
class GroundTruthTest {
    private static final String OWNER = "gt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TOLERANCE_MILLIS = 1000;
    private static final int ACTIVE_TIMEOUT_SECONDS = 2;
    private static final int[] VERSIONS = {5, 9, 10};

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
     * Every case from each source (plain IPv4, masqueraded IPv4, IPv6), all at once: TCP closed with FIN after
     * 5 exchanges 0.5 s apart; TCP reset (SO_LINGER 0) after 3 exchanges 0.4 s apart; TCP of 70 exchanges 0.1 s
     * apart (7 s, several active-timeout exports), closed with FIN; one UDP request and its answer; a UDP stream
     * of 7 exchanges 0.5 s apart. Connected sockets, so that each has its own IPv4 identification sequence.
     */
    private static final String CLIENT = "import socket,struct,sys,threading,time\n"
            + "def tcp(fam,src,dst,port,n,size,gap,reset):\n"
            + "  c=socket.socket(fam,socket.SOCK_STREAM); c.bind((src,0)); c.connect((dst,port))\n"
            + "  for i in range(n):\n"
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
            + "errors=[]\n"
            + "def run(f,*a):\n"
            + "  try: f(*a)\n"
            + "  except Exception as e: errors.append('%s%s: %r'%(f.__name__,a[1:],e))\n"
            + "ts=[]\n"
            + "for fam,src,dst in ((socket.AF_INET,'10.79.1.1','10.79.2.1'),(socket.AF_INET,'10.79.1.2','10.79.2.1'),"
            + "(socket.AF_INET6,'fd79:1::1','fd79:2::1')):\n"
            + "  ts.append(threading.Thread(target=run,args=(tcp,fam,src,dst,7100,3000,5,0.5,False)))\n"
            + "  ts.append(threading.Thread(target=run,args=(tcp,fam,src,dst,7101,800,3,0.4,True)))\n"
            + "  ts.append(threading.Thread(target=run,args=(tcp,fam,src,dst,7102,70,500,0.1,False)))\n"
            + "  ts.append(threading.Thread(target=run,args=(udp,fam,src,dst,7200,1,40,0)))\n"
            + "  ts.append(threading.Thread(target=run,args=(udp,fam,src,dst,7201,7,120,0.5)))\n"
            + "for t in ts: t.start()\n"
            + "for t in ts: t.join()\n"
            + "if errors: sys.exit('; '.join(errors))\n";

    @Test
    void everyExportedRecordMatchesThePacketsOnTheRoutersInterfaces() throws Exception {
        long testStart = System.nanoTime();
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
            sh(c, "ip addr add 10.79.1.1/24 dev c" + tag + " && ip addr add 10.79.1.2/24 dev c" + tag
                    + " && ip -6 addr add fd79:1::1/64 dev c" + tag + " nodad && ip link set c" + tag + " up"
                    + " && ip route add default via 10.79.1.254 && ip -6 route add default via fd79:1::fe");
            sh(s, "ip addr add 10.79.2.1/24 dev s" + tag + " && ip addr add 10.79.2.2/24 dev s" + tag
                    + " && ip -6 addr add fd79:2::1/64 dev s" + tag + " nodad && ip link set s" + tag + " up"
                    + " && ip route add default via 10.79.2.254 && ip -6 route add default via fd79:2::fe");
            sh(r, "ip addr add 10.79.1.254/24 dev " + rc + " && ip -6 addr add fd79:1::fe/64 dev " + rc + " nodad"
                    + " && ip addr add 10.79.2.254/24 dev " + rs + " && ip -6 addr add fd79:2::fe/64 dev " + rs + " nodad"
                    + " && ip link set " + rc + " up && ip link set " + rs + " up && " + ROUTER_SYSCTLS
                    + " && nft add table ip gtnat"
                    + " && nft add chain ip gtnat post '{ type nat hook postrouting priority 100; }'"
                    + " && nft add rule ip gtnat post ip saddr 10.79.1.2 oifname " + rs + " masquerade");
            Map<String, JsonNode> links = new LinkedHashMap<>();
            for (JsonNode l : JSON.readTree(r.execOk("ip", "-j", "link", "show"))) {
                links.put(l.get("ifname").asText(), l);
            }
            int rcIndex = links.get(rc).get("ifindex").asInt(), rsIndex = links.get(rs).get("ifindex").asInt();
            byte[] rcMac = mac(links.get(rc)), rsMac = mac(links.get(rs));
            s.start("python3", "-c", SERVER);
            waitForListeners(s);

            int basePort = 9950;
            try (Tcpdump clientSide = Tcpdump.start(r, rc, dir.resolve("client-side.pcap"), 10_000_000);
                    Tcpdump serverSide = Tcpdump.start(r, rs, dir.resolve("server-side.pcap"), 10_000_000);
                    Nfcapd v5 = nfcapd(r, basePort + 5);
                    Nfcapd v9 = nfcapd(r, basePort + 9);
                    Nfcapd v10 = nfcapd(r, basePort + 10)) {
                Map<Integer, Nfcapd> collectors = Map.of(5, v5, 9, v9, 10, v10);
                List<String> config = new ArrayList<>();
                for (int i = 0; i < VERSIONS.length; i++) {
                    config.add("pflow" + i + " flowdst 127.0.0.1:" + (basePort + VERSIONS[i]) + " pflowproto " + VERSIONS[i]);
                }
                config.add("set hold-timeout 1");
                DaemonProcess d = DaemonProcess.start(r.name(), config,
                        List.of("--active-timeout", Integer.toString(ACTIVE_TIMEOUT_SECONDS)));
                RouterCaptures truth;
                Map<Integer, Map<String, Long>> stats = new LinkedHashMap<>();
                long trafficStart, trafficEnd, expired;
                try {
                    waitUntil(() -> d.log().contains("pflowd running"), 30_000, "pflowd's source to start");
                    assertThat(trackedConnections(r)).as("the router's table before any traffic").isEmpty();

                    trafficStart = System.nanoTime();
                    List<Process> traffic = new ArrayList<>();
                    traffic.add(c.start("ping", "-q", "-c", "5", "-i", "0.5", "10.79.2.1"));
                    traffic.add(c.start("ping", "-q", "-c", "5", "-i", "0.5", "-I", "10.79.1.2", "10.79.2.1"));
                    traffic.add(c.start("ping", "-q", "-6", "-c", "5", "-i", "0.5", "fd79:2::1"));
                    traffic.add(r.start("ping", "-q", "-c", "4", "-i", "0.5", "10.79.2.2")); // from the router itself
                    traffic.add(c.start("python3", "-c", CLIENT));
                    for (Process p : traffic) {
                        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("traffic %s finished", p.info().commandLine())
                                .isTrue();
                        assertThat(p.exitValue()).as("traffic %s: %s", p.info().commandLine(),
                                new String(p.getErrorStream().readAllBytes())).isZero();
                    }
                    trafficEnd = System.nanoTime();

                    // Every connection ends on its own: TIME_WAIT, CLOSE, UDP and ICMP timeouts. Listing the table
                    // also makes the kernel reap what has expired, as its garbage collector would later.
                    waitUntil(() -> trackedConnections(r).isEmpty(), 30_000, "every connection to expire");
                    expired = System.nanoTime();
                    truth = new RouterCaptures(clientSide.stop(), rcMac, serverSide.stop(), rsMac);

                    // The source has handed every connection to the interfaces, and the hold timeout has sent them.
                    int expected = truth.connections.size();
                    waitUntil(() -> d.statistics("pflow0").get("conntrack.connections") >= expected, 10_000,
                            "pflowd to export " + expected + " connections");
                    for (int i = 0; i < VERSIONS.length; i++) {
                        String ifname = "pflow" + i;
                        waitUntil(() -> {
                            Map<String, Long> st = d.statistics(ifname);
                            return st.get("export.records-sent").equals(st.get("flows"));
                        }, 5_000, ifname + " to send its pending records (hold-timeout 1)");
                        stats.put(VERSIONS[i], d.statistics(ifname));
                    }
                } finally {
                    d.close();
                }

                SoftAssertions soft = new SoftAssertions();
                soft.assertThat(truth.unexplained).as("captured packets the oracle cannot place").isEmpty();
                checkCoverage(soft, truth);
                List<String> summary = new ArrayList<>();
                for (int version : VERSIONS) {
                    Nfcapd n = collectors.get(version);
                    n.stop();
                    List<DecodedRecord> stored = new ArrayList<>();
                    int i = 0;
                    for (JsonNode j : n.flows()) {
                        stored.add(DecodedRecord.fromNfdump(j, i++));
                    }
                    Map<String, Long> st = stats.get(version);
                    soft.assertThat(n.sequenceFailures()).as("v%d sequence failures", version).isZero();
                    soft.assertThat(st.get("dropped") - st.get("export.dropped-v5-ipv6")).as("v%d dropped; %s", version, st)
                            .isZero();
                    soft.assertThat(st.get("errors")).as("v%d errors; %s", version, st).isZero();
                    soft.assertThat(st.get("conntrack.overruns")).as("v%d; %s", version, st).isZero();
                    soft.assertThat((long) stored.size()).as("v%d records at nfcapd = records pflowd sent; %s", version, st)
                            .isEqualTo(st.get("flows"));
                    summary.add(new VersionCheck(version, truth, rcIndex, rsIndex, soft).check(stored));
                }
                System.out.printf("ground truth: %d connections, %d packets ignored (ARP, ND, MLD); traffic %.1f s,"
                        + " all expired %.1f s later; test %.1f s%n", truth.connections.size(), truth.ignored,
                        (trafficEnd - trafficStart) / 1e9, (expired - trafficEnd) / 1e9, (System.nanoTime() - testStart) / 1e9);
                summary.forEach(System.out::println);
                soft.assertAll();
            }
            // pflowd removed its own table at exit and left the masquerade alone.
            assertThat(r.execOk("nft", "list", "tables")).doesNotContain("pflowd").contains("gtnat");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The oracle saw every case from every source: what the checks below rest on. */
    private static void checkCoverage(SoftAssertions soft, RouterCaptures truth) {
        List<String> seen = new ArrayList<>();
        for (Connection k : truth.connections) {
            seen.add(caseName(k));
            soft.assertThat(k.translated).as("%s left the router on the server side", k).isNotNull();
            soft.assertThat(k.originalPackets).as("%s original packets", k).isNotEmpty();
            soft.assertThat(k.replyPackets).as("%s reply packets", k).isNotEmpty();
        }
        List<String> want = new ArrayList<>();
        for (String src : List.of("v4", "v4 nat", "v6")) {
            for (String cs : List.of("ping", "tcp-fin", "tcp-rst", "tcp-long", "udp-dns", "udp-stream")) {
                want.add(cs + " " + src);
            }
        }
        want.add("ping v4 from router");
        soft.assertThat(seen).as("connections on the wire").containsExactlyInAnyOrderElementsOf(want);
    }

    static String caseName(Connection k) {
        String cs = k.original.isIcmp() ? "ping" : CASES.getOrDefault(k.original.dport(), "port " + k.original.dport());
        return cs + " v" + k.original.family() + (k.isNat() ? " nat" : "") + (k.fromRouter ? " from router" : "");
    }

    /** One version's records against the oracle; returns its summary line (worst time errors). */
    private static final class VersionCheck {
        final int version;
        final RouterCaptures truth;
        final int clientSideIndex, serverSideIndex;
        final SoftAssertions soft;
        final List<String> details = new ArrayList<>();
        long worstStart, worstEnd;
        String worstStartAt = "-", worstEndAt = "-";
        int directions;

        VersionCheck(int version, RouterCaptures truth, int clientSideIndex, int serverSideIndex, SoftAssertions soft) {
            this.version = version;
            this.truth = truth;
            this.clientSideIndex = clientSideIndex;
            this.serverSideIndex = serverSideIndex;
            this.soft = soft;
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
                soft.assertThat(used[i]).as("v%d record %s belongs to a connection on the wire", version, stored.get(i))
                        .isTrue();
            }
            StringBuilder b = new StringBuilder(String.format("v%d: %d records for %d directions; worst start error %+d ms"
                    + " (%s), worst end error %+d ms (%s)", version, stored.size(), directions, worstStart, worstStartAt,
                    worstEnd, worstEndAt));
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
            String at = "v" + version + " " + caseName(k) + (reply ? " reply" : " original");
            if (packets.isEmpty()) {
                soft.assertThat(records).as("%s: no packets, no record", at).isEmpty();
                return;
            }
            directions++;
            soft.assertThat(records).as("%s: %d packets, records", at, packets.size()).isNotEmpty();
            long packetSum = 0, byteSum = 0, wireBytes = 0;
            for (DecodedRecord x : records) {
                packetSum += x.packets == null ? 0 : x.packets;
                byteSum += x.bytes == null ? 0 : x.bytes;
            }
            for (Packet p : packets) {
                wireBytes += p.ipLength();
            }
            soft.assertThat(packetSum).as("%s packets (sum of %d records)", at, records.size()).isEqualTo(packets.size());
            soft.assertThat(byteSum).as("%s bytes (sum of %d records)", at, records.size()).isEqualTo(wireBytes);

            List<String> starts = new ArrayList<>(), ends = new ArrayList<>();
            int first = 0; // the record's first packet
            DecodedRecord previous = null;
            for (DecodedRecord x : records) {
                String rat = at + " record " + (records.indexOf(x) + 1) + "/" + records.size() + " " + x;
                int n = x.packets == null ? 0 : (int) Math.min(x.packets, Integer.MAX_VALUE);
                if (n <= 0 || first + n > packets.size()) {
                    soft.fail("%s counts packets %d..%d of %d on the wire", rat, first + 1, first + n, packets.size());
                    break;
                }
                List<Packet> own = packets.subList(first, first + n);
                long ownBytes = own.stream().mapToLong(Packet::ipLength).sum();
                soft.assertThat(x.bytes).as("%s: bytes of its own packets %d..%d", rat, first + 1, first + n)
                        .isEqualTo(ownBytes);
                long ownFirst = own.get(0).epochMillis(), ownLast = own.get(n - 1).epochMillis();
                if (x.start == null || x.end == null) {
                    soft.fail("%s has no start or end", rat);
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
                    soft.assertThat(Math.abs(startError)).as("%s: start %d ms from its first packet (or from the"
                            + " previous record's last)", rat, startError).isLessThanOrEqualTo(TOLERANCE_MILLIS);
                    soft.assertThat(Math.abs(endError)).as("%s: end %d ms from its last packet", rat, endError)
                            .isLessThanOrEqualTo(TOLERANCE_MILLIS);
                    soft.assertThat(x.end).as("%s: end not before start", rat).isGreaterThanOrEqualTo(x.start);
                    if (previous != null && previous.end != null) {
                        soft.assertThat(x.start).as("%s: covers its own interval (previous record ended %d)", rat,
                                previous.end).isGreaterThanOrEqualTo(previous.end - TOLERANCE_MILLIS);
                    }
                }
                interfaces(x, k, reply, rat);
                if (version != 5) {
                    postNat(x, k, reply, rat);
                }
                if (k.original.isIcmp()) {
                    int type = k.original.family() == 4 ? (reply ? 0 : 8) : (reply ? 129 : 128);
                    soft.assertThat(x.dstPort).as("%s: ICMP type/code", rat).isEqualTo(type << 8);
                }
                first += n;
                previous = x;
            }
            details.add(String.format("%-44s %2d packets, %d records; start error ms %s; end error ms %s", at,
                    packets.size(), records.size(), starts, ends));
        }

        private void interfaces(DecodedRecord x, Connection k, boolean reply, String at) {
            int client = k.fromRouter ? 0 : clientSideIndex; // the router's own side has no interface
            soft.assertThat(x.inputIf).as("%s input interface", at).isEqualTo(reply ? serverSideIndex : client);
            soft.assertThat(x.outputIf).as("%s output interface", at).isEqualTo(reply ? client : serverSideIndex);
        }

        /** NAT'd: the addresses (and ports) of this direction's packets as the server side saw them. */
        private void postNat(DecodedRecord x, Connection k, boolean reply, String at) {
            if (!k.isNat()) {
                soft.assertThat(x.postSrc == null || x.postSrc.isAnyLocalAddress())
                        .as("%s: no post-NAT source without NAT", at).isTrue();
                soft.assertThat(x.postDst == null || x.postDst.isAnyLocalAddress())
                        .as("%s: no post-NAT destination without NAT", at).isTrue();
                return;
            }
            Tuple wire = reply ? k.translated.reversed() : k.translated;
            soft.assertThat(x.postSrc).as("%s post-NAT source", at).isEqualTo(wire.src());
            soft.assertThat(x.postDst).as("%s post-NAT destination", at).isEqualTo(wire.dst());
            if (!k.original.isIcmp()) {
                soft.assertThat(x.postSrcPort).as("%s post-NAT source port", at).isEqualTo(wire.sport());
                soft.assertThat(x.postDstPort).as("%s post-NAT destination port", at).isEqualTo(wire.dport());
            }
        }
    }

    /** Entries of the router's table other than pflowd's own exports to its collectors on loopback. */
    private static List<KernelConnection> trackedConnections(NetNs r) {
        List<KernelConnection> out = new ArrayList<>();
        for (KernelConnection k : KernelConnection.parse(r.execOk("conntrack", "-L", "-o", "extended"))) {
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

    private static String sh(NetNs ns, String script) {
        return ns.execOk("sh", "-c", script);
    }
}
