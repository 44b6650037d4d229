package net.pflowd.linux;

/**
 * {@code <linux/netfilter/nfnetlink.h>}: netfilter's netlink subsystems, multicast groups and the
 * {@code struct nfgenmsg} that follows every nfnetlink message header.
 */
public final class Nfnetlink {
    private Nfnetlink() {
    }

    // #define NFNL_SUBSYS_CTNETLINK		1
    public static final int NFNL_SUBSYS_CTNETLINK = 1;

    // enum nfnetlink_groups { NFNLGRP_NONE, NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE,
    //                         NFNLGRP_CONNTRACK_DESTROY, ... };
    public static final int NFNLGRP_NONE = 0;
    public static final int NFNLGRP_CONNTRACK_NEW = 1;
    public static final int NFNLGRP_CONNTRACK_UPDATE = 2;
    public static final int NFNLGRP_CONNTRACK_DESTROY = 3;

    // #define NFNETLINK_V0	0
    public static final int NFNETLINK_V0 = 0;

    /*
     * struct nfgenmsg {
     * 	__u8  nfgen_family;		/* AF_xxx *&#47;
     * 	__u8  version;		/* nfnetlink version *&#47;
     * 	__be16    res_id;		/* resource id *&#47;
     * };  (4 bytes)
     */
    public static final int NFGENMSG_SIZE = 4;

    /** #define NFNL_SUBSYS_ID(x)	((x & 0xff00) >> 8) */
    public static int subsysId(int msgType) {
        return (msgType & 0xff00) >> 8;
    }

    /** #define NFNL_MSG_TYPE(x)	(x & 0x00ff) */
    public static int msgType(int msgType) {
        return msgType & 0x00ff;
    }
}
