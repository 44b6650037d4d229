package net.pflowd.route;

import net.pflowd.flow.FlowRecord;

/**
 * One route as an RTM_NEWROUTE / RTM_DELROUTE message describes it, the fields the interface lookup needs.
 * Mutable and reused by {@link RouteParser}: valid only during the handler call that received it.
 */
public final class RouteEntry {
    /** RTM_NEWROUTE or RTM_DELROUTE. */
    public int msgType;
    /** The netlink header's nlmsg_flags (NLM_F_MULTI, NLM_F_DUMP_INTR) and nlmsg_seq (the dump's; 0 for a notification). */
    public int nlFlags, seq;
    /** {@link FlowRecord#IPV4}, {@link FlowRecord#IPV6}, or 0 for another address family. */
    public int family;
    /** The table id: RTA_TABLE when present, else rtm_table. */
    public int table;
    /** rtm_type: RTN_UNICAST, RTN_LOCAL, RTN_UNREACHABLE, ... */
    public int type;
    public int dstLen, srcLen, tos, flags;
    /** The destination prefix in {@link FlowRecord}'s halves (IPv4: hi 0, lo the address); 0 for a default route. */
    public long dstHi, dstLo;
    /** RTA_PRIORITY, the metric: lower wins among routes to the same prefix; 0 when absent. */
    public long priority;
    /** The output interface: RTA_OIF, or the first nexthop's of RTA_MULTIPATH; 0 when neither is present. */
    public int oif;
    /** RTA_NH_ID, the nexthop object the route uses; 0 when none. */
    public int nexthopId;

    void clear() {
        msgType = nlFlags = seq = family = table = type = dstLen = srcLen = tos = flags = oif = nexthopId = 0;
        dstHi = dstLo = priority = 0;
    }

    @Override
    public String toString() {
        String dst = family == 0 ? "?" : FlowRecord.address(family, dstHi, dstLo).getHostAddress();
        return (msgType == net.pflowd.linux.Rtnetlink.RTM_DELROUTE ? "del " : "") + "table " + table + " type " + type
                + " " + dst + "/" + dstLen + " oif " + oif + " metric " + priority;
    }
}
