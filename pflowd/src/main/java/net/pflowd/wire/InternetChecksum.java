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
        // Eight bytes at a time: the two 32-bit halves of a long hold its four 16-bit words, and their sum folds to
        // the same 16-bit ones' complement sum (RFC 1071, 2(C)) in a quarter of the reads (the mirror sums every
        // exported datagram). The halves of at most 2^29 longs cannot overflow 64 bits.
        for (; i + 7 < to; i += 8) {
            long v = b.getLong(i);
            sum += (v >>> 32) + (v & 0xffffffffL);
        }
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
