package net.pflowd.source.conntrack;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.pflowd.flow.FlowRecord;
import net.pflowd.flow.FlowState;
import net.pflowd.linux.In;

/** How the conntrack source reads the table and which connections it exports. Plain mutable settings. */
public final class ConntrackSettings {
    /** Initial receive buffer of the event socket (SO_RCVBUFFORCE); 256 MiB holds a flush of ~200k entries. */
    public int receiveBufferBytes = 256 << 20;
    /** Ceiling the buffer is grown to, doubling on every overrun (ENOBUFS). */
    public int maxReceiveBufferBytes = 1 << 30;
    /** Export long-lived connections every so often with delta counters; 0 (default) exports only at removal. */
    public long activeTimeoutSeconds;
    /** After an overrun, how long to wait for the kernel's redelivery of a missing DESTROY event before
     * exporting the connection from its last dumped counters. */
    public long redeliveryGraceMillis = 5_000;
    /**
     * While entries known only from a dump are live, re-dump this often to notice the ones that end without
     * an event: entries created before events were enabled have no event cache, so the kernel never
     * reports their removal. They are exported from their last dumped counters.
     */
    public long reconcileSeconds = 10;
    /** Set net.netfilter.nf_conntrack_{acct,timestamp,events}=1 at start. */
    public boolean configureSysctls = true;
    /** Install pflowd's own nftables table when no rule makes conntrack track; removed at close. */
    public boolean installNftTable = true;
    public String nftTableName = "pflowd";

    /** --ct-mark VALUE[/MASK]: export only connections with (mark &amp; markMask) == markValue. */
    public Integer markValue;
    public int markMask = 0xffffffff;
    /** --ct-zone N: export only connections of this conntrack zone. */
    public Integer zone;

    /** Connections never exported (pflowd's own export datagrams); set by the daemon. */
    public Predicate<FlowState> exclude = s -> false;

    /** Network namespace to read (a path like /run/netns/NAME); null for the daemon's own. */
    public String netnsPath;

    /** Parses {@code VALUE[/MASK]} (decimal or 0x hex) into {@link #markValue} / {@link #markMask}. */
    public ConntrackSettings mark(String spec) {
        String[] p = spec.split("/", 2);
        try {
            int value = Integer.parseUnsignedInt(strip(p[0]), radix(p[0]));
            int mask = p.length > 1 ? Integer.parseUnsignedInt(strip(p[1]), radix(p[1])) : 0xffffffff;
            markValue = value & mask;
            markMask = mask;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ct-mark " + spec + ": expected VALUE[/MASK], 32-bit decimal or 0x hex");
        }
        return this;
    }

    private static int radix(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? 16 : 10;
    }

    private static String strip(String s) {
        return radix(s) == 16 ? s.substring(2) : s;
    }

    /**
     * Excludes UDP connections to any of the collectors (address and port), i.e. pflowd's own exports,
     * whichever side of a NAT the collector is seen on. The supplier is asked per connection, so
     * collectors configured later are excluded too (it must be cheap: the daemon hands out a snapshot, replaced
     * on every change, which is turned into primitive keys once per snapshot: nothing is allocated per
     * connection, in a storm of hundreds of thousands).
     */
    public ConntrackSettings excludeCollectors(Supplier<? extends Collection<InetSocketAddress>> collectors) {
        Predicate<FlowState> previous = exclude;
        CollectorKeys keys = new CollectorKeys(collectors);
        exclude = previous.or(s -> s.protocol == In.IPPROTO_UDP && keys.matches(s));
        return this;
    }

    /**
     * The collectors of the supplier's current snapshot as (family, address halves, port), rebuilt when the
     * snapshot is another object. Used by the reader thread only.
     */
    private static final class CollectorKeys {
        private final Supplier<? extends Collection<InetSocketAddress>> collectors;
        private Collection<InetSocketAddress> snapshot;
        private int[] family = new int[0];
        private long[] hi = new long[0], lo = new long[0];
        private int[] port = new int[0];

        CollectorKeys(Supplier<? extends Collection<InetSocketAddress>> collectors) {
            this.collectors = collectors;
        }

        boolean matches(FlowState s) {
            Collection<InetSocketAddress> now = collectors.get();
            if (now != snapshot) {
                load(now);
            }
            for (int i = 0; i < port.length; i++) {
                if (s.family == family[i]
                        && ((s.origDstHi == hi[i] && s.origDstLo == lo[i] && s.origDstPort == port[i])
                        || (s.replySrcHi == hi[i] && s.replySrcLo == lo[i] && s.replySrcPort == port[i]))) {
                    return true;
                }
            }
            return false;
        }

        private void load(Collection<InetSocketAddress> now) {
            List<InetSocketAddress> resolved = new ArrayList<>();
            for (InetSocketAddress c : now) {
                if (c.getAddress() != null) {
                    resolved.add(c);
                }
            }
            int n = resolved.size();
            family = new int[n];
            hi = new long[n];
            lo = new long[n];
            port = new int[n];
            for (int i = 0; i < n; i++) {
                InetSocketAddress c = resolved.get(i);
                long[] hl = FlowRecord.halves(c.getAddress());
                family[i] = c.getAddress().getAddress().length == 16 ? FlowRecord.IPV6 : FlowRecord.IPV4;
                hi[i] = hl[0];
                lo[i] = hl[1];
                port[i] = c.getPort();
            }
            snapshot = now;
        }
    }
}
