package net.pflowd.linux;

/**
 * {@code <linux/rtnetlink.h>}: the legacy multicast group bits of NETLINK_ROUTE a socket binds to
 * ({@code sockaddr_nl.nl_groups}) to hear of link and address changes.
 */
public final class Rtnetlink {
    private Rtnetlink() {
    }

    // #define RTMGRP_LINK		1
    public static final int RTMGRP_LINK = 0x1;
    // #define RTMGRP_IPV4_IFADDR	0x10
    public static final int RTMGRP_IPV4_IFADDR = 0x10;
    // #define RTMGRP_IPV6_IFADDR	0x100
    public static final int RTMGRP_IPV6_IFADDR = 0x100;
}
