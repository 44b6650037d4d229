package net.pflowd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

class IpfixTest {
    private final ByteBuffer b = ByteBuffer.allocate(2048);

    @Test
    void headerMatchesLayout() {
        // version 10 | length 0x005a | export 1_700_000_003 | sequence 300 | domain 42
        Ipfix.putHeader(b, 0, 90, 1_700_000_003L, 300, 42);
        assertThat(Hex.format(b, 0, Ipfix.HEADER_LENGTH)).isEqualTo(Hex.normalise(
                "000a 005a  6553 f103  0000 012c  0000 002a"));
    }

    @Test
    void templateSetMatchesLayout() {
        Ipfix.putTemplateSet(b);
        assertThat(b.position()).isEqualTo(Ipfix.templateSetLength()).isEqualTo(244);
        assertThat(Hex.written(b)).isEqualTo(Hex.normalise(Vectors.IPFIX_TEMPLATE_SET));
    }

    @Test
    void recordLengthsAreThoseOfTheTemplates() {
        assertThat(Ipfix.recordLength(RecordFamily.IPV4)).isEqualTo(54);
        assertThat(Ipfix.recordLength(RecordFamily.IPV6)).isEqualTo(78);
        assertThat(Ipfix.recordLength(RecordFamily.NAT_IPV4)).isEqualTo(66);
        assertThat(Ipfix.recordLength(RecordFamily.NAT_IPV6)).isEqualTo(114);
    }

    @Test
    void ipv4Record() {
        assertRecord(Vectors.ipv4(), RecordFamily.IPV4, Vectors.IPFIX_IPV4_RECORD);
    }

    @Test
    void ipv6Record() {
        assertRecord(Vectors.ipv6(), RecordFamily.IPV6, Vectors.IPFIX_IPV6_RECORD);
    }

    @Test
    void natIpv4Record() {
        assertRecord(Vectors.natIpv4(), RecordFamily.NAT_IPV4, Vectors.IPFIX_NAT_IPV4_RECORD);
    }

    @Test
    void natIpv6Record() {
        assertRecord(Vectors.natIpv6(), RecordFamily.NAT_IPV6, Vectors.IPFIX_NAT_IPV6_RECORD);
    }

    @Test
    void countersAreUnsigned64Bit() {
        FlowRecord r = Vectors.ipv4();
        r.packets = -1L;
        r.bytes = 0x8000000000000001L;
        Ipfix.putRecord(b, r);
        assertThat(Hex.format(b, 16, 32)).isEqualTo(Hex.normalise("ffff ffff ffff ffff  8000 0000 0000 0001"));
    }

    private void assertRecord(FlowRecord r, RecordFamily f, String golden) {
        assertThat(RecordFamily.of(r)).isEqualTo(f);
        Ipfix.putRecord(b, r);
        assertThat(b.position()).isEqualTo(Ipfix.recordLength(f));
        assertThat(Hex.written(b)).isEqualTo(Hex.normalise(golden));
    }
}
