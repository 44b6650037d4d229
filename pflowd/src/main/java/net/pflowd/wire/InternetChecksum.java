package net.pflowd.wire;

import java.nio.ByteBuffer;

/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /**
     * Adds the bytes {@code [from, to)} of {@code b} as big-endian 16-bit words (an odd last byte padded
     * with zero) to a running 32-bit-folded-later sum; absolute reads, the position is not moved.
     */
    public static long add(long sum, ByteBuffer b, int from, int to) {
        int i = from;
        for (; i + 1 < to; i += 2) {
            sum += b.getShort(i) & 0xffff;
        }
        if (i < to) {
            sum += (b.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Folds a running sum to 16 bits and complements it. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    public static int of(ByteBuffer b, int from, int to) {
        return finish(add(0, b, from, to));
    }
}
