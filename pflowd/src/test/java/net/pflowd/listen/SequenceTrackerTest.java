package net.pflowd.listen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import net.pflowd.decode.DecodedMessage;
import net.pflowd.decode.FlowDecoder;
import net.pflowd.decode.GoldenVectors;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    private final FlowDecoder decoder = new FlowDecoder();
    private final SequenceTracker tracker = new SequenceTracker();
    private final InetSocketAddress from;

    SequenceTrackerTest() throws Exception {
        from = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
    }

    private String check(String hex) throws Exception {
        DecodedMessage m = decoder.decode(from, Hex.buffer(hex));
        return tracker.check(m);
    }

    /** The IPFIX golden vector with another sequence number (bytes 8..11). */
    private static String ipfix(int seq) {
        return GoldenVectors.IPFIX.replaceFirst("0000003C", String.format("%08X", seq));
    }

    @Test
    void ipfixAdvancesByDataRecords() throws Exception {
        assertThat(check(ipfix(60))).isNull();
        assertThat(check(ipfix(62))).isNull();   // 2 records
        assertThat(check(ipfix(94))).isEqualTo(
                "sequence gap from 127.0.0.1:5000 v10 domain 42: expected 64, got 94 (30 missing)");
        assertThat(check(ipfix(96))).isNull();
        assertThat(check(ipfix(50))).startsWith(
                "sequence went back from 127.0.0.1:5000 v10 domain 42: expected 98, got 50");
        assertThat(tracker.gaps()).isEqualTo(2);
    }

    @Test
    void v5AdvancesByCountAndV9ByOne() throws Exception {
        assertThat(check(GoldenVectors.V5)).isNull();                                   // seq 42, count 2
        assertThat(check(GoldenVectors.V5.replaceFirst("0000002A", "0000002C"))).isNull();
        assertThat(check(GoldenVectors.V5.replaceFirst("0000002A", "0000002F"))).isEqualTo(
                "sequence gap from 127.0.0.1:5000 v5 engine 1/2: expected 46, got 47 (1 missing)");
        assertThat(check(GoldenVectors.V9)).isNull();                                   // seq 7
        assertThat(check(GoldenVectors.V9.replaceFirst("00000007", "00000008"))).isNull();
        assertThat(check(GoldenVectors.V9.replaceFirst("00000007", "0000000B"))).isEqualTo(
                "sequence gap from 127.0.0.1:5000 v9 domain 1: expected 9, got 11 (2 missing)");
    }

    @Test
    void streamsAreSeparatePerDomainAndTheCounterWraps() throws Exception {
        assertThat(check(ipfix(0xFFFFFFFF))).isNull();
        assertThat(check(GoldenVectors.IPFIX.replaceFirst("0000003C 0000002A", "00000000 0000002B"))).isNull();
        assertThat(check(ipfix(1))).isNull();  // 0xFFFFFFFF + 2 wraps to 1
    }
}
