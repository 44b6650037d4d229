package net.pflowd.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Numbers read at absolute offsets of a netlink buffer: host byte order (headers, rtnetlink's numbers) as the
 * buffer's own accessors read them, and network order (addresses, ports, ctnetlink's numbers). A little-endian
 * buffer with an array (the reader's heap copy of each datagram) is read through the array, in methods small
 * enough for the daemon's JIT (C1 only, see README "JVM settings") to compile in place; it does not inline a
 * direct buffer's accessors, which were an eighth of a conntrack storm's CPU. Any other buffer is read through
 * its accessors.
 */
final class HostBytes {
    private ByteBuffer b;
    /** {@link #b}'s array when it is little-endian and has one, else null. */
    private byte[] a;
    private int base;
    private boolean bigEndian;

    void of(ByteBuffer buffer) {
        b = buffer;
        bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
        a = buffer.hasArray() && !bigEndian ? buffer.array() : null;
        base = a != null ? buffer.arrayOffset() : 0;
    }

    void of(HostBytes other) {
        b = other.b;
        a = other.a;
        base = other.base;
        bigEndian = other.bigEndian;
    }

    ByteBuffer buffer() {
        return b;
    }

    int u8(int at) {
        return a != null ? a[base + at] & 0xff : b.get(at) & 0xff;
    }

    /** In the buffer's order. */
    short s16(int at) {
        return a != null ? (short) le16(a, base + at) : b.getShort(at);
    }

    /** In the buffer's order. */
    int s32(int at) {
        return a != null ? le32(a, base + at) : b.getInt(at);
    }

    /** Big-endian, unsigned. */
    int be16(int at) {
        return a != null ? be16(a, base + at) : (bigEndian ? b.getShort(at) : Short.reverseBytes(b.getShort(at))) & 0xffff;
    }

    /** Big-endian. */
    int be32(int at) {
        return a != null ? be16(a, base + at) << 16 | be16(a, base + at + 2) : bigEndian ? b.getInt(at)
                : Integer.reverseBytes(b.getInt(at));
    }

    /** Big-endian. */
    long be64(int at) {
        return (long) be32(at) << 32 | be32(at + 4) & 0xffffffffL;
    }

    private static int le16(byte[] a, int i) {
        return (a[i] & 0xff) | (a[i + 1] & 0xff) << 8;
    }

    private static int le32(byte[] a, int i) {
        return le16(a, i) | le16(a, i + 2) << 16;
    }

    private static int be16(byte[] a, int i) {
        return (a[i] & 0xff) << 8 | (a[i + 1] & 0xff);
    }
}
