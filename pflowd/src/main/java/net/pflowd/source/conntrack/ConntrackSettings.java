package net.pflowd.source.conntrack;

import java.net.InetAddress;
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
     * collectors configured later are excluded too (it must be cheap: the daemon hands out a snapshot).
     */
    public ConntrackSettings excludeCollectors(Supplier<? extends Collection<InetSocketAddress>> collectors) {
        Predicate<FlowState> previous = exclude;
        exclude = previous.or(s -> s.protocol == In.IPPROTO_UDP && isToAny(s, collectors.get()));
        return this;
    }

    private static boolean isToAny(FlowState s, Collection<InetSocketAddress> collectors) {
        for (InetSocketAddress c : collectors) {
            byte[] a = c.getAddress().getAddress();
            int family = a.length == 16 ? FlowRecord.IPV6 : FlowRecord.IPV4;
            if (s.family != family) {
                continue;
            }
            long[] hl = FlowRecord.halves(c.getAddress());
            if ((s.origDstHi == hl[0] && s.origDstLo == hl[1] && s.origDstPort == c.getPort())
                    || (s.replySrcHi == hl[0] && s.replySrcLo == hl[1] && s.replySrcPort == c.getPort())) {
                return true;
            }
        }
        return false;
    }
}
