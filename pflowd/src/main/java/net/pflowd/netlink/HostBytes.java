package net.pflowd.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Numbers read at absolute offsets of a buffer in its own byte order, as {@link ByteBuffer#getShort(int)} and
 * friends, but through the buffer's array when it has one. The cursors read every header and number of a message
 * this way: the daemon's JIT (C1 only, see README "JVM settings") does not inline a direct buffer's accessors,
 * which were an eighth of a conntrack storm's CPU, while plain array loads it compiles in place. A direct
 * buffer is still read through its accessors.
 */
final class HostBytes {
    private ByteBuffer b;
    private byte[] a;
    private int base;
    private boolean bigEndian;

    void of(ByteBuffer buffer) {
        b = buffer;
        a = buffer.hasArray() ? buffer.array() : null;
        base = a != null ? buffer.arrayOffset() : 0;
        bigEndian = buffer.order() == ByteOrder.BIG_ENDIAN;
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

    short s16(int at) {
        if (a == null) {
            return b.getShort(at);
        }
        int i = base + at;
        return (short) (bigEndian ? (a[i] << 8) | (a[i + 1] & 0xff) : (a[i] & 0xff) | (a[i + 1] << 8));
    }

    int s32(int at) {
        if (a == null) {
            return b.getInt(at);
        }
        int i = base + at;
        int v = (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff) << 16 | a[i + 3] << 24;
        return bigEndian ? Integer.reverseBytes(v) : v;
    }

    long s64(int at) {
        if (a == null) {
            return b.getLong(at);
        }
        long lo = s32le(at) & 0xffffffffL, hi = s32le(at + 4) & 0xffffffffL;
        long v = lo | hi << 32;
        return bigEndian ? Long.reverseBytes(v) : v;
    }

    private int s32le(int at) {
        int i = base + at;
        return (a[i] & 0xff) | (a[i + 1] & 0xff) << 8 | (a[i + 2] & 0xff) << 16 | a[i + 3] << 24;
    }
}
