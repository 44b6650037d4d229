package net.pflowd.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import net.pflowd.testutil.Hex;
import org.junit.jupiter.api.Test;

class UdpPacketBuilderTest {
    private static InetSocketAddress sa(String a, int port) {
        return new InetSocketAddress(Vectors.addr(a), port);
    }

    private static ByteBuffer payload87() {
        byte[] p = new byte[87];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) i;
        }
        return ByteBuffer.wrap(p);
    }

    @Test
    void ipv4HeaderIsTheTextbookVector() {
        // The IPv4 header checksum example from the literature: 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7
        ByteBuffer out = ByteBuffer.allocate(200);
        UdpPacketBuilder pb = new UdpPacketBuilder(sa("192.168.0.1", 4739), sa("192.168.0.199", 2055), 0);
        int n = pb.build(payload87(), out);
        assertThat(n).isEqualTo(115).isEqualTo(out.position());
        assertThat(Hex.format(out, 0, 20)).isEqualTo(Hex.normalise(
                "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7"));
        // UDP: 4739 > 2055, length 95, checksum 0xf74c (computed independently over pseudo-header + datagram)
        assertThat(Hex.format(out, 20, 28)).isEqualTo(Hex.normalise("1283 0807 005f f74c"));
        assertThat(out.get(28)).isEqualTo((byte) 0);
        assertThat(out.get(114)).isEqualTo((byte) 86);
        assertThat(pb.nextIdentification()).isEqualTo(1);
    }

    @Test
    void ipv4IdentificationCountsAndChecksumsRecomputeToZero() {
        ByteBuffer out = ByteBuffer.allocate(400);
        UdpPacketBuilder pb = new UdpPacketBuilder(sa("10.0.0.1", 1000), sa("10.0.0.2", 2055), 0xfffe);
        ByteBuffer p = ByteBuffer.wrap("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int id : new int[] {0xfffe, 0xffff, 0}) {
            int start = out.position();
            int n = pb.build(p, out);
            assertThat(out.getShort(start + 4) & 0xffff).isEqualTo(id);
            assertThat(verifyIpv4Header(out, start)).isZero();
            assertThat(verifyUdp(out, start, start + 12, 4, start + 20, n - 20)).isZero();
        }
        assertThat(p.position()).isZero();
    }

    @Test
    void ipv6PacketMatchesVector() {
        ByteBuffer out = ByteBuffer.allocate(100);
        UdpPacketBuilder pb = new UdpPacketBuilder(sa("2001:db8::1", 4739), sa("2001:db8::2", 4739));
        assertThat(pb.headerLength()).isEqualTo(48);
        pb.build(ByteBuffer.wrap(Hex.bytes("7066 6c6f 77")), out); // "pflow"
        assertThat(Hex.written(out)).isEqualTo(Hex.normalise(
                "6000 0000  000d 1140"
                + "  2001 0db8 0000 0000 0000 0000 0000 0001  2001 0db8 0000 0000 0000 0000 0000 0002"
                + "  1283 1283 000d 2b83  7066 6c6f 77"));
        assertThat(verifyUdp(out, 0, 8, 16, 40, 13)).isZero();
    }

    @Test
    void ipv6ZeroChecksumIsSentAsAllOnes() {
        InetSocketAddress s = sa("2001:db8::1", 1), d = sa("2001:db8::2", 2);
        // Find the last payload word that makes the checksum come out 0: the sum must fold to 0xffff.
        ByteBuffer probe = ByteBuffer.allocate(200);
        new UdpPacketBuilder(s, d).build(ByteBuffer.wrap(new byte[4]), probe);
        probe.putShort(46, (short) 0);
        long sum = pseudoSum(probe, 8, 16, 40, 12);
        int folded = fold(sum);
        int word = 0xffff - folded; // ones'-complement: folded + word = 0xffff
        ByteBuffer payload = ByteBuffer.allocate(4).putShort(0, (short) 0).putShort(2, (short) word);
        ByteBuffer out = ByteBuffer.allocate(200);
        new UdpPacketBuilder(s, d).build(payload, out);
        assertThat(out.getShort(46) & 0xffff).isEqualTo(0xffff);
    }

    @Test
    void mixedFamiliesAreRejected() {
        assertThatThrownBy(() -> new UdpPacketBuilder(sa("10.0.0.1", 1), sa("2001:db8::2", 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("families");
    }

    // ---- independent recomputation (plain int arithmetic over the bytes, no InternetChecksum) ----

    private static int fold(long sum) {
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) sum;
    }

    private static long words(ByteBuffer b, int from, int len) {
        long s = 0;
        for (int i = 0; i < len; i++) {
            int v = b.get(from + i) & 0xff;
            s += (i % 2 == 0) ? v << 8 : v;
        }
        return s;
    }

    /** Sum of pseudo-header and UDP datagram (checksum field as written). */
    private static long pseudoSum(ByteBuffer b, int srcAt, int addrLen, int udpAt, int udpLen) {
        return words(b, srcAt, 2 * addrLen) + 17 + udpLen + words(b, udpAt, udpLen);
    }

    /** 0 when the header checksum verifies. */
    private static int verifyIpv4Header(ByteBuffer b, int at) {
        return 0xffff - fold(words(b, at, 20));
    }

    private static int verifyUdp(ByteBuffer b, int ipAt, int srcAt, int addrLen, int udpAt, int udpLen) {
        return 0xffff - fold(pseudoSum(b, srcAt, addrLen, udpAt, udpLen));
    }
}
