package net.pflowd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

class NetflowV9Test {
    private final ByteBuffer b = ByteBuffer.allocate(2048);

    @Test
    void headerMatchesLayout() {
        // version 9 | count 5 | uptime 3000 (at the second of unix_secs) | secs 0x6553f103 | package_sequence 17 | source id 42
        NetflowV9.putHeader(b, 0, 5, Vectors.ORIGIN + 3250, 17, new ExporterId(42, 0, 0, Vectors.ORIGIN));
        assertThat(Hex.format(b, 0, NetflowV9.HEADER_LENGTH)).isEqualTo(Hex.normalise(
                "0009 0005  0000 0bb8  6553 f103  0000 0011  0000 002a"));
    }

    /**
     * A collector's boot time, unix_secs * 1000 - sysUptime, is the exporter's uptime origin to the ms
     * whatever the ms of the export instant and of the origin (nfdump dates v9 flows from it).
     */
    @Test
    void headerUptimeAndSecondsGiveTheOriginExactly() {
        long origin = Vectors.ORIGIN - 3_600_250;
        for (long now : new long[] {Vectors.ORIGIN, Vectors.ORIGIN + 1, Vectors.ORIGIN + 437, Vectors.ORIGIN + 999}) {
            NetflowV9.putHeader(b, 0, 1, now, 0, new ExporterId(0, 0, 0, origin));
            long sysUptime = Integer.toUnsignedLong(b.getInt(4));
            long unixSecs = Integer.toUnsignedLong(b.getInt(8));
            assertThat(unixSecs).as("unix_secs at %d", now).isEqualTo(now / 1000);
            assertThat(unixSecs * 1000 - sysUptime).as("boot time from the header at %d", now).isEqualTo(origin);
        }
    }

    @Test
    void templateFlowsetMatchesLayout() {
        NetflowV9.putTemplateFlowset(b);
        assertThat(b.position()).isEqualTo(NetflowV9.templateFlowsetLength()).isEqualTo(244);
        assertThat(Hex.written(b)).isEqualTo(Hex.normalise(Vectors.V9_TEMPLATE_FLOWSET));
        assertThat(NetflowV9.templateCount()).isEqualTo(4);
    }

    @Test
    void records() {
        assertRecord(Vectors.ipv4(), 46, Vectors.V9_IPV4_RECORD);
        assertRecord(Vectors.ipv6(), 70, Vectors.V9_IPV6_RECORD);
        assertRecord(Vectors.natIpv4(), 58, Vectors.V9_NAT_IPV4_RECORD);
        assertRecord(Vectors.natIpv6(), 106, Vectors.V9_NAT_IPV6_RECORD);
    }

    @Test
    void dataFlowsetIsPaddedToFour() {
        // IPv4 records are 46 bytes: 4 + 46 = 50 -> 52; 4 + 92 = 96 stays
        assertThat(NetflowV9.dataFlowsetLength(RecordFamily.IPV4, 1)).isEqualTo(52);
        assertThat(NetflowV9.dataFlowsetLength(RecordFamily.IPV4, 2)).isEqualTo(96);
        b.position(4);
        NetflowV9.putRecord(b, Vectors.ipv4(), Vectors.EXPORTER);
        NetflowV9.putPadding(b, 0);
        assertThat(b.position()).isEqualTo(52);
        assertThat(Hex.format(b, 50, 52)).isEqualTo("0000");
    }

    private void assertRecord(FlowRecord r, int length, String golden) {
        b.clear();
        NetflowV9.putRecord(b, r, Vectors.EXPORTER);
        assertThat(b.position()).isEqualTo(length).isEqualTo(NetflowV9.recordLength(RecordFamily.of(r)));
        assertThat(Hex.written(b)).isEqualTo(Hex.normalise(golden));
    }
}
