package net.pflowd.route;

import static net.pflowd.linux.Rtnetlink.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    /** A route as the reference lookup sees it. */
    record Route(int family, int table, int type, long hi, long lo, int len, int oif, long metric) {
        boolean covers(long aHi, long aLo) {
            int bits = family == FlowRecord.IPV4 ? 32 : 128;
            if (bits == 32) {
                long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
                return (aLo & mask) == (lo & mask);
            }
            long mHi = len >= 64 ? -1L : len == 0 ? 0 : -1L << (64 - len);
            long mLo = len <= 64 ? 0 : len == 128 ? -1L : -1L << (128 - len);
            return (aHi & mHi) == (hi & mHi) && (aLo & mLo) == (lo & mLo);
        }
    }

    /**
     * The kernel's answer written the obvious way: any RTN_LOCAL route of the local table covering the address
     * makes it local (0); otherwise the longest main-table prefix, lowest metric, first added, gives its interface
     * (unicast, broadcast) or 0 (local, unreachable, blackhole); nothing covering it gives 0.
     */
    static int reference(List<Route> routes, int family, long hi, long lo) {
        for (Route r : routes) {
            if (r.family == family && r.table == RT_TABLE_LOCAL && r.type == RTN_LOCAL && r.covers(hi, lo)) {
                return 0;
            }
        }
        Route best = null;
        for (Route r : routes) {
            if (r.family != family || r.table != RT_TABLE_MAIN || !r.covers(hi, lo)) {
                continue;
            }
            if (best == null || r.len > best.len
                    || (r.len == best.len && Long.compareUnsigned(r.metric, best.metric) < 0)) {
                best = r;
            }
        }
        if (best == null) {
            return 0;
        }
        return best.type == RTN_UNICAST || best.type == RTN_BROADCAST ? best.oif : 0;
    }

    private static RouteTable build(List<Route> routes) {
        RouteTable.Builder b = RouteTable.builder();
        for (Route r : routes) {
            b.add(r.family, r.table, r.type, r.hi, r.lo, r.len, r.oif, r.metric);
        }
        return b.build();
    }

    private static long[] a(String address) throws Exception {
        return FlowRecord.halves(InetAddress.getByName(address));
    }

    private static Route v4(int table, int type, String prefix, int len, int oif, long metric) throws Exception {
        return new Route(FlowRecord.IPV4, table, type, 0, a(prefix)[1], len, oif, metric);
    }

    private static Route v6(int table, int type, String prefix, int len, int oif, long metric) throws Exception {
        long[] h = a(prefix);
        return new Route(FlowRecord.IPV6, table, type, h[0], h[1], len, oif, metric);
    }

    private static int lookup(RouteTable t, String address) throws Exception {
        InetAddress ia = InetAddress.getByName(address);
        long[] h = FlowRecord.halves(ia);
        return t.interfaceFor(ia.getAddress().length == 4 ? FlowRecord.IPV4 : FlowRecord.IPV6, h[0], h[1]);
    }

    @Test
    void emptyTableAnswersZero() throws Exception {
        assertThat(lookup(RouteTable.EMPTY, "10.0.0.1")).isZero();
        assertThat(lookup(RouteTable.EMPTY, "2001:db8::1")).isZero();
        assertThat(RouteTable.EMPTY.interfaceFor(99, 0, 1)).isZero();
    }

    @Test
    void longestPrefixWinsAndTheEnclosingRouteResumesAfterIt() throws Exception {
        RouteTable t = build(List.of(
                v4(RT_TABLE_MAIN, RTN_UNICAST, "0.0.0.0", 0, 2, 0),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "10.0.0.0", 8, 3, 0),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "10.1.0.0", 16, 4, 0),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "10.1.2.3", 32, 5, 0),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "255.255.255.255", 32, 6, 0)));
        assertThat(lookup(t, "9.255.255.255")).isEqualTo(2);
        assertThat(lookup(t, "10.0.0.0")).isEqualTo(3);
        assertThat(lookup(t, "10.1.0.0")).isEqualTo(4);
        assertThat(lookup(t, "10.1.2.2")).isEqualTo(4);
        assertThat(lookup(t, "10.1.2.3")).isEqualTo(5);
        assertThat(lookup(t, "10.1.2.4")).isEqualTo(4);
        assertThat(lookup(t, "10.2.0.0")).isEqualTo(3);
        assertThat(lookup(t, "11.0.0.0")).isEqualTo(2);
        assertThat(lookup(t, "255.255.255.254")).isEqualTo(2);
        assertThat(lookup(t, "255.255.255.255")).isEqualTo(6);
        assertThat(lookup(t, "0.0.0.0")).isEqualTo(2);
    }

    @Test
    void lowestMetricWinsForTheSamePrefix() throws Exception {
        RouteTable t = build(List.of(
                v4(RT_TABLE_MAIN, RTN_UNICAST, "10.0.0.0", 8, 3, 100),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "10.0.0.0", 8, 4, 20),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "10.0.0.0", 8, 5, 20),
                v6(RT_TABLE_MAIN, RTN_UNICAST, "fe80::", 64, 7, 256),
                v6(RT_TABLE_MAIN, RTN_UNICAST, "fe80::", 64, 8, 256)));
        assertThat(lookup(t, "10.9.9.9")).isEqualTo(4);
        assertThat(lookup(t, "fe80::1")).isEqualTo(7); // a tie: the first listed, as the kernel's list order
    }

    @Test
    void theHostsOwnAddressesAreLocalWhateverTheMainTableSays() throws Exception {
        RouteTable t = build(List.of(
                v4(RT_TABLE_MAIN, RTN_UNICAST, "0.0.0.0", 0, 2, 0),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "192.0.2.0", 24, 3, 0),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "127.0.0.5", 32, 9, 0), // more specific, but the local table goes first
                v4(RT_TABLE_LOCAL, RTN_LOCAL, "192.0.2.1", 32, 3, 0),
                v4(RT_TABLE_LOCAL, RTN_LOCAL, "127.0.0.0", 8, 1, 0),
                v4(RT_TABLE_LOCAL, RTN_BROADCAST, "192.0.2.255", 32, 3, 0),
                v6(RT_TABLE_MAIN, RTN_UNICAST, "::", 0, 2, 1024),
                v6(RT_TABLE_LOCAL, RTN_LOCAL, "::1", 128, 1, 0),
                v6(RT_TABLE_LOCAL, RTN_LOCAL, "2001:db8::1", 128, 2, 0),
                v6(RT_TABLE_LOCAL, RTN_MULTICAST, "ff00::", 8, 2, 256)));
        assertThat(lookup(t, "192.0.2.1")).isZero();
        assertThat(lookup(t, "192.0.2.2")).isEqualTo(3);
        assertThat(lookup(t, "192.0.2.255")).isEqualTo(3); // broadcast: the subnet's interface
        assertThat(lookup(t, "127.0.0.5")).isZero();
        assertThat(lookup(t, "::1")).isZero();
        assertThat(lookup(t, "2001:db8::1")).isZero();
        assertThat(lookup(t, "2001:db8::2")).isEqualTo(2);
        assertThat(lookup(t, "ff02::1")).isEqualTo(2); // multicast routes of the local table are not "local"
    }

    @Test
    void otherTablesAndUnroutableTypes() throws Exception {
        RouteTable t = build(List.of(
                v4(RT_TABLE_MAIN, RTN_UNICAST, "0.0.0.0", 0, 2, 0),
                v4(100, RTN_UNICAST, "10.0.0.0", 8, 7, 0), // policy-routing table: ignored
                v4(RT_TABLE_MAIN, RTN_BLACKHOLE, "10.66.0.0", 16, 0, 0),
                v4(RT_TABLE_MAIN, RTN_PROHIBIT, "10.67.0.0", 16, 0, 0),
                v4(RT_TABLE_MAIN, RTN_UNICAST, "10.66.1.0", 24, 4, 0)));
        assertThat(lookup(t, "10.1.1.1")).isEqualTo(2);
        assertThat(lookup(t, "10.66.0.1")).isZero();
        assertThat(lookup(t, "10.67.0.1")).isZero();
        assertThat(lookup(t, "10.66.1.1")).isEqualTo(4);
        assertThat(t.routes()).isEqualTo(4);
    }

    @Test
    void theHostBitsOfAPrefixDoNotMatter() throws Exception {
        RouteTable t = build(List.of(v4(RT_TABLE_MAIN, RTN_UNICAST, "10.1.2.3", 16, 3, 0),
                v6(RT_TABLE_MAIN, RTN_UNICAST, "2001:db8::77", 32, 4, 0)));
        assertThat(lookup(t, "10.1.200.1")).isEqualTo(3);
        assertThat(lookup(t, "2001:db8:ffff::1")).isEqualTo(4);
    }

    @Test
    void fillGivesTheOriginatorsAndTheRealRespondersInterfaces() throws Exception {
        RouteTable t = build(List.of(
                v4(RT_TABLE_MAIN, RTN_UNICAST, "0.0.0.0", 0, 2, 0), // upstream
                v4(RT_TABLE_MAIN, RTN_UNICAST, "192.168.1.0", 24, 3, 0), // LAN
                v4(RT_TABLE_LOCAL, RTN_LOCAL, "203.0.113.1", 32, 2, 0),
                v4(RT_TABLE_LOCAL, RTN_LOCAL, "192.168.1.1", 32, 3, 0)));
        FlowState s = new FlowState();
        // a LAN client to the Internet, masqueraded: reply from the server to the router's public address
        s.orig(InetAddress.getByName("192.168.1.20"), 40000, InetAddress.getByName("8.8.8.8"), 53)
                .reply(InetAddress.getByName("8.8.8.8"), 53, InetAddress.getByName("203.0.113.1"), 61000);
        t.fill(s);
        assertThat(s.inputIf).isEqualTo(3);
        assertThat(s.outputIf).isEqualTo(2);
        // a port forward (DNAT) from the Internet to a LAN server: the real server is the reply's source
        s.clear();
        s.orig(InetAddress.getByName("198.51.100.9"), 50000, InetAddress.getByName("203.0.113.1"), 443)
                .reply(InetAddress.getByName("192.168.1.30"), 443, InetAddress.getByName("198.51.100.9"), 50000);
        t.fill(s);
        assertThat(s.inputIf).isEqualTo(2);
        assertThat(s.outputIf).isEqualTo(3);
        // to the router itself: the local side is 0
        s.clear();
        s.orig(InetAddress.getByName("192.168.1.20"), 40000, InetAddress.getByName("192.168.1.1"), 22).replyMirrorsOrig();
        t.fill(s);
        assertThat(s.inputIf).isEqualTo(3);
        assertThat(s.outputIf).isZero();
        // from the router itself
        s.clear();
        s.orig(InetAddress.getByName("203.0.113.1"), 40000, InetAddress.getByName("9.9.9.9"), 443).replyMirrorsOrig();
        t.fill(s);
        assertThat(s.inputIf).isZero();
        assertThat(s.outputIf).isEqualTo(2);
    }

    // ---- random tables against the reference ----

    @Test
    void randomIpv4TablesAgreeWithTheReference() {
        SplittableRandom rnd = new SplittableRandom(20261130);
        boolean indexed = false;
        for (int round = 0; round < 40; round++) {
            List<Route> routes = new ArrayList<>();
            int n = round % 4 == 0 ? 1000 + rnd.nextInt(2000) : 1 + rnd.nextInt(300); // some with the bucket index
            // Few distinct network parts, so that prefixes nest and share starts.
            long[] bases = new long[1 + rnd.nextInt(8)];
            for (int i = 0; i < bases.length; i++) {
                bases[i] = rnd.nextLong() & 0xffffffffL;
            }
            for (int i = 0; i < n; i++) {
                long base = bases[rnd.nextInt(bases.length)] ^ (rnd.nextInt(4) == 0 ? rnd.nextLong() & 0xffffffffL : 0);
                int len = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(33);
                routes.add(new Route(FlowRecord.IPV4, randomTable(rnd), randomType(rnd), 0, base, len,
                        1 + rnd.nextInt(5), rnd.nextInt(3) * 100L));
            }
            RouteTable t = build(routes);
            indexed |= t.intervals()[1] > RouteTable.INDEXED_ABOVE;
            for (int q = 0; q < 3000; q++) {
                long addr;
                if (rnd.nextBoolean()) {
                    Route r = routes.get(rnd.nextInt(routes.size()));
                    int host = 32 - r.len;
                    // inside a prefix, at its first or last address or at random
                    long hostBits = host == 0 ? 0 : switch (rnd.nextInt(3)) {
                        case 0 -> 0;
                        case 1 -> (1L << host) - 1;
                        default -> rnd.nextLong() & ((1L << host) - 1);
                    };
                    long mask = r.len == 0 ? 0 : (0xffffffffL << host) & 0xffffffffL;
                    addr = (r.lo & mask) | hostBits;
                    addr = (addr + rnd.nextInt(3) - 1) & 0xffffffffL; // and its neighbours
                } else {
                    addr = rnd.nextLong() & 0xffffffffL;
                }
                int expected = reference(routes, FlowRecord.IPV4, 0, addr);
                assertThat(t.interfaceFor(FlowRecord.IPV4, 0, addr))
                        .as("round %d address %s", round, FlowRecord.address(FlowRecord.IPV4, 0, addr).getHostAddress())
                        .isEqualTo(expected);
            }
        }
        assertThat(indexed).as("some main table was large enough for the bucket index").isTrue();
    }

    @Test
    void randomIpv6TablesAgreeWithTheReference() {
        SplittableRandom rnd = new SplittableRandom(61130);
        boolean indexed = false;
        for (int round = 0; round < 40; round++) {
            List<Route> routes = new ArrayList<>();
            int n = round % 4 == 0 ? 1000 + rnd.nextInt(2000) : 1 + rnd.nextInt(300);
            long[][] bases = new long[1 + rnd.nextInt(8)][];
            for (int i = 0; i < bases.length; i++) {
                bases[i] = new long[] {rnd.nextLong(), rnd.nextLong()};
            }
            for (int i = 0; i < n; i++) {
                long[] base = bases[rnd.nextInt(bases.length)];
                long hi = base[0], lo = base[1];
                if (rnd.nextInt(4) == 0) {
                    lo ^= rnd.nextLong();
                }
                if (rnd.nextInt(8) == 0) {
                    hi ^= rnd.nextLong() >>> rnd.nextInt(64);
                }
                int len = rnd.nextInt(10) == 0 ? 0 : rnd.nextInt(129);
                routes.add(new Route(FlowRecord.IPV6, randomTable(rnd), randomType(rnd), hi, lo, len,
                        1 + rnd.nextInt(5), rnd.nextInt(3) * 100L));
            }
            RouteTable t = build(routes);
            indexed |= t.intervals()[3] > RouteTable.INDEXED_ABOVE;
            for (int q = 0; q < 3000; q++) {
                long hi, lo;
                if (rnd.nextBoolean()) {
                    Route r = routes.get(rnd.nextInt(routes.size()));
                    long rh = rnd.nextLong(), rl = rnd.nextLong();
                    if (rnd.nextInt(3) == 0) {
                        rh = rl = 0;
                    } else if (rnd.nextInt(2) == 0) {
                        rh = rl = -1L;
                    }
                    long mHi = r.len >= 64 ? -1L : r.len == 0 ? 0 : -1L << (64 - r.len);
                    long mLo = r.len <= 64 ? 0 : r.len == 128 ? -1L : -1L << (128 - r.len);
                    hi = (r.hi & mHi) | (rh & ~mHi);
                    lo = (r.lo & mLo) | (rl & ~mLo);
                    int step = rnd.nextInt(3) - 1; // and its neighbours, carrying into hi
                    long nlo = lo + step;
                    if (step == 1 && nlo == 0) {
                        hi++;
                    } else if (step == -1 && lo == 0) {
                        hi--;
                    }
                    lo = nlo;
                } else {
                    hi = rnd.nextLong();
                    lo = rnd.nextLong();
                }
                int expected = reference(routes, FlowRecord.IPV6, hi, lo);
                assertThat(t.interfaceFor(FlowRecord.IPV6, hi, lo))
                        .as("round %d address %s", round, FlowRecord.address(FlowRecord.IPV6, hi, lo).getHostAddress())
                        .isEqualTo(expected);
            }
        }
        assertThat(indexed).as("some main table was large enough for the bucket index").isTrue();
    }

    private static int randomTable(SplittableRandom rnd) {
        int x = rnd.nextInt(10);
        return x < 7 ? RT_TABLE_MAIN : x < 9 ? RT_TABLE_LOCAL : 100;
    }

    private static int randomType(SplittableRandom rnd) {
        int x = rnd.nextInt(10);
        return x < 6 ? RTN_UNICAST : x < 7 ? RTN_LOCAL : x < 8 ? RTN_UNREACHABLE : x < 9 ? RTN_BLACKHOLE : RTN_BROADCAST;
    }
}
