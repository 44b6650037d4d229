package net.pflowd.linux;

/**
 * {@code <linux/netfilter/nfnetlink_conntrack.h>}: ctnetlink message types and attribute numbers.
 * Attribute payloads are in network byte order.
 */
public final class NfnetlinkConntrack {
    private NfnetlinkConntrack() {
    }

    // enum cntl_msg_types { IPCTNL_MSG_CT_NEW, IPCTNL_MSG_CT_GET, IPCTNL_MSG_CT_DELETE, ... };
    public static final int IPCTNL_MSG_CT_NEW = 0;
    public static final int IPCTNL_MSG_CT_GET = 1;
    public static final int IPCTNL_MSG_CT_DELETE = 2;

    // enum ctattr_type { CTA_UNSPEC, CTA_TUPLE_ORIG, CTA_TUPLE_REPLY, CTA_STATUS, CTA_PROTOINFO, CTA_HELP,
    //   CTA_NAT_SRC, CTA_TIMEOUT, CTA_MARK, CTA_COUNTERS_ORIG, CTA_COUNTERS_REPLY, CTA_USE, CTA_ID,
    //   CTA_NAT_DST, CTA_TUPLE_MASTER, CTA_SEQ_ADJ_ORIG, CTA_SEQ_ADJ_REPLY, CTA_SECMARK, CTA_ZONE,
    //   CTA_SECCTX, CTA_TIMESTAMP, CTA_MARK_MASK, CTA_LABELS, ... };
    public static final int CTA_TUPLE_ORIG = 1;
    public static final int CTA_TUPLE_REPLY = 2;
    public static final int CTA_STATUS = 3;
    public static final int CTA_PROTOINFO = 4;
    public static final int CTA_TIMEOUT = 7;
    public static final int CTA_MARK = 8;
    public static final int CTA_COUNTERS_ORIG = 9;
    public static final int CTA_COUNTERS_REPLY = 10;
    public static final int CTA_USE = 11;
    public static final int CTA_ID = 12;
    public static final int CTA_ZONE = 18;
    public static final int CTA_TIMESTAMP = 20;
    public static final int CTA_MARK_MASK = 21;
    public static final int CTA_LABELS = 22;

    // enum ctattr_tuple { CTA_TUPLE_UNSPEC, CTA_TUPLE_IP, CTA_TUPLE_PROTO, CTA_TUPLE_ZONE, ... };
    public static final int CTA_TUPLE_IP = 1;
    public static final int CTA_TUPLE_PROTO = 2;
    public static final int CTA_TUPLE_ZONE = 3;

    // enum ctattr_ip { CTA_IP_UNSPEC, CTA_IP_V4_SRC, CTA_IP_V4_DST, CTA_IP_V6_SRC, CTA_IP_V6_DST, ... };
    public static final int CTA_IP_V4_SRC = 1;
    public static final int CTA_IP_V4_DST = 2;
    public static final int CTA_IP_V6_SRC = 3;
    public static final int CTA_IP_V6_DST = 4;

    // enum ctattr_l4proto { CTA_PROTO_UNSPEC, CTA_PROTO_NUM, CTA_PROTO_SRC_PORT, CTA_PROTO_DST_PORT,
    //   CTA_PROTO_ICMP_ID, CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE,
    //   CTA_PROTO_ICMPV6_ID, CTA_PROTO_ICMPV6_TYPE, CTA_PROTO_ICMPV6_CODE, ... };
    public static final int CTA_PROTO_NUM = 1;
    public static final int CTA_PROTO_SRC_PORT = 2;
    public static final int CTA_PROTO_DST_PORT = 3;
    public static final int CTA_PROTO_ICMP_ID = 4;
    public static final int CTA_PROTO_ICMP_TYPE = 5;
    public static final int CTA_PROTO_ICMP_CODE = 6;
    public static final int CTA_PROTO_ICMPV6_ID = 7;
    public static final int CTA_PROTO_ICMPV6_TYPE = 8;
    public static final int CTA_PROTO_ICMPV6_CODE = 9;

    // enum ctattr_protoinfo { CTA_PROTOINFO_UNSPEC, CTA_PROTOINFO_TCP, CTA_PROTOINFO_DCCP, CTA_PROTOINFO_SCTP, ... };
    public static final int CTA_PROTOINFO_TCP = 1;
    // enum ctattr_protoinfo_tcp { CTA_PROTOINFO_TCP_UNSPEC, CTA_PROTOINFO_TCP_STATE, ... };
    public static final int CTA_PROTOINFO_TCP_STATE = 1;

    // enum ctattr_counters { CTA_COUNTERS_UNSPEC, CTA_COUNTERS_PACKETS /* 64bit counters */,
    //   CTA_COUNTERS_BYTES /* 64bit counters */, CTA_COUNTERS32_PACKETS, CTA_COUNTERS32_BYTES, CTA_COUNTERS_PAD, ... };
    public static final int CTA_COUNTERS_PACKETS = 1;
    public static final int CTA_COUNTERS_BYTES = 2;
    public static final int CTA_COUNTERS32_PACKETS = 3;
    public static final int CTA_COUNTERS32_BYTES = 4;

    // enum ctattr_tstamp { CTA_TIMESTAMP_UNSPEC, CTA_TIMESTAMP_START, CTA_TIMESTAMP_STOP, CTA_TIMESTAMP_PAD, ... };
    public static final int CTA_TIMESTAMP_START = 1;
    public static final int CTA_TIMESTAMP_STOP = 2;
}
