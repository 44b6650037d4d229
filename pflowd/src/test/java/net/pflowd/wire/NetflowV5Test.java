package net.pflowd.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import net.pflowd.flow.FlowRecord;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

class NetflowV5Test {
    private final ByteBuffer b = ByteBuffer.allocate(2048);

    @Test
    void headerMatchesLayout() {
        // now = origin + 3250 ms = 1_700_000_003.250 s
        NetflowV5.putHeader(b, 0, 1, Vectors.ORIGIN + 3250, 7, new ExporterId(0, 42, 42, Vectors.ORIGIN));
        // version 5 | count 1 | uptime 3250 | secs 0x6553f103 | nsecs 250e6 | seq 7 | engine 42/42 | sampling 0
        assertThat(Hex.format(b, 0, NetflowV5.HEADER_LENGTH)).isEqualTo(Hex.normalise(
                "0005 0001  0000 0cb2  6553 f103  0ee6 b280  0000 0007  2a2a 0000"));
    }

    @Test
    void recordMatchesLayout() {
        FlowRecord r = Vectors.ipv4();
        NetflowV5.putRecord(b, r, Vectors.EXPORTER, r.packets, r.bytes);
        assertThat(b.position()).isEqualTo(NetflowV5.RECORD_LENGTH);
        assertThat(Hex.written(b)).isEqualTo(Hex.normalise(Vectors.V5_RECORD));
    }

    @Test
    void interfaceIndexesBeyond16BitsAreSentAsUnknownAndTimesBeforeTheOriginClampToZero() {
        FlowRecord r = Vectors.ipv4();
        r.inputIf = 0x12345;
        r.outputIf = 0xffff;
        r.startMillis = Vectors.ORIGIN - 5000;
        NetflowV5.putRecord(b, r, Vectors.EXPORTER, r.packets, r.bytes);
        assertThat(b.getShort(12) & 0xffff).isZero();
        assertThat(b.getShort(14) & 0xffff).isEqualTo(0xffff);
        assertThat(b.getInt(24)).isZero();
        assertThat(b.getInt(28)).isEqualTo(2500);
    }

    @Test
    void uptimeWrapsAt32Bits() {
        NetflowV5.putHeader(b, 0, 0, Vectors.ORIGIN + (1L << 32) + 5, 0, new ExporterId(0, 1, 2, Vectors.ORIGIN));
        assertThat(b.getInt(4)).isEqualTo(5);
    }

    @Test
    void splitOf10GBytesIsThreeRecordsAddingUpExactly() {
        long bytes = 10_000_000_000L, packets = 7_000_000L;
        long n = NetflowV5.splitCount(packets, bytes);
        assertThat(n).isEqualTo(3);
        for (long i = 0; i < n; i++) {
            NetflowV5.putRecord(b, Vectors.ipv4(), Vectors.EXPORTER,
                    NetflowV5.share(packets, n, i), NetflowV5.share(bytes, n, i));
        }
        // 10e9 = 3 * 3333333333 + 1, 7e6 = 3 * 2333333 + 1: the remainder goes to the first record
        String head = "0a00 0001  0a00 0002  0000 0000  0001 0002";
        String tail = "0000 03e8  0000 09c4  3039 0050  0000 0610  0000 0000  0000 0000";
        assertThat(Hex.written(b)).isEqualTo(Hex.normalise(
                head + " 0023 9a96  c6ae a156 " + tail
                + head + " 0023 9a95  c6ae a155 " + tail
                + head + " 0023 9a95  c6ae a155 " + tail));
    }

    @Test
    void splitCountUsesWhicheverCounterNeedsMore() {
        assertThat(NetflowV5.splitCount(0, 0)).isEqualTo(1);
        assertThat(NetflowV5.splitCount(1, 0xffffffffL)).isEqualTo(1);
        assertThat(NetflowV5.splitCount(1, 0x100000000L)).isEqualTo(2);
        assertThat(NetflowV5.splitCount(3L * 0xffffffffL + 1, 10)).isEqualTo(4);
        // unsigned 64-bit maximum: (2^32-1)(2^32+1) = 2^64-1
        assertThat(NetflowV5.splitCount(1, -1L)).isEqualTo((1L << 32) + 1);
    }

    @Test
    void sharesAddUpAndFitForAwkwardTotals() {
        long[] totals = {0, 1, 0xffffffffL, 0x100000000L, 123_456_789_012_345L, Long.MAX_VALUE};
        for (long t : totals) {
            long n = NetflowV5.splitCount(t, t);
            long sum = 0;
            for (long i = 0; i < Math.min(n, 5); i++) {
                long s = NetflowV5.share(t, n, i);
                assertThat(s).isBetween(0L, NetflowV5.MAX_COUNTER);
                sum += s;
            }
            if (n <= 5) {
                assertThat(sum).as("total %d", t).isEqualTo(t);
            } else {
                // sum of all n shares = q*n + r, computed from the first and last share
                long q = NetflowV5.share(t, n, n - 1);
                long r = Long.remainderUnsigned(t, n);
                assertThat(q * n + r).isEqualTo(t);
                assertThat(NetflowV5.share(t, n, r - 1)).isEqualTo(q + 1);
            }
        }
    }
}
