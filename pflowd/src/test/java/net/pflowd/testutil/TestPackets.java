package net.pflowd.testutil;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;

/** Valid IPv4/IPv6 + UDP packets built by hand (checksums included) for tests of the packet path. */
public final class TestPackets {
    private TestPackets() {
    }

    /** IPv4 (20-byte header, DF clear, TTL 64, given id) + UDP + payload. */
    public static byte[] ipv4Udp(Inet4Address src, Inet4Address dst, int sport, int dport, int id, byte[] payload) {
        int udpLen = 8 + payload.length;
        int total = 20 + udpLen;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total);
        b.putShort((short) id).putShort((short) 0);
        b.put((byte) 64).put((byte) 17).putShort((short) 0);
        b.put(src.getAddress()).put(dst.getAddress());
        b.putShort(10, checksum(b.array(), 0, 20, 0));
        b.putShort((short) sport).putShort((short) dport).putShort((short) udpLen).putShort((short) 0);
        b.put(payload);
        long pseudo = sum(src.getAddress()) + sum(dst.getAddress()) + 17 + udpLen;
        short c = checksum(b.array(), 20, udpLen, pseudo);
        b.putShort(26, c == 0 ? (short) 0xffff : c);
        return b.array();
    }

    /** IPv6 (hop limit 64) + UDP + payload. */
    public static byte[] ipv6Udp(Inet6Address src, Inet6Address dst, int sport, int dport, byte[] payload) {
        int udpLen = 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(40 + udpLen);
        b.putInt(0x60000000).putShort((short) udpLen).put((byte) 17).put((byte) 64);
        b.put(src.getAddress()).put(dst.getAddress());
        b.putShort((short) sport).putShort((short) dport).putShort((short) udpLen).putShort((short) 0);
        b.put(payload);
        long pseudo = sum(src.getAddress()) + sum(dst.getAddress()) + udpLen + 17;
        short c = checksum(b.array(), 40, udpLen, pseudo);
        b.putShort(46, c == 0 ? (short) 0xffff : c);
        return b.array();
    }

    /** RFC 1071 one's complement checksum of {@code a[off, off+len)} plus a pre-summed pseudo header. */
    public static short checksum(byte[] a, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i + 1 < len; i += 2) {
            s += ((a[off + i] & 0xff) << 8) | (a[off + i + 1] & 0xff);
        }
        if ((len & 1) != 0) {
            s += (a[off + len - 1] & 0xff) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (short) ~s;
    }

    private static long sum(byte[] addr) {
        long s = 0;
        for (int i = 0; i < addr.length; i += 2) {
            s += ((addr[i] & 0xff) << 8) | (addr[i + 1] & 0xff);
        }
        return s;
    }
}
