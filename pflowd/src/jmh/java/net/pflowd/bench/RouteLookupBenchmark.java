package net.pflowd.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import net.pflowd.linux.Rtnetlink;
import net.pflowd.route.RouteTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the interface indexes cost the conntrack path: {@code fill} is {@link RouteTable#fill} (two lookups) on a
 * connection, cycling through 64k random addresses so that the caches see a realistic spread, not one hot path.
 * {@code build} is the table construction after a dump (single shot, the parse and the kernel's dump excluded).
 *
 * <p>Tables: {@code host} is a host or small router (two interfaces, a default route each family, a few
 * subnets, its own addresses); {@code internet} is a full-table router at its worst: 1,000,000 random IPv4
 * prefixes (/8–/24, 60 % /24) and 200,000 IPv6 (/16–/64) spread over four interfaces at random, so that hardly
 * any neighbouring intervals merge.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RouteLookupBenchmark {
    private static final int ADDRESSES = 1 << 16;

    @Param({"host", "internet"})
    String table;

    @Param({"4", "6"})
    int family;

    private RouteTable routes;
    private final FlowState[] states = new FlowState[ADDRESSES];
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        routes = table.equals("host") ? hostTable() : internetTable();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < ADDRESSES; i++) {
            FlowState s = new FlowState();
            s.family = family == 4 ? FlowRecord.IPV4 : FlowRecord.IPV6;
            if (family == 4) {
                s.origSrcLo = rnd.nextLong() & 0xffffffffL;
                s.replySrcLo = rnd.nextLong() & 0xffffffffL;
            } else {
                s.origSrcHi = 0x2000_0000_0000_0000L | rnd.nextLong() >>> 4;
                s.origSrcLo = rnd.nextLong();
                s.replySrcHi = 0x2000_0000_0000_0000L | rnd.nextLong() >>> 4;
                s.replySrcLo = rnd.nextLong();
            }
            states[i] = s;
        }
    }

    static RouteTable hostTable() {
        RouteTable.Builder b = RouteTable.builder();
        int main = Rtnetlink.RT_TABLE_MAIN, local = Rtnetlink.RT_TABLE_LOCAL;
        b.add(FlowRecord.IPV4, main, Rtnetlink.RTN_UNICAST, 0, 0, 0, 2, 0);
        b.add(FlowRecord.IPV4, main, Rtnetlink.RTN_UNICAST, 0, 0xc0000200L, 24, 2, 0);
        b.add(FlowRecord.IPV4, main, Rtnetlink.RTN_UNICAST, 0, 0xc0a80100L, 24, 3, 0);
        b.add(FlowRecord.IPV4, main, Rtnetlink.RTN_UNICAST, 0, 0x0a000000L, 8, 3, 0);
        b.add(FlowRecord.IPV4, local, Rtnetlink.RTN_LOCAL, 0, 0x7f000000L, 8, 1, 0);
        b.add(FlowRecord.IPV4, local, Rtnetlink.RTN_LOCAL, 0, 0xc0000201L, 32, 2, 0);
        b.add(FlowRecord.IPV4, local, Rtnetlink.RTN_LOCAL, 0, 0xc0a80101L, 32, 3, 0);
        b.add(FlowRecord.IPV6, main, Rtnetlink.RTN_UNICAST, 0, 0, 0, 2, 1024);
        b.add(FlowRecord.IPV6, main, Rtnetlink.RTN_UNICAST, 0x20010db800010000L, 0, 64, 2, 256);
        b.add(FlowRecord.IPV6, main, Rtnetlink.RTN_UNICAST, 0x20010db800020000L, 0, 64, 3, 256);
        b.add(FlowRecord.IPV6, main, Rtnetlink.RTN_UNICAST, 0xfe80000000000000L, 0, 64, 2, 256);
        b.add(FlowRecord.IPV6, main, Rtnetlink.RTN_UNICAST, 0xfe80000000000000L, 0, 64, 3, 256);
        b.add(FlowRecord.IPV6, local, Rtnetlink.RTN_LOCAL, 0, 1, 128, 1, 0);
        b.add(FlowRecord.IPV6, local, Rtnetlink.RTN_LOCAL, 0x20010db800010000L, 1, 128, 2, 0);
        b.add(FlowRecord.IPV6, local, Rtnetlink.RTN_LOCAL, 0x20010db800020000L, 1, 128, 3, 0);
        return b.build();
    }

    static RouteTable internetTable() {
        SplittableRandom rnd = new SplittableRandom(42);
        RouteTable.Builder b = RouteTable.builder();
        b.add(FlowRecord.IPV4, Rtnetlink.RT_TABLE_LOCAL, Rtnetlink.RTN_LOCAL, 0, 0x7f000000L, 8, 1, 0);
        b.add(FlowRecord.IPV6, Rtnetlink.RT_TABLE_LOCAL, Rtnetlink.RTN_LOCAL, 0, 1, 128, 1, 0);
        for (int i = 0; i < 1_000_000; i++) {
            int len = rnd.nextInt(10) < 6 ? 24 : 8 + rnd.nextInt(16);
            b.add(FlowRecord.IPV4, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST, 0, rnd.nextLong() & 0xffffffffL,
                    len, 2 + rnd.nextInt(4), 0);
        }
        for (int i = 0; i < 200_000; i++) {
            int len = 16 + rnd.nextInt(49);
            b.add(FlowRecord.IPV6, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST,
                    0x2000_0000_0000_0000L | rnd.nextLong() >>> 4, 0, len, 2 + rnd.nextInt(4), 1024);
        }
        return b.build();
    }

    @Benchmark
    public int fill() {
        FlowState s = states[next++ & (ADDRESSES - 1)];
        routes.fill(s);
        return s.inputIf + s.outputIf;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public RouteTable build() {
        return table.equals("host") ? hostTable() : internetTable();
    }
}
