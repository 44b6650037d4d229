package net.pflowd.linux;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** {@code <linux/if_packet.h>}: {@code struct sockaddr_ll} (20 bytes), packet types and SOL_PACKET options. */
public final class IfPacket {
    private IfPacket() {
    }

    // sll_pkttype values.
    public static final byte PACKET_HOST = 0;
    public static final byte PACKET_BROADCAST = 1;
    public static final byte PACKET_MULTICAST = 2;
    public static final byte PACKET_OTHERHOST = 3;
    public static final byte PACKET_OUTGOING = 4;

    // SOL_PACKET options.
    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final int PACKET_DROP_MEMBERSHIP = 2;
    /** Sends skip the qdisc and the taps: tcpdump would not see them. pflowd never sets it. */
    public static final int PACKET_QDISC_BYPASS = 20;
    public static final int PACKET_IGNORE_OUTGOING = 23;

    /**
     * <pre>
     * struct sockaddr_ll {
     *     unsigned short sll_family;    // AF_PACKET
     *     __be16         sll_protocol;  // EtherType, network order
     *     int            sll_ifindex;
     *     unsigned short sll_hatype;
     *     unsigned char  sll_pkttype;
     *     unsigned char  sll_halen;
     *     unsigned char  sll_addr[8];
     * };
     * </pre>
     */
    @FieldOrder({"sll_family", "sll_protocol", "sll_ifindex", "sll_hatype", "sll_pkttype", "sll_halen", "sll_addr"})
    public static class SockaddrLl extends Structure {
        public short sll_family;
        public short sll_protocol;
        public int sll_ifindex;
        public short sll_hatype;
        public byte sll_pkttype;
        public byte sll_halen;
        public byte[] sll_addr = new byte[8];

        public SockaddrLl() {
        }

        /** An AF_PACKET address on {@code ifindex} for EtherType {@code protocol} (host order), no link address. */
        public SockaddrLl(int protocol, int ifindex) {
            this.sll_family = (short) Socket.AF_PACKET;
            this.sll_protocol = IfEther.htons(protocol);
            this.sll_ifindex = ifindex;
        }

        /** EtherType in host order. */
        public int protocol() {
            return IfEther.ntohs(sll_protocol);
        }
    }
}
