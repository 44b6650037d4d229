package net.pflowd.linux;

/** {@code <linux/netfilter/nf_conntrack_common.h>}: the bits of {@code enum ip_conntrack_status} (CTA_STATUS). */
public final class NfConntrackCommon {
    private NfConntrackCommon() {
    }

    // IPS_EXPECTED = (1 << IPS_EXPECTED_BIT /* 0 */),
    public static final int IPS_EXPECTED = 1 << 0;
    // IPS_SEEN_REPLY = (1 << IPS_SEEN_REPLY_BIT /* 1 */),
    public static final int IPS_SEEN_REPLY = 1 << 1;
    // IPS_ASSURED = (1 << IPS_ASSURED_BIT /* 2 */),
    public static final int IPS_ASSURED = 1 << 2;
    // IPS_CONFIRMED = (1 << IPS_CONFIRMED_BIT /* 3 */),
    public static final int IPS_CONFIRMED = 1 << 3;
    // IPS_SRC_NAT = (1 << IPS_SRC_NAT_BIT /* 4 */),
    public static final int IPS_SRC_NAT = 1 << 4;
    // IPS_DST_NAT = (1 << IPS_DST_NAT_BIT /* 5 */),
    public static final int IPS_DST_NAT = 1 << 5;
    // IPS_NAT_MASK = (IPS_DST_NAT | IPS_SRC_NAT),
    public static final int IPS_NAT_MASK = IPS_DST_NAT | IPS_SRC_NAT;
    // IPS_SEQ_ADJUST = (1 << IPS_SEQ_ADJUST_BIT /* 6 */),
    public static final int IPS_SEQ_ADJUST = 1 << 6;
    // IPS_SRC_NAT_DONE = (1 << IPS_SRC_NAT_DONE_BIT /* 7 */),
    public static final int IPS_SRC_NAT_DONE = 1 << 7;
    // IPS_DST_NAT_DONE = (1 << IPS_DST_NAT_DONE_BIT /* 8 */),
    public static final int IPS_DST_NAT_DONE = 1 << 8;
    // IPS_DYING = (1 << IPS_DYING_BIT /* 9 */),
    public static final int IPS_DYING = 1 << 9;
    // IPS_FIXED_TIMEOUT = (1 << IPS_FIXED_TIMEOUT_BIT /* 10 */),
    public static final int IPS_FIXED_TIMEOUT = 1 << 10;
    // IPS_TEMPLATE = (1 << IPS_TEMPLATE_BIT /* 11 */),
    public static final int IPS_TEMPLATE = 1 << 11;
    // IPS_UNTRACKED = (1 << IPS_UNTRACKED_BIT /* 12 */),
    public static final int IPS_UNTRACKED = 1 << 12;
    // IPS_HELPER = (1 << IPS_HELPER_BIT /* 13 */),
    public static final int IPS_HELPER = 1 << 13;
    // IPS_OFFLOAD = (1 << IPS_OFFLOAD_BIT /* 14 */),
    public static final int IPS_OFFLOAD = 1 << 14;
    // IPS_HW_OFFLOAD = (1 << IPS_HW_OFFLOAD_BIT /* 15 */),
    public static final int IPS_HW_OFFLOAD = 1 << 15;
}
