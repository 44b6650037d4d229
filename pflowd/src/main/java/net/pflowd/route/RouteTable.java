package net.pflowd.route;

import static net.pflowd.linux.Rtnetlink.*;

import java.util.Arrays;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;

/**
 * An immutable snapshot of the host's routes, answering "which interface leads to this address?" the way the
 * kernel's FIB would for a packet with no special marks: the local table first (an address the host owns is
 * local), then the longest matching prefix of the main table.
 *
 * <h2>Representation</h2>
 * A set of nested prefixes divides the address space into at most 2n + 1 intervals, each with a single answer.
 * The builder computes those intervals once (sorting the prefixes and sweeping them with a stack, merging
 * neighbours with the same answer), so a lookup is one binary search over a primitive array — no allocation,
 * whatever the prefix lengths. Per table (local, main) and family: IPv4 start and answer packed in one long
 * array, IPv6 starts in two long arrays and the answers in a third; starts are stored with the sign bit flipped
 * so that signed comparison orders them as unsigned addresses. A large table (a full Internet table: a million intervals) also gets an index on the top 16 bits
 * of the address, so the search covers one bucket and touches a few cache lines instead of twenty.
 *
 * <h2>What counts</h2>
 * <ul>
 * <li>Local table ({@code RT_TABLE_LOCAL}): only {@code RTN_LOCAL} routes — the host's own addresses, 127/8,
 *     ::1. An address they cover gives 0.</li>
 * <li>Main table ({@code RT_TABLE_MAIN}): {@code RTN_UNICAST} routes (and the rare broadcast, anycast and
 *     multicast ones) give their output interface (for a multipath route the first live nexthop's, see
 *     {@link RouteParser}); {@code RTN_LOCAL}, {@code RTN_BLACKHOLE}, {@code RTN_UNREACHABLE}, {@code RTN_PROHIBIT}
 *     and {@code RTN_THROW} cover their prefix with 0. Among routes to the same prefix the lowest metric
 *     (RTA_PRIORITY) wins, then the one listed first.</li>
 * <li>Ignored: other tables and the rules that select them (policy routing, {@code ip rule}), routes with a TOS
 *     or a source prefix (they match only some packets), cloned (cached) routes, RTN_NAT and RTN_XRESOLVE. A route that
 *     uses a nexthop object ({@code nhid}) carries its interface only while net.ipv4.nexthop_compat_mode is 1 (the
 *     default); otherwise it gives 0.</li>
 * </ul>
 * An address nothing covers gives 0.
 */
public final class RouteTable {
    /** No routes: every lookup gives 0. */
    public static final RouteTable EMPTY = new Builder().build();

    private final V4 local4, main4;
    private final V6 local6, main6;
    private final int routes;

    private RouteTable(V4 local4, V4 main4, V6 local6, V6 main6, int routes) {
        this.local4 = local4;
        this.main4 = main4;
        this.local6 = local6;
        this.main6 = main6;
        this.routes = routes;
    }

    /**
     * The output interface index of the best route to an address, in {@link FlowRecord}'s halves (IPv4: hi 0,
     * lo the address); 0 when the address is the host's own, unroutable, or {@code family} is neither
     * {@link FlowRecord#IPV4} nor {@link FlowRecord#IPV6}.
     */
    public int interfaceFor(int family, long hi, long lo) {
        if (family == FlowRecord.IPV4) {
            int key = (int) lo ^ Integer.MIN_VALUE;
            return local4.lookup(key) != 0 ? 0 : main4.lookup(key);
        }
        if (family == FlowRecord.IPV6) {
            long keyHi = hi ^ Long.MIN_VALUE, keyLo = lo ^ Long.MIN_VALUE;
            return local6.lookup(keyHi, keyLo) != 0 ? 0 : main6.lookup(keyHi, keyLo);
        }
        return 0;
    }

    /**
     * Sets the interfaces of a connection: {@code inputIf} is the interface toward the originator (where its
     * packets enter, assuming symmetric routing), {@code outputIf} the interface toward the responder as it
     * really is (the reply tuple's source: after any DNAT the real server, otherwise the original destination).
     * The side of a connection that is the host itself gets 0.
     */
    public void fill(FlowState s) {
        s.inputIf = interfaceFor(s.family, s.origSrcHi, s.origSrcLo);
        s.outputIf = interfaceFor(s.family, s.replySrcHi, s.replySrcLo);
    }

