package net.pflowd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;

import net.pflowd.testutil.ConntrackEntry;
import net.pflowd.testutil.Pcap;
import org.junit.jupiter.api.Test;

/** The suite's own readers: pcap files and conntrack -L lines. No Docker. */
class HarnessParsersTest {
    /** pcap global header, little-endian, microseconds, snaplen 262144, then the link type (LE). */
    private static final String HEADER = "d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400";
    /** One IPv4 packet: 172.28.0.3:35727 > 172.28.0.2:2055, UDP length 13: payload 000a010203. */
    private static final String IP_UDP = String.join("",
            "4500", "0021", "0000", "4000", "40", "11", "0000", "ac1c0003", "ac1c0002",
            "8b8f", "0807", "000d", "0000", "000a010203");
    private static final Pcap.Datagram EXPECTED =
            new Pcap.Datagram("172.28.0.3", 35727, "172.28.0.2", 2055, "000a010203");

    @Test
    void rawIpCaptureOfPflow0() {
        byte[] file = HexFormat.of().parseHex(HEADER + "65000000" + record(IP_UDP) + record(IP_UDP));
        List<Pcap.Datagram> datagrams = Pcap.udpDatagrams(file);
        assertThat(datagrams).containsExactly(EXPECTED, EXPECTED);
        assertThat(datagrams.get(0).exportVersion()).isEqualTo(10);
        assertThat(datagrams.get(0).length()).isEqualTo(5);
    }

    @Test
    void ethernetCaptureOfEth0() {
        String frame = "0242ac1c0002" + "0242ac1c0003" + "0800" + IP_UDP;
        assertThat(Pcap.udpDatagrams(HexFormat.of().parseHex(HEADER + "01000000" + record(frame))))
                .containsExactly(EXPECTED);
    }

    @Test
    void truncatedPacketIsAnErrorNotASkip() {
        String rec = "00000000" + "00000000" + "0a000000" + "21000000" + IP_UDP.substring(0, 20);
        assertThatThrownBy(() -> Pcap.udpDatagrams(HexFormat.of().parseHex(HEADER + "65000000" + rec)))
                .hasMessage("packet 1: captured 10 of 33 bytes");
    }

    @Test
    void conntrackLineWithBothDirectionsAndCounters() {
        ConntrackEntry e = ConntrackEntry.parseLine("tcp      6 119 TIME_WAIT src=172.28.0.2 dst=172.28.0.3"
                + " sport=40078 dport=5001 packets=14 bytes=100736 src=172.28.0.3 dst=172.28.0.2 sport=5001"
                + " dport=40078 packets=12 bytes=20632 [ASSURED] mark=0 delta-time=1 use=1");
        assertThat(e.protocol()).isEqualTo("tcp");
        assertThat(e.state()).isEqualTo("TIME_WAIT");
        assertThat(e.original().toString()).isEqualTo("172.28.0.2:40078 > 172.28.0.3:5001 packets 14 bytes 100736");
        assertThat(e.reply().toString()).isEqualTo("172.28.0.3:5001 > 172.28.0.2:40078 packets 12 bytes 20632");
    }

    @Test
    void conntrackIcmpLineHasNoPortsAndNoState() {
        ConntrackEntry e = ConntrackEntry.parse("icmp     1 29 src=172.28.0.3 dst=172.28.0.2 type=8 code=0"
                + " id=59042 packets=3 bytes=99 src=172.28.0.2 dst=172.28.0.3 type=0 code=0 id=59042 packets=3"
                + " bytes=99 mark=0 use=1\n").get(0);
        assertThat(e.state()).isNull();
        assertThat(e.original().packets()).isEqualTo(3);
        assertThat(e.reply().bytes()).isEqualTo(99);
        assertThat(e.reply().src()).isEqualTo("172.28.0.2");
    }

    @Test
    void conntrackLineWithoutAccountingSaysSo() {
        ConntrackEntry e = ConntrackEntry.parseLine("udp 17 27 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2"
                + " src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1");
        assertThatThrownBy(() -> e.original().bytes()).hasMessageContaining("nf_conntrack_acct");
    }

    private static String record(String packetHex) {
        String len = String.format("%02x000000", packetHex.length() / 2);
        return "00000000" + "00000000" + len + len + packetHex;
    }
}
