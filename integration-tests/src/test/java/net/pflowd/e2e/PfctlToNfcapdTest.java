package net.pflowd.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import net.pflowd.collectors.Nfcapd;
import net.pflowd.control.InterfaceStatus;
import net.pflowd.testutil.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --source pfctl} end to end: a stand-in pfctl replays listings in which pf states appear, grow and
 * vanish; the daemon exports each vanished state from its last listed counters, and a real nfcapd stores
 * what arrives. The listings are pf's own format, one of them copied from an OPNsense system (an rdr-to
 * state, whose translation must show in the post-NAT fields of v9 and IPFIX).
 */
class PfctlToNfcapdTest {
    /** A redirected inbound connection, as OPNsense 26.1 printed it (opnsense-26.1-freebsd-14.3-vv-rdr-replyto.txt). */
    private static final String RDR_FIRST = ""
            + "all tcp 192.168.20.98:443 (192.168.1.202:443) <- 178.213.45.35:55192       ESTABLISHED:ESTABLISHED\n"
            + "   [3990052285 + 3992912384] wscale 7  [243510668 + 3556835840] wscale 8\n"
            + "   age 00:23:35, expires in 23:59:59, 700:720 pkts, 117015:140057 bytes, rule 84\n"
            + "   id: 7d029a6900000000 creatorid: 58075cf3\n";
    private static final String RDR_LAST = RDR_FIRST
            .replace("700:720 pkts, 117015:140057 bytes", "761:779 pkts, 127015:150057 bytes");
    private static final String PLAIN_FIRST = ""
            + "all udp 10.8.0.1:53 <- 10.9.0.7:40001       MULTIPLE:SINGLE\n"
            + "   age 00:00:03, expires in 00:00:30, 1:1 pkts, 60:120 bytes, rule 1\n"
            + "   id: 0000000000000101 creatorid: 0a0b0c0d\n";
    private static final String PLAIN_LAST = PLAIN_FIRST.replace("1:1 pkts, 60:120 bytes", "4:3 pkts, 240:360 bytes");
    private static final String V6_LAST = ""
            + "all tcp 2001:db8:1::1[443] <- 2001:db8::7[40002]       FIN_WAIT_2:FIN_WAIT_2\n"
            + "   [1000 + 64240] wscale 7  [2000 + 65535] wscale 8\n"
            + "   age 00:00:09, expires in 00:01:30, 12:10 pkts, 1500:9000 bytes, rule 1\n"
            + "   id: 0000000000000102 creatorid: 0a0b0c0d\n";

    private NetNs ns;
    private Path dir;
    private DaemonProcess daemon;

    @BeforeEach
    void setUp() throws Exception {
        daemon = DaemonProcess.withStandInPfctl("pfctl-nfcapd");
        ns = daemon.ns();
        dir = daemon.dir();
    }

    @AfterEach
    void tearDown() throws Exception {
        daemon.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 9, 10})
    void vanishedStatesReachNfcapdWithTheirLastCounters(int version) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (Nfcapd nfcapd = Nfcapd.start(lo, 2055, List.of("ip", "netns", "exec", ns.name()))) {
            daemon.start("--hold-timeout", "1");
            daemon.ifconfigOk("pflow0", "create", "flowdst", "127.0.0.1:2055", "pflowproto", Integer.toString(version));

            // Appear, grow, vanish: only the last listed counters count.
            list(RDR_FIRST + PLAIN_FIRST);
            daemon.await("pflowd sees 2 states", () -> counter("pfctl.states-seen") >= 2);
            list(RDR_LAST + PLAIN_LAST + V6_LAST);
            daemon.await("pflowd sees 3 states", () -> counter("pfctl.states-seen") >= 3);
            long polls = counter("pfctl.polls");
            daemon.await("a poll of the grown counters", () -> counter("pfctl.polls") >= polls + 2);
            list("");
            daemon.await("pflowd exports 3 states", () -> counter("pfctl.states-exported") >= 3);
            int expectedRecords = version == 5 ? 4 : 6; // v5 carries no IPv6
            daemon.await(expectedRecords + " records sent", () -> counter("export.records-sent") >= expectedRecords);
            nfcapd.stop();

            List<JsonNode> flows = nfcapd.flows();
            assertThat(flows).hasSize(expectedRecords);
            assertThat(nfcapd.sequenceFailures()).isZero();
            long packets = 0;
            long bytes = 0;
            for (JsonNode f : flows) {
                packets += f.path("in_packets").asLong();
                bytes += f.path("in_bytes").asLong();
            }
            long v6Packets = 12 + 10;
            long v6Bytes = 1500 + 9000;
            assertThat(packets).isEqualTo(761 + 779 + 4 + 3 + (version == 5 ? 0 : v6Packets));
            assertThat(bytes).isEqualTo(127015 + 150057 + 240 + 360 + (version == 5 ? 0 : v6Bytes));

            // The rdr-to state: both records from the client's point of view, the two counter pairs.
            List<JsonNode> rdr = new ArrayList<>();
            for (JsonNode f : flows) {
                if (f.path("src4_addr").asText().equals("178.213.45.35") || f.path("dst4_addr").asText().equals("178.213.45.35")) {
                    rdr.add(f);
                }
            }
            assertThat(rdr).hasSize(2);
            JsonNode out = rdr.get(0).path("src4_addr").asText().equals("178.213.45.35") ? rdr.get(0) : rdr.get(1);
            JsonNode back = out == rdr.get(0) ? rdr.get(1) : rdr.get(0);
            assertThat(out.path("dst4_addr").asText()).isEqualTo("192.168.1.202");
            assertThat(out.path("src_port").asInt()).isEqualTo(55192);
            assertThat(out.path("dst_port").asInt()).isEqualTo(443);
            assertThat(back.path("src4_addr").asText()).isEqualTo("192.168.1.202");
            assertThat(back.path("dst_port").asInt()).isEqualTo(55192);
            assertThat(List.of(out.path("in_bytes").asLong(), back.path("in_bytes").asLong()))
                    .containsExactlyInAnyOrder(127015L, 150057L);
            if (version != 5) {
                // The redirect: the server really answering is 192.168.20.98.
                assertThat(out.path("dst4_xlt_ip").asText()).isEqualTo("192.168.20.98");
                assertThat(out.path("src4_xlt_ip").asText()).isEqualTo("178.213.45.35");
                assertThat(back.path("src4_xlt_ip").asText()).isEqualTo("192.168.20.98");
            } else {
                assertThat(out.has("dst4_xlt_ip")).isFalse();
            }
        }
    }

    /** Replaces what the stand-in pfctl prints, atomically so that no poll reads half a listing. */
    private void list(String states) throws Exception {
        Path tmp = dir.resolve("states.next");
        Files.writeString(tmp, states);
        Files.move(tmp, daemon.statesFile(), StandardCopyOption.ATOMIC_MOVE);
    }

    private long counter(String name) {
        try {
            InterfaceStatus st = daemon.status("pflow0");
            return st.statistic(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
