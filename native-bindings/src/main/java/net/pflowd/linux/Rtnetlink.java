package net.pflowd.linux;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * {@code <linux/rtnetlink.h>}: the routing messages pflowd reads over {@link Netlink#NETLINK_ROUTE} — message
 * types, the layout of {@code struct rtmsg} and {@code struct rtnexthop}, route attributes, route types,
 * table ids and multicast groups. Like every netlink header, these structures are in host byte order; address
 * attributes (RTA_DST, RTA_GATEWAY) are in network byte order.
 */
public final class Rtnetlink {
    private Rtnetlink() {
    }

    // enum { RTM_BASE = 16, RTM_NEWLINK = 16, RTM_DELLINK, RTM_GETLINK, RTM_SETLINK,
    //        RTM_NEWADDR = 20, RTM_DELADDR, RTM_GETADDR,
    //        RTM_NEWROUTE = 24, RTM_DELROUTE, RTM_GETROUTE, ... };
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;

    /*
     * struct rtmsg {
     * 	unsigned char		rtm_family;
     * 	unsigned char		rtm_dst_len;
     * 	unsigned char		rtm_src_len;
     * 	unsigned char		rtm_tos;
     *
     * 	unsigned char		rtm_table;	/* Routing table id *&#47;
     * 	unsigned char		rtm_protocol;	/* Routing protocol; see below	*&#47;
     * 	unsigned char		rtm_scope;	/* See below *&#47;
     * 	unsigned char		rtm_type;	/* See below	*&#47;
     *
     * 	unsigned		rtm_flags;
     * };
     */
    public static final int RTMSG_SIZE = 12;
    public static final int RTM_FAMILY_OFFSET = 0;
    public static final int RTM_DST_LEN_OFFSET = 1;
    public static final int RTM_SRC_LEN_OFFSET = 2;
    public static final int RTM_TOS_OFFSET = 3;
    public static final int RTM_TABLE_OFFSET = 4;
    public static final int RTM_PROTOCOL_OFFSET = 5;
    public static final int RTM_SCOPE_OFFSET = 6;
    public static final int RTM_TYPE_OFFSET = 7;
    public static final int RTM_FLAGS_OFFSET = 8;

    /** {@code struct rtmsg} as JNA lays it out by the C rules: the tests check the offsets above against it. */
    @FieldOrder({"rtm_family", "rtm_dst_len", "rtm_src_len", "rtm_tos", "rtm_table", "rtm_protocol", "rtm_scope",
            "rtm_type", "rtm_flags"})
    public static class RtMsg extends Structure {
        public byte rtm_family;
        public byte rtm_dst_len;
        public byte rtm_src_len;
        public byte rtm_tos;
        public byte rtm_table;
        public byte rtm_protocol;
        public byte rtm_scope;
        public byte rtm_type;
        public int rtm_flags;

        /** Structure.fieldOffset, made visible to the layout test. */
        public int offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    // enum { RTN_UNSPEC, RTN_UNICAST, /* Gateway or direct route */ RTN_LOCAL, /* Accept locally */
    //        RTN_BROADCAST, RTN_ANYCAST, RTN_MULTICAST, RTN_BLACKHOLE, /* Drop */
    //        RTN_UNREACHABLE, /* Destination is unreachable */ RTN_PROHIBIT, /* Administratively prohibited */
    //        RTN_THROW, /* Not in this table */ RTN_NAT, RTN_XRESOLVE, __RTN_MAX };
    public static final int RTN_UNSPEC = 0;
    public static final int RTN_UNICAST = 1;
    public static final int RTN_LOCAL = 2;
    public static final int RTN_BROADCAST = 3;
    public static final int RTN_ANYCAST = 4;
    public static final int RTN_MULTICAST = 5;
    public static final int RTN_BLACKHOLE = 6;
    public static final int RTN_UNREACHABLE = 7;
    public static final int RTN_PROHIBIT = 8;
    public static final int RTN_THROW = 9;
    public static final int RTN_NAT = 10;
    public static final int RTN_XRESOLVE = 11;

    // #define RTM_F_CLONED		0x200	/* This route is cloned		*/
    public static final int RTM_F_CLONED = 0x200;

    // enum rt_class_t { RT_TABLE_UNSPEC=0, /* User defined values */ RT_TABLE_COMPAT=252, RT_TABLE_DEFAULT=253,
    //                   RT_TABLE_MAIN=254, RT_TABLE_LOCAL=255, RT_TABLE_MAX=0xFFFFFFFF };
    public static final int RT_TABLE_UNSPEC = 0;
    public static final int RT_TABLE_COMPAT = 252;
    public static final int RT_TABLE_DEFAULT = 253;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RT_TABLE_LOCAL = 255;

    // enum rtattr_type_t { RTA_UNSPEC, RTA_DST, RTA_SRC, RTA_IIF, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY,
    //   RTA_PREFSRC, RTA_METRICS, RTA_MULTIPATH, RTA_PROTOINFO, /* no longer used */ RTA_FLOW, RTA_CACHEINFO,
    //   RTA_SESSION, /* no longer used */ RTA_MP_ALGO, /* no longer used */ RTA_TABLE, RTA_MARK, RTA_MFC_STATS,
    //   RTA_VIA, RTA_NEWDST, RTA_PREF, RTA_ENCAP_TYPE, RTA_ENCAP, RTA_EXPIRES, RTA_PAD, RTA_UID,
    //   RTA_TTL_PROPAGATE, RTA_IP_PROTO, RTA_SPORT, RTA_DPORT, RTA_NH_ID, __RTA_MAX };
    public static final int RTA_DST = 1;
    public static final int RTA_SRC = 2;
    public static final int RTA_IIF = 3;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_PRIORITY = 6;
    public static final int RTA_PREFSRC = 7;
    public static final int RTA_MULTIPATH = 9;
    public static final int RTA_TABLE = 15;
    public static final int RTA_NH_ID = 30;

    /*
     * struct rtnexthop {
     * 	unsigned short		rtnh_len;
     * 	unsigned char		rtnh_flags;
     * 	unsigned char		rtnh_hops;
     * 	int			rtnh_ifindex;
     * };
     */
    public static final int RTNEXTHOP_SIZE = 8;
    public static final int RTNH_LEN_OFFSET = 0;
    public static final int RTNH_FLAGS_OFFSET = 2;
    public static final int RTNH_HOPS_OFFSET = 3;
    public static final int RTNH_IFINDEX_OFFSET = 4;

    /** {@code struct rtnexthop} as JNA lays it out by the C rules, for the layout test. */
    @FieldOrder({"rtnh_len", "rtnh_flags", "rtnh_hops", "rtnh_ifindex"})
    public static class RtNextHop extends Structure {
        public short rtnh_len;
        public byte rtnh_flags;
        public byte rtnh_hops;
        public int rtnh_ifindex;

        /** Structure.fieldOffset, made visible to the layout test. */
        public int offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    // #define RTNH_F_DEAD		1	/* Nexthop is dead (used by multipath)	*/
    public static final int RTNH_F_DEAD = 1;
    // #define RTNH_F_LINKDOWN		16	/* carrier-down on nexthop */
    public static final int RTNH_F_LINKDOWN = 16;

    // #define RTNH_ALIGNTO	4
    public static final int RTNH_ALIGNTO = 4;

    /** #define RTNH_ALIGN(len) ( ((len)+RTNH_ALIGNTO-1) &amp; ~(RTNH_ALIGNTO-1) ) */
    public static int rtnhAlign(int len) {
        return (len + RTNH_ALIGNTO - 1) & ~(RTNH_ALIGNTO - 1);
    }

    // enum rtnetlink_groups { RTNLGRP_NONE, RTNLGRP_LINK, RTNLGRP_NOTIFY, RTNLGRP_NEIGH, RTNLGRP_TC,
    //   RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_MROUTE, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE,
    //   RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_MROUTE, RTNLGRP_IPV6_ROUTE, ... };
    // (group numbers for NETLINK_ADD_MEMBERSHIP, not the legacy RTMGRP_* bit masks)
    public static final int RTNLGRP_LINK = 1;
    public static final int RTNLGRP_IPV4_IFADDR = 5;
    public static final int RTNLGRP_IPV4_ROUTE = 7;
    public static final int RTNLGRP_IPV4_RULE = 8;
    public static final int RTNLGRP_IPV6_IFADDR = 9;
    public static final int RTNLGRP_IPV6_ROUTE = 11;

    // The legacy group bit masks a socket binds to (sockaddr_nl.nl_groups), for the first 32 groups.
    // #define RTMGRP_LINK		1
    public static final int RTMGRP_LINK = 0x1;
    // #define RTMGRP_IPV4_IFADDR	0x10
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    // #define RTMGRP_IPV6_IFADDR	0x100
    public static final int RTMGRP_IPV6_IFADDR = 0x100;
}
