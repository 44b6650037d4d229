package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.Capability;
import net.pflowd.testutil.ConntrackEntry;
import net.pflowd.testutil.Pcap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * The image end to end, once per export version: pflowd in its container exports the connections of the
 * container's network namespace to nfcapd in another container.
 *
 * <p>Known traffic: a TCP connection from the collector's container to a server in the exporter's (100000 bytes
 * up, 20000 down) and three ICMP echoes from the exporter to the collector. Their conntrack counters are read in
 * the exporter before {@code conntrack -D} ends them (DESTROY events). Then:
 * <ol>
 * <li>nfdump's records are exactly those of the two connections, each direction with conntrack's packets and bytes;
 * <li>{@code tcpdump -i pflow0} in the exporter captured exactly the datagrams that arrived at the collector's eth0
 *     (captured there by a sidecar in the collector's network namespace): same count, order, addresses, ports and
 *     payload bytes, each of the configured version;
 * <li>{@code ifconfig pflow0} prints OpenBSD's status lines, and the statistics agree: flows = records nfdump
 *     has, packets = datagrams captured, bytes = their payload bytes, no errors, nothing dropped.
 * </ol>
 * pflow0 is created down and configured after both captures run: v9 and IPFIX send their templates the moment it
 * is RUNNING, and tcpdump cannot listen on pflow0 before it exists.
 */
class EndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SERVER_PORT = 5001;
    private static final int UP_BYTES = 100_000;
    private static final int DOWN_BYTES = 20_000;
    private static final int ECHOES = 3;

    /** Accepts one connection, reads until EOF, answers DOWN_BYTES bytes and closes. */
    private static final String SERVER = "use IO::Socket::INET; $|=1;"
            + " my $s = IO::Socket::INET->new(LocalPort => " + SERVER_PORT + ", Listen => 1, ReuseAddr => 1)"
            + "   or die \"listen: $!\"; print \"listening\\n\";"
            + " my $c = $s->accept or die \"accept: $!\"; my $n = 0;"
            + " while (my $r = sysread($c, my $b, 65536)) { $n += $r }"
            + " my $d = \"y\" x " + DOWN_BYTES + "; my $o = 0;"
            + " while ($o < length $d) { $o += syswrite($c, $d, 65536, $o) } close $c; print \"received $n\\n\";";

    /** Connects (retrying while the server starts), sends UP_BYTES bytes, half-closes, reads to EOF, closes. */
    private static final String CLIENT = "use IO::Socket::INET; my $c;"
            + " for (1..50) { $c = IO::Socket::INET->new(PeerAddr => $ARGV[0], PeerPort => " + SERVER_PORT + ")"
            + "   and last; select(undef, undef, undef, 0.1) } $c or die \"connect: $!\";"
            + " my $d = 'x' x " + UP_BYTES + "; my $o = 0;"
            + " while ($o < length $d) { $o += syswrite($c, $d, 65536, $o) } shutdown($c, 1); my $n = 0;"
            + " while (my $r = sysread($c, my $b, 65536)) { $n += $r } close $c; print \"$n\\n\";";

    /**
     * ICMP echo through an unprivileged ping socket (SOCK_DGRAM, IPPROTO_ICMP; Docker's ping_group_range allows
     * it): the image has no ping. All echoes share the socket's id, hence one conntrack entry.
     */
    private static final String PING = "use Socket; socket(my $s, PF_INET, SOCK_DGRAM, 1) or die \"socket: $!\";"
            + " my $to = sockaddr_in(0, inet_aton($ARGV[0])); $SIG{ALRM} = sub { die \"no echo reply\\n\" };"
            + " alarm 10; for my $seq (1.." + ECHOES + ") {"
            + "   send($s, pack('CCnnn', 8, 0, 0, 0, $seq) . \"pflowd$seq\", 0, $to) or die \"send: $!\";"
            + "   defined recv($s, my $r, 1500, 0) or die \"recv: $!\" } print \"ok\\n\";";

    @BeforeAll
    static void docker() {
        DockerImages.requireDockerEngine();
    }

    @ParameterizedTest(name = "pflowproto {0}")
    @CsvSource({"5, 1492", "9, 1500", "10, 1448"})
    void connectionsReachTheCollectorAsConntrackCountedThem(int version, int mtu) throws Exception {
        try (Network network = Network.newNetwork();
                CollectorContainer collector = new CollectorContainer(network);
                PflowdContainer exporter = new PflowdContainer(network).withTcpdump()
                        // fast: a datagram leaves 1 s after its first record; no IPFIX template refresh mid-test
                        .withCommand("--hold-timeout", "1", "--template-timeout", "600");
                GenericContainer<?> sniffer = new GenericContainer<>(DockerImages.pflowd())) {
            collector.start();
            // The sidecar shares the collector's network namespace: its eth0 is the collector's.
            sniffer.withNetworkMode("container:" + collector.getContainerId())
                    .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCapDrop(Capability.ALL)
                            .withCapAdd(Capability.NET_RAW, Capability.SETUID, Capability.SETGID))
                    .withCommand("sleep", "infinity");
            sniffer.start();
            exporter.start();
            exporter.awaitRunning(WAIT);
            String collectorIp = collector.ipAddress();
            String exporterIp = exporter.ipAddress();

            Exec.run(exporter, "ifconfig", "pflow0", "create");
            ContainerTcpdump onPflow0 = ContainerTcpdump.start(exporter, "pflow0", "pflow0", "");
            ContainerTcpdump atCollector = ContainerTcpdump.start(sniffer, "collector", "eth0",
                    "udp and src host " + exporterIp + " and dst host " + collectorIp + " and dst port "
                            + CollectorContainer.PORT);
            Exec.run(exporter, "ifconfig", "pflow0", "flowdst", collectorIp + ":" + CollectorContainer.PORT,
                    "pflowproto", Integer.toString(version));

            // The traffic.
            Exec.bash(exporter, "perl -e '" + SERVER + "' >/tmp/server.out 2>&1 </dev/null &");
            assertThat(Exec.await(exporter, WAIT, "the TCP server to start", out -> !out.isEmpty(),
                    "cat", "/tmp/server.out")).as("TCP server in the exporter").contains("listening");
            assertThat(Exec.run(collector, "perl", "-e", CLIENT, exporterIp).strip()).as("bytes the client received")
                    .isEqualTo(Integer.toString(DOWN_BYTES));
            assertThat(Exec.run(exporter, "perl", "-e", PING, collectorIp).strip()).isEqualTo("ok");

            // The kernel's counters, once the TCP connection has closed (TIME_WAIT: no packet will follow).
            String listing = Exec.await(exporter, WAIT, "the TCP connection in TIME_WAIT",
                    out -> find(ConntrackEntry.parse(out), tcpToServer(exporterIp)) != null
                            && "TIME_WAIT".equals(find(ConntrackEntry.parse(out), tcpToServer(exporterIp)).state()),
                    "conntrack", "-L");
            List<ConntrackEntry> table = ConntrackEntry.parse(listing);
            ConntrackEntry tcp = find(table, tcpToServer(exporterIp));
            ConntrackEntry icmp = find(table, e -> e.protocol().equals("icmp")
                    && e.original().src().equals(exporterIp) && e.original().dst().equals(collectorIp));
            assertThat(icmp).as("ICMP entry in\n%s", listing).isNotNull();
            assertThat(tcp.original().bytes()).as("conntrack counts IP bytes: more than the payload")
                    .isGreaterThan(UP_BYTES);
            assertThat(icmp.original().packets()).as(icmp.toString()).isEqualTo(ECHOES);
            assertThat(icmp.reply().packets()).as(icmp.toString()).isEqualTo(ECHOES);

            // End both: the DESTROY events carry the same counters.
            Exec.run(exporter, "conntrack", "-D", "-p", "tcp", "--orig-port-dst", Integer.toString(SERVER_PORT));
            Exec.run(exporter, "conntrack", "-D", "-p", "icmp", "--orig-src", exporterIp, "--orig-dst", collectorIp);

            // (1) the collector has one record per direction, with conntrack's counters
            List<JsonNode> flows = awaitFlows(collector, 4);
            String seen = "conntrack:\n" + tcp + "\n" + icmp + "\nnfdump:\n" + flows;
            assertThat(flows).as(seen).hasSize(4);
            assertDirection(flows, 6, tcp.original(), seen);
            assertDirection(flows, 6, tcp.reply(), seen);
            assertDirection(flows, 1, icmp.original(), seen);
            assertDirection(flows, 1, icmp.reply(), seen);

            // (2) what tcpdump saw on pflow0 is what the collector received
            List<Pcap.Datagram> mirrored = onPflow0.stop();
            List<Pcap.Datagram> received = atCollector.stop();
            assertThat(mirrored).as("datagrams on pflow0 (exporter) vs. at the collector's eth0")
                    .containsExactlyElementsOf(received);
            assertThat(mirrored).as("the collector received something").isNotEmpty();
            assertThat(mirrored).allSatisfy(d -> {
                assertThat(d.exportVersion()).as(d.toString()).isEqualTo(version);
                assertThat(d.src()).isEqualTo(exporterIp);
                assertThat(d.dst()).isEqualTo(collectorIp);
                assertThat(d.dstPort()).isEqualTo(CollectorContainer.PORT);
            });

            // (3) ifconfig: OpenBSD's lines, statistics that agree with the captures and the collector
            String index = Exec.run(exporter, "cat", "/sys/class/net/pflow0/ifindex").strip();
            assertThat(Exec.run(exporter, "ifconfig", "pflow0")).isEqualTo(String.join("\n",
                    "pflow0: flags=41<UP,RUNNING> mtu " + mtu,
                    "\tindex " + index + " priority 0 llprio 3",
                    "\tpflow: receiver: " + collectorIp + ":" + CollectorContainer.PORT + " version: " + version,
                    "\tgroups: pflow", ""));
            JsonNode status = JSON.readTree(Exec.run(exporter, "ifconfig", "--json", "pflow0")).get(0);
            JsonNode stats = status.path("statistics");
            String context = "ifconfig --json: " + status + "\ncaptured: " + mirrored;
            assertThat(stats.path("flows").asLong()).as(context).isEqualTo(flows.size());
            assertThat(stats.path("packets").asLong()).as(context).isEqualTo(mirrored.size());
            assertThat(stats.path("bytes").asLong()).as(context)
                    .isEqualTo(mirrored.stream().mapToLong(Pcap.Datagram::length).sum());
            assertThat(stats.path("errors").asLong()).as(context).isZero();
            assertThat(stats.path("dropped").asLong()).as(context).isZero();
        }
    }

    private static Predicate<ConntrackEntry> tcpToServer(String exporterIp) {
        return e -> e.protocol().equals("tcp") && e.original().dst().equals(exporterIp)
                && e.original().dport() == SERVER_PORT;
    }

    private static ConntrackEntry find(List<ConntrackEntry> table, Predicate<ConntrackEntry> match) {
        return table.stream().filter(match).findFirst().orElse(null);
    }

    /** Waits for at least {@code count} records (nfcapd makes them readable at its next rotation). */
    private static List<JsonNode> awaitFlows(CollectorContainer collector, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<JsonNode> flows;
        do {
            flows = collector.flows();
            if (flows.size() >= count) {
                return flows;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("collector has " + flows.size() + " of " + count + " records after " + WAIT
                + ": " + flows + "\ncollector log:\n" + collector.getLogs());
    }

    /** Exactly one record for this direction (protocol, addresses, ports), with its packets and bytes. */
    private static void assertDirection(List<JsonNode> flows, int protocol, ConntrackEntry.Direction d, String seen) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode f : flows) {
            if (f.path("proto").asInt() == protocol && d.src().equals(f.path("src4_addr").asText())
                    && d.dst().equals(f.path("dst4_addr").asText())
                    && (protocol == 1 || (f.path("src_port").asInt() == d.sport()
                            && f.path("dst_port").asInt() == d.dport()))) {
                matching.add(f);
            }
        }
        assertThat(matching).as("records for %s\n%s", d, seen).hasSize(1);
        JsonNode f = matching.get(0);
        assertThat(f.path("in_packets").asLong()).as("packets of %s\n%s", d, seen).isEqualTo(d.packets());
        assertThat(f.path("in_bytes").asLong()).as("bytes of %s\n%s", d, seen).isEqualTo(d.bytes());
    }
}
