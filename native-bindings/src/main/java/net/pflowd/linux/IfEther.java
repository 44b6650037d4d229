package net.pflowd.linux;

/** {@code <linux/if_ether.h>}: the EtherType values pflowd names (host order; use {@link #htons} for the wire). */
public final class IfEther {
    private IfEther() {
    }

    /** Every protocol, for packet sockets that receive. */
    public static final int ETH_P_ALL = 0x0003;
    public static final int ETH_P_IP = 0x0800;
    public static final int ETH_P_ARP = 0x0806;
    public static final int ETH_P_IPV6 = 0x86DD;

    /** A 16-bit value in network byte order, as a short whose native-order store yields the big-endian bytes. */
    public static short htons(int hostOrder) {
        short s = (short) hostOrder;
        return java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes(s) : s;
    }

    /** Inverse of {@link #htons}. */
    public static int ntohs(short netOrder) {
        short s = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes(netOrder) : netOrder;
        return s & 0xffff;
    }
}