    /** The routes this table was built from (those that count, see the class comment). */
    public int routes() {
        return routes;
    }

    /** The number of intervals per table, for the benchmark's note on memory: local4, main4, local6, main6. */
    int[] intervals() {
        return new int[] {local4.entry.length, main4.entry.length, local6.startHi.length, main6.startHi.length};
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects routes (from a dump, or by hand in tests) and builds a table. Not thread-safe. */
    public static final class Builder {
        private final Prefixes local4 = new Prefixes(32), main4 = new Prefixes(32);
        private final Prefixes local6 = new Prefixes(128), main6 = new Prefixes(128);

        /** Adds a parsed route; returns false when it does not count (see the class comment). */
        public boolean add(RouteEntry r) {
            if (r.msgType != RTM_NEWROUTE || r.srcLen != 0 || r.tos != 0 || (r.flags & RTM_F_CLONED) != 0) {
                return false;
            }
            return add(r.family, r.table, r.type, r.dstHi, r.dstLo, r.dstLen, r.oif, r.priority);
        }

        /**
         * Adds a route to {@code hi/lo}/{@code len} in {@code table} (RT_TABLE_*) of type {@code type} (RTN_*),
         * leaving by interface {@code oif}; returns false when it does not count (or the table already holds
         * 2^26 routes).
         */
        public boolean add(int family, int table, int type, long hi, long lo, int len, int oif, long metric) {
            if (family != FlowRecord.IPV4 && family != FlowRecord.IPV6) {
                return false;
            }
            boolean v4 = family == FlowRecord.IPV4;
            if (len < 0 || len > (v4 ? 32 : 128)) {
                throw new IllegalArgumentException("prefix length " + len + " for IPv" + family);
            }
            if (table == RT_TABLE_LOCAL) {
                if (type != RTN_LOCAL) {
                    return false;
                }
                return (v4 ? local4 : local6).add(hi, lo, len, 1, metric);
            }
            if (table != RT_TABLE_MAIN) {
                return false;
            }
            int value;
            switch (type) {
                case RTN_UNICAST:
                case RTN_BROADCAST:
                case RTN_ANYCAST:
                case RTN_MULTICAST:
                    value = oif;
                    break;
                case RTN_LOCAL:
                case RTN_BLACKHOLE:
                case RTN_UNREACHABLE:
                case RTN_PROHIBIT:
                case RTN_THROW:
                    value = 0;
                    break;
                default:
                    return false;
            }
            return (v4 ? main4 : main6).add(hi, lo, len, value, metric);
        }

        public RouteTable build() {
            int routes = local4.count + main4.count + local6.count + main6.count;
            return new RouteTable(local4.toV4(), main4.toV4(), local6.toV6(), main6.toV6(), routes);
        }
    }

    /**
     * Above this many intervals a table gets a first-level index: for each value of an address's top 16 bits,
     * where its intervals begin. The binary search then runs over one bucket, a few neighbouring entries, instead
     * of the whole array, whose every level would be a cache miss in a table of a million intervals.
     */
    static final int INDEXED_ABOVE = 256;
    private static final int BUCKETS = 1 << 16;

    /** For each value of the top 16 bits, the first interval whose start has them or more; null when small. */
    private static int[] buckets(int n, java.util.function.IntUnaryOperator top16) {
        if (n <= INDEXED_ABOVE) {
            return null;
        }
        int[] first = new int[BUCKETS + 1];
        int i = 0;
        for (int k = 0; k <= BUCKETS; k++) {
            while (i < n && top16.applyAsInt(i) < k) {
                i++;
            }
            first[k] = i;
        }
        return first;
    }

    /**
     * IPv4 intervals: entry i holds the interval's start (sign-flipped) in its high 32 bits and its value in the
     * low 32, so that a lookup's last step reads one cache line, not one in each of two arrays.
     */
    private static final class V4 {
        final long[] entry;
        final int[] bucket;

        V4(long[] entry) {
            this.entry = entry;
            this.bucket = buckets(entry.length, i -> ((int) (entry[i] >> 32) ^ Integer.MIN_VALUE) >>> 16);
        }

        int lookup(int key) {
            long[] e = entry;
            int lo = 0, hi = e.length - 1;
            if (bucket != null) {
                // the last start <= key is in the key's bucket, or is the one just before it
                int k = (key ^ Integer.MIN_VALUE) >>> 16;
                lo = Math.max(bucket[k] - 1, 0);
                hi = bucket[k + 1] - 1;
            }
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if ((int) (e[mid] >> 32) <= key) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return (int) e[lo];
        }
    }

    /** IPv6 intervals, starts as two sign-flipped longs; the index on the top 16 bits of the high half. */
    private static final class V6 {
        final long[] startHi, startLo;
        final int[] value;
        final int[] bucket;

        V6(long[] startHi, long[] startLo, int[] value) {
            this.startHi = startHi;
            this.startLo = startLo;
            this.value = value;
            this.bucket = buckets(startHi.length, i -> (int) ((startHi[i] ^ Long.MIN_VALUE) >>> 48));
        }

        int lookup(long keyHi, long keyLo) {
            long[] sh = startHi, sl = startLo;
            int lo = 0, hi = sh.length - 1;
            if (bucket != null) {
                int k = (int) ((keyHi ^ Long.MIN_VALUE) >>> 48);
                lo = Math.max(bucket[k] - 1, 0);
                hi = bucket[k + 1] - 1;
            }
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                long h = sh[mid];
                if (h < keyHi || (h == keyHi && sl[mid] <= keyLo)) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return value[lo];
        }
    }

    /**
     * The prefixes of one table and family, in the order they were added, and the sweep that turns them into
     * intervals. Addresses are unsigned 128-bit (hi, lo); an IPv4 address is lo below 2^32, hi 0.
     */
    private static final class Prefixes {
        /** The most routes one table takes (the IPv4 sort packs an index into 26 bits). */
        static final int MAX_ROUTES = 1 << 26;

        private final int bits;
        int count;
        private long[] hi = new long[16], lo = new long[16], metric = new long[16];
        private int[] len = new int[16], value = new int[16];

        // the intervals being built
        private long[] outHi, outLo;
        private int[] outValue;
        private int n;

        Prefixes(int bits) {
            this.bits = bits;
        }

        /** Adds a prefix; false when the table is full ({@link #MAX_ROUTES}). */
        boolean add(long h, long l, int length, int v, long m) {
            if (count == MAX_ROUTES) {
                return false;
            }
            if (count == hi.length) {
                int c = count * 2;
                hi = Arrays.copyOf(hi, c);
                lo = Arrays.copyOf(lo, c);
                metric = Arrays.copyOf(metric, c);
                len = Arrays.copyOf(len, c);
                value = Arrays.copyOf(value, c);
            }
            // Host bits off, as the kernel stores the prefix.
            hi[count] = h & maskHi(length);
            lo[count] = l & maskLo(length);
            len[count] = length;
            value[count] = v;
            metric[count] = m;
            count++;
            return true;
        }

        private long maskHi(int length) {
            if (bits == 32) {
                return 0;
            }
            return length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
        }

        private long maskLo(int length) {
            if (bits == 32) {
                return length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
            }
            return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
        }

        private long lastHi(int i) {
            return bits == 32 ? 0 : hi[i] | ~maskHi(len[i]);
        }

        private long lastLo(int i) {
            return bits == 32 ? lo[i] | (~maskLo(len[i]) & 0xffffffffL) : lo[i] | ~maskLo(len[i]);
        }

        private boolean isMax(long h, long l) {
            return bits == 32 ? l == 0xffffffffL : h == -1L && l == -1L;
        }

        /**
         * The prefixes in sweep order: by start, then length (enclosing prefixes first), then arrival. IPv4 sorts
         * primitive keys (start, length and index packed into a long: a million routes in well under a second);
         * IPv6 sorts boxed indexes with a comparator.
         */
        private int[] sorted() {
            int[] order = new int[count];
            if (bits == 32) {
                long[] keys = new long[count];
                for (int i = 0; i < count; i++) {
                    // 32 + 6 + 26 bits; the start's top bit flipped so that the signed sort orders it unsigned
                    keys[i] = (lo[i] << 32 ^ Long.MIN_VALUE) | (long) len[i] << 26 | i;
                }
                Arrays.sort(keys);
                for (int i = 0; i < count; i++) {
                    order[i] = (int) (keys[i] & ((1 << 26) - 1));
                }
                return order;
            }
            Integer[] boxed = new Integer[count];
            for (int i = 0; i < count; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> {
                int c = Long.compareUnsigned(hi[a], hi[b]);
                if (c == 0) {
                    c = Long.compareUnsigned(lo[a], lo[b]);
                }
                if (c == 0) {
                    c = Integer.compare(len[a], len[b]);
                }
                return c != 0 ? c : Integer.compare(a, b);
            });
            for (int i = 0; i < count; i++) {
                order[i] = boxed[i];
            }
            return order;
        }

        private boolean samePrefix(int a, int b) {
            return hi[a] == hi[b] && lo[a] == lo[b] && len[a] == len[b];
        }

        /**
         * The sweep: walking the prefixes in start order with a stack of the ones that enclose the current
         * position, every prefix start begins an interval with its value, and every prefix end resumes the value
         * of the prefix that encloses it (0 outside all).
         */
        private void sweep() {
            outHi = new long[2 * count + 1];
            outLo = new long[2 * count + 1];
            outValue = new int[2 * count + 1];
            n = 0;
            emit(0, 0, 0);
            long[] stackHi = new long[bits + 1], stackLo = new long[bits + 1];
            int[] stackValue = new int[bits + 1];
            int depth = 0;
            int[] order = sorted();
            for (int p = 0; p < order.length; ) {
                // Routes to the same prefix: the lowest metric wins, then the earliest (they are in arrival order).
                int i = order[p], q = p + 1;
                for (; q < order.length && samePrefix(order[q], i); q++) {
                    if (Long.compareUnsigned(metric[order[q]], metric[i]) < 0) {
                        i = order[q];
                    }
                }
                p = q;
                while (depth > 0 && less(stackHi[depth - 1], stackLo[depth - 1], hi[i], lo[i])) {
                    depth--;
                    resumeAfter(stackHi[depth], stackLo[depth], depth > 0 ? stackValue[depth - 1] : 0);
                }
                emit(hi[i], lo[i], value[i]);
                stackHi[depth] = lastHi(i);
                stackLo[depth] = lastLo(i);
                stackValue[depth] = value[i];
                depth++;
            }
            while (depth > 0) {
                depth--;
                resumeAfter(stackHi[depth], stackLo[depth], depth > 0 ? stackValue[depth - 1] : 0);
            }
        }

        private static boolean less(long aHi, long aLo, long bHi, long bLo) {
            int c = Long.compareUnsigned(aHi, bHi);
            return c < 0 || (c == 0 && Long.compareUnsigned(aLo, bLo) < 0);
        }

        /** A prefix ending at {@code last} hands the addresses after it back to {@code value}. */
        private void resumeAfter(long lastHi, long lastLo, int value) {
            if (isMax(lastHi, lastLo)) {
                return; // it ran to the end of the address space
            }
            long l = lastLo + 1, h = l == 0 ? lastHi + 1 : lastHi;
            emit(h, l, value);
        }

        private void emit(long h, long l, int v) {
            if (n > 0 && outHi[n - 1] == h && outLo[n - 1] == l) {
                outValue[n - 1] = v; // a later boundary at the same address decides
                if (n > 1 && outValue[n - 2] == v) {
                    n--;
                }
                return;
            }
            if (n > 0 && outValue[n - 1] == v) {
                return; // continues the interval before
            }
            outHi[n] = h;
            outLo[n] = l;
            outValue[n] = v;
            n++;
        }

        V4 toV4() {
            sweep();
            long[] entry = new long[n];
            for (int i = 0; i < n; i++) {
                entry[i] = (long) ((int) outLo[i] ^ Integer.MIN_VALUE) << 32 | (outValue[i] & 0xffffffffL);
            }
            return new V4(entry);
        }

        V6 toV6() {
            sweep();
            long[] sh = new long[n], sl = new long[n];
            for (int i = 0; i < n; i++) {
                sh[i] = outHi[i] ^ Long.MIN_VALUE;
                sl[i] = outLo[i] ^ Long.MIN_VALUE;
            }
            return new V6(sh, sl, Arrays.copyOf(outValue, n));
        }
    }
}
